// Opens the report.html of every bundled scenario, and of one sweep, in
// Debian's chromium (headless, through playwright-core) and checks that it
// works offline: every chart drew an SVG, no console or page error, no
// request beyond file:, data:, blob: and about:, every section has content,
// and no chart is wider than a 1280 px window or overlaps another. Saves a
// full-page screenshot per report (the CI artifact).
//
// usage: node report_browser_test.mjs JOURNEYSIM SOURCE_DIR ARTIFACT_DIR WORK_DIR
// playwright-core is found through NODE_PATH (build/web/node_modules): an ES
// import ignores NODE_PATH, so it is loaded with require.
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const [journeysim, sourceDir, artifactDir, workDir] = process.argv.slice(2);
if (!workDir) {
  console.error('usage: node report_browser_test.mjs JOURNEYSIM SOURCE_DIR ARTIFACT_DIR WORK_DIR');
  process.exit(2);
}
const CHROMIUM = '/usr/bin/chromium';
const VIEWPORT = { width: 1280, height: 800 };
const SECTIONS = ['decision', 'adoption', 'funnel', 'uplift', 'friction',
                  'time-to-prescription', 'cost', 'simulated'];
const SWEEP_SECTIONS = ['answer', 'metric', 'uplift', 'tornado', 'run'];
const ALLOWED_SCHEMES = ['file:', 'data:', 'blob:', 'about:'];

const failures = [];
function check(condition, message) {
  if (!condition) failures.push(message);
}

// Bundled scenarios: every folder under scenarios/ with a scenario.yaml.
function bundledScenarios() {
  const root = path.join(sourceDir, 'scenarios');
  return fs.readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .filter((entry) => fs.existsSync(path.join(root, entry.name, 'scenario.yaml')))
    .map((entry) => ({ name: entry.name, dir: path.join(root, entry.name) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

// Large scenarios (launch-at-scale) run at this many HCPs: the report's
// structure does not depend on the size, and CI has 2 cores.
const MAX_HCPS = 20000;

function populationSize(scenario) {
  const manifest = fs.readFileSync(path.join(scenario.dir, 'scenario.yaml'), 'utf8');
  const match = manifest.match(/^\s+size:\s*(\d+)/m);
  return match ? Number(match[1]) : 0;
}

function runScenario(scenario) {
  const out = path.join(workDir, scenario.name);
  fs.rmSync(out, { recursive: true, force: true });
  const args = ['run', scenario.dir, '--out', out, '--replications', '4', '--no-hcp-outcomes'];
  if (populationSize(scenario) > MAX_HCPS) args.push('--size', String(MAX_HCPS));
  execFileSync(journeysim, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  return path.join(out, 'report.html');
}

// One sweep (docs/sweep.md): the over-contact lesson's email cap, at 1,000
// HCPs and 2 replications, with its tornado.
const SWEEP = {
  name: 'sweep-lesson-4-over-contact',
  scenario: 'lesson-4-over-contact',
  sets: ['caps.0.max_touches=1:30:4', 'population.size=1000'],
};

function runSweep() {
  const out = path.join(workDir, SWEEP.name);
  fs.rmSync(out, { recursive: true, force: true });
  const args = ['sweep', path.join(sourceDir, 'scenarios', SWEEP.scenario), '--out', out,
                '--replications', '2'];
  for (const set of SWEEP.sets) args.push('--set', set);
  execFileSync(journeysim, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  return path.join(out, 'report.html');
}

function overlaps(a, b) {
  return a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
}

async function checkReport(browser, scenario, reportPath, sections = SECTIONS) {
  const label = `${scenario.name}:`;
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  const consoleErrors = [];
  const pageErrors = [];
  const requests = [];
  page.on('console', (message) => { if (message.type() === 'error') consoleErrors.push(message.text()); });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
  // Anything that is not a local file is refused, so a stray fetch fails loudly.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (ALLOWED_SCHEMES.some((scheme) => url.startsWith(scheme))) return route.continue();
    return route.abort();
  });

  await page.goto(pathToFileURL(reportPath).href, { waitUntil: 'load' });
  const charts = await page.locator('div.vega-chart').count();
  check(charts > 0, `${label} no chart container in the page`);
  // vega-embed draws asynchronously; wait until every container has an SVG.
  await page.waitForFunction(
    () => [...document.querySelectorAll('div.vega-chart')].every((e) => e.querySelector('svg')),
    null, { timeout: 60000 }).catch(() => {});

  const drawn = await page.evaluate(() => [...document.querySelectorAll('div.vega-chart')].map((e) => {
    const svg = e.querySelector('svg');
    const box = e.getBoundingClientRect();
    const svgBox = svg ? svg.getBoundingClientRect() : null;
    return {
      id: e.dataset.spec,
      marks: svg ? svg.querySelectorAll('path, rect, line, text, circle').length : 0,
      box: svgBox ? { left: svgBox.left, right: svgBox.right, top: svgBox.top + window.scrollY,
                      bottom: svgBox.bottom + window.scrollY, width: svgBox.width,
                      height: svgBox.height } : null,
      container: { left: box.left, right: box.right },
    };
  }));
  for (const chart of drawn) {
    check(chart.box !== null, `${label} chart ${chart.id} drew no SVG`);
    if (chart.box === null) continue;
    check(chart.marks > 5 && chart.box.width > 50 && chart.box.height > 50,
          `${label} chart ${chart.id} is empty (${chart.marks} marks, ${chart.box.width}x${chart.box.height})`);
    check(chart.box.left >= 0 && chart.box.right <= VIEWPORT.width,
          `${label} chart ${chart.id} spans x ${chart.box.left}..${chart.box.right}, beyond the ${VIEWPORT.width} px window`);
  }
  for (let i = 0; i < drawn.length; ++i) {
    for (let j = i + 1; j < drawn.length; ++j) {
      if (drawn[i].box && drawn[j].box && overlaps(drawn[i].box, drawn[j].box)) {
        failures.push(`${label} charts ${drawn[i].id} and ${drawn[j].id} overlap`);
      }
    }
  }
  const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  check(pageWidth <= VIEWPORT.width, `${label} the page is ${pageWidth} px wide, wider than the window`);

  for (const id of sections) {
    const text = await page.evaluate((sectionId) => {
      const section = document.getElementById(sectionId);
      return section ? section.innerText.trim() : null;
    }, id);
    check(text !== null, `${label} section #${id} is missing`);
    check(text !== null && text.length > 80, `${label} section #${id} has no content`);
  }
  const failedCharts = await page.evaluate(
    () => [...document.querySelectorAll('div.vega-chart')].filter((e) => e.textContent.includes('could not be drawn')).length);
  check(failedCharts === 0, `${label} ${failedCharts} chart(s) say they could not be drawn`);

  check(consoleErrors.length === 0, `${label} console errors: ${consoleErrors.join(' | ')}`);
  check(pageErrors.length === 0, `${label} page errors: ${pageErrors.join(' | ')}`);
  const remote = requests.filter((url) => !ALLOWED_SCHEMES.some((scheme) => url.startsWith(scheme)));
  check(remote.length === 0, `${label} the report requested ${remote.join(', ')}`);

  const screenshot = path.join(artifactDir, `report-${scenario.name}.png`);
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`${scenario.name}: ${drawn.length} charts, ${requests.length} requests (all local), screenshot ${screenshot}`);
  await context.close();
}

async function main() {
  // Fail, do not skip: the browser test is part of the suite.
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`FAIL: ${CHROMIUM} is missing; install Debian's chromium (scripts/install-deps.sh)`);
    process.exit(1);
  }
  fs.mkdirSync(artifactDir, { recursive: true });
  fs.mkdirSync(workDir, { recursive: true });
  const scenarios = bundledScenarios();
  check(scenarios.length > 0, 'no bundled scenario found under scenarios/');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-background-networking'],
  });
  try {
    for (const scenario of scenarios) {
      await checkReport(browser, scenario, runScenario(scenario));
    }
    await checkReport(browser, SWEEP, runSweep(), SWEEP_SECTIONS);
  } finally {
    await browser.close();
  }
  if (failures.length > 0) {
    console.error(`FAIL: ${failures.length} problem(s)\n  ${failures.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`PASS: ${scenarios.length} scenario report(s) and 1 sweep report render offline`);
}

main().catch((error) => {
  console.error(`FAIL: ${error.stack || error}`);
  process.exit(1);
});
