#include "cli/new_command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <set>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <vector>

#include "agents/input_error.hpp"
#include "cli/templates/new_template.hpp"
#include "sim/scenario.hpp"

namespace journeysim::cli {
namespace {

namespace fs = std::filesystem;

// The placeholders in cli/templates/new/: the manifest's name line, the README's
// title, and the folder the README's commands name.
constexpr std::string_view kNameLine = "\nname: my-scenario ";
constexpr std::string_view kDirPlaceholder = "my-scenario";
constexpr std::string_view kReadmeTitle = "# my-scenario\n";

agents::InputLocation command_line(std::string_view field) {
  return {"<command line>", 0, std::string(field)};
}

// The folder as an absolute path with no trailing separator, "." or "..".
fs::path normalised(const fs::path& dir) {
  fs::path path = fs::absolute(dir).lexically_normal();
  if (!path.has_filename() && path.has_relative_path()) path = path.parent_path();
  return path;
}

// Refuses names the manifest cannot carry on its one line: the name heads every output.
void check_name(const std::string& name, std::string_view field, std::string_view hint) {
  if (name.empty()) {
    throw agents::InputError(command_line(field),
                             fmt::format("the scenario name is empty; {}", hint));
  }
  const auto control = std::find_if(name.begin(), name.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
  if (control != name.end()) {
    throw agents::InputError(
        command_line(field),
        fmt::format("scenario name '{}' contains a control character; {}", name, hint));
  }
}

// The name as a YAML scalar: plain when it reads back as the same text, else double-quoted.
std::string yaml_scalar(const std::string& name) {
  const bool plain_safe = std::all_of(name.begin(), name.end(),
                                      [](char c) {
                                        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                               (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                                               c == '.';
                                      }) &&
                          name.front() != '-' && name.front() != '.' && name != "null" &&
                          name != "Null" && name != "NULL";
  if (plain_safe) return name;
  std::string quoted = "\"";
  for (const char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + '"';
}

// dir as the README's commands should show it: as typed, single-quoted for the
// shell when it holds anything but safe characters.
std::string shell_word(const std::string& dir) {
  const bool safe = std::all_of(dir.begin(), dir.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == '/' || c == '+' || c == ',' || c == ':';
  });
  if (safe && !dir.empty()) return dir;
  std::string quoted = "'";
  for (const char c : dir) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// The bytes to write for one template file.
std::string instantiate(const TemplateFile& file, const std::string& name,
                        const std::string& dir_word) {
  std::string text(file.text);
  if (file.path == "scenario.yaml") {
    const std::size_t at = text.find(kNameLine);
    if (at == std::string::npos) {
      throw std::logic_error("the embedded scenario.yaml has no 'name: my-scenario' line");
    }
    text.replace(at, kNameLine.size(), fmt::format("\nname: {} ", yaml_scalar(name)));
  } else if (file.path == "README.md") {
    // The title is the scenario's name; every other mention is the folder in a command.
    if (text.rfind(kReadmeTitle, 0) == 0) text.replace(2, kDirPlaceholder.size(), name);
    text = replace_all(std::move(text), kDirPlaceholder, dir_word);
  }
  return text;
}

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) throw std::runtime_error(fmt::format("cannot write '{}'", path.string()));
}

// A fresh folder next to target, for the scenario until it is complete.
fs::path make_staging_folder(const fs::path& target) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    const fs::path staging =
        target.parent_path() /
        fmt::format(".{}.new-{}-{}", target.filename().string(), ::getpid(), attempt);
    std::error_code error;
    if (fs::create_directory(staging, error)) return staging;
    if (error) {
      throw agents::InputError(
          command_line("DIR"),
          fmt::format("cannot create a folder next to '{}': {}", target.string(), error.message()));
    }
  }
  throw std::runtime_error(
      fmt::format("cannot find a free staging folder next to '{}'", target.string()));
}

// Removes the staging folder on every way out.
class StagingGuard {
 public:
  explicit StagingGuard(fs::path path) : path_(std::move(path)) {}
  StagingGuard(const StagingGuard&) = delete;
  StagingGuard& operator=(const StagingGuard&) = delete;
  ~StagingGuard() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }

 private:
  fs::path path_;
};

// With --force into a non-empty folder: every template path must be free or of
// the same kind (file or folder), checked before anything is moved.
void check_no_kind_clash(const fs::path& target, const std::string& dir) {
  std::set<std::string> folders;
  for (const TemplateFile& file : new_scenario_template()) {
    const fs::path relative(file.path);
    for (fs::path parent = relative.parent_path(); !parent.empty(); parent = parent.parent_path()) {
      folders.insert(parent.string());
    }
    const fs::path path = target / relative;
    if (fs::exists(path) && !fs::is_regular_file(path)) {
      throw agents::InputError(command_line("DIR"),
                               fmt::format("'{}' holds '{}', which is not a file; the template "
                                           "writes a file there. Nothing was changed",
                                           dir, file.path));
    }
  }
  for (const std::string& folder : folders) {
    const fs::path path = target / folder;
    if (fs::exists(path) && !fs::is_directory(path)) {
      throw agents::InputError(command_line("DIR"),
                               fmt::format("'{}' holds '{}', which is not a folder; the template "
                                           "writes a folder there. Nothing was changed",
                                           dir, folder));
    }
  }
}

}  // namespace

std::string default_scenario_name(const fs::path& dir) {
  return normalised(dir).filename().string();
}

void run_new(const NewOptions& options, std::ostream& out) {
  if (options.dir.empty()) {
    throw agents::InputError(command_line("DIR"), "expected a folder to write the scenario into");
  }
  const fs::path target = normalised(options.dir);
  const std::string name = options.name.value_or(default_scenario_name(options.dir));
  if (options.name) {
    check_name(name, "--name", "give a short name such as my-launch");
  } else {
    check_name(
        name, "DIR",
        fmt::format("cannot take a scenario name from '{}'; give one with --name", options.dir));
  }

  std::error_code error;
  const bool exists = fs::exists(target, error);
  if (exists && !fs::is_directory(target)) {
    throw agents::InputError(command_line("DIR"),
                             fmt::format("'{}' exists and is not a folder", options.dir));
  }
  const bool empty = !exists || fs::is_empty(target);
  if (!empty && !options.force) {
    throw agents::InputError(
        command_line("DIR"),
        fmt::format("folder '{}' exists and is not empty; nothing was written. Choose a new "
                    "folder, or pass --force to write the template's files into it (files of the "
                    "same name are replaced, others are left alone)",
                    options.dir));
  }
  if (!empty) check_no_kind_clash(target, options.dir);
  if (!fs::is_directory(target.parent_path())) fs::create_directories(target.parent_path());

  const fs::path staging = make_staging_folder(target);
  const StagingGuard guard(staging);
  const std::string dir_word = shell_word(options.dir);
  for (const TemplateFile& file : new_scenario_template()) {
    write_file(staging / fs::path(file.path), instantiate(file, name, dir_word));
  }

  // The written scenario must load, under the name asked for, with no warnings:
  // anything else is a bug in the template, not bad input.
  try {
    const sim::Scenario scenario = sim::load_scenario(staging);
    if (scenario.name != name) {
      throw std::logic_error(
          fmt::format("the scenario reads back as '{}', not '{}'", scenario.name, name));
    }
    if (!scenario.warnings.empty()) {
      throw std::logic_error(
          fmt::format("the template loads with a warning: {}", scenario.warnings.front()));
    }
  } catch (const agents::InputError& bad) {
    throw std::logic_error(fmt::format("the embedded template does not load: {}", bad.what()));
  }

  if (empty) {
    // rename(2) replaces an empty folder, so an existing empty DIR is fine too.
    fs::rename(staging, target);
  } else {
    for (const TemplateFile& file : new_scenario_template()) {
      const fs::path destination = target / fs::path(file.path);
      fs::create_directories(destination.parent_path());
      fs::rename(staging / fs::path(file.path), destination);
    }
  }

  const auto files = new_scenario_template();
  const auto count = [&files](std::string_view prefix) {
    return std::count_if(files.begin(), files.end(), [prefix](const TemplateFile& file) {
      return file.path.substr(0, prefix.size()) == prefix;
    });
  };
  out << fmt::format(
      "Wrote scenario '{}' to {}: scenario.yaml, README.md, {} journeys, {} tables.\n"
      "Next:\n"
      "  journeysim validate {}\n"
      "  journeysim run {} --replications 10 --out {}\n"
      "Then read {} for three edits to try.\n",
      name, options.dir, count("journeys/"), count("tables/"), dir_word, dir_word,
      shell_word((fs::path(options.dir) / "out").string()),
      shell_word((fs::path(options.dir) / "README.md").string()));
}

void add_new(CLI::App& app) {
  auto options = std::make_shared<NewOptions>();
  CLI::App* command = app.add_subcommand(
      "new", "Write a small, commented scenario with two journeys to compare, ready to run");
  command->add_option("dir", options->dir, "Folder to create (must not exist, or be empty)")
      ->required();
  command->add_option("--name", options->name, "Scenario name (default: the folder's name)");
  command->add_flag("--force", options->force,
                    "Write into a non-empty folder: replace the template's files, keep the rest");
  command->callback([options] { run_new(*options, std::cout); });
}

}  // namespace journeysim::cli
