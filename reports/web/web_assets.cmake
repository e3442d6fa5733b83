# The report's charting libraries (Vega, Vega-Lite, vega-embed), installed at
# build time from the npm registry with the committed lock file, then embedded
# into journeysim_reports so a written report needs nothing from outside.
# Included from reports/CMakeLists.txt; defines JOURNEYSIM_WEB_DIR and the
# target journeysim_web_bundles.
find_program(JOURNEYSIM_NPM npm)
if(NOT JOURNEYSIM_NPM)
  message(FATAL_ERROR
    "npm not found: the HTML report embeds Vega-Lite, installed at build time with `npm ci` "
    "from reports/web/package-lock.json. Install Node.js and npm (scripts/install-deps.sh does).")
endif()

set(JOURNEYSIM_WEB_DIR ${CMAKE_BINARY_DIR}/web)
set(_journeysim_web_modules ${JOURNEYSIM_WEB_DIR}/node_modules)
set(JOURNEYSIM_WEB_BUNDLES
  ${_journeysim_web_modules}/vega/build/vega.min.js
  ${_journeysim_web_modules}/vega-lite/build/vega-lite.min.js
  ${_journeysim_web_modules}/vega-embed/build/vega-embed.min.js)
set(JOURNEYSIM_WEB_LICENSES
  ${_journeysim_web_modules}/vega/LICENSE
  ${_journeysim_web_modules}/vega-lite/LICENSE
  ${_journeysim_web_modules}/vega-embed/LICENSE)
set(_journeysim_web_src ${CMAKE_CURRENT_SOURCE_DIR}/web)

# npm ci keeps the tarballs' old timestamps, so the outputs are touched
# afterwards; otherwise Ninja would rerun the install on every build.
# PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: the browser test drives Debian's chromium.
add_custom_command(
  OUTPUT ${JOURNEYSIM_WEB_BUNDLES} ${JOURNEYSIM_WEB_LICENSES}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${JOURNEYSIM_WEB_DIR}
  COMMAND ${CMAKE_COMMAND} -E copy_if_different ${_journeysim_web_src}/package.json
          ${_journeysim_web_src}/package-lock.json ${JOURNEYSIM_WEB_DIR}
  COMMAND ${CMAKE_COMMAND} -E env PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
          ${JOURNEYSIM_NPM} ci --ignore-scripts --no-audit --no-fund --loglevel=error
  COMMAND ${CMAKE_COMMAND} -E touch ${JOURNEYSIM_WEB_BUNDLES} ${JOURNEYSIM_WEB_LICENSES}
  DEPENDS ${_journeysim_web_src}/package.json ${_journeysim_web_src}/package-lock.json
  WORKING_DIRECTORY ${JOURNEYSIM_WEB_DIR}
  COMMENT "npm ci: the HTML report's charting libraries"
  VERBATIM)
add_custom_target(journeysim_web_bundles DEPENDS ${JOURNEYSIM_WEB_BUNDLES} ${JOURNEYSIM_WEB_LICENSES})

# web_assets.cpp pulls the files in with the assembler's .incbin (fast for a
# megabyte, unlike a hex dump); it must rebuild when they change.
set_source_files_properties(${CMAKE_CURRENT_SOURCE_DIR}/detail/web_assets.cpp PROPERTIES
  OBJECT_DEPENDS "${JOURNEYSIM_WEB_BUNDLES};${JOURNEYSIM_WEB_LICENSES}"
  COMPILE_DEFINITIONS "JOURNEYSIM_WEB_MODULES=\"${_journeysim_web_modules}\"")
