#pragma once
// journeysim new: write a small, commented, runnable scenario to start from. The
// template's files (cli/templates/new/) are embedded in the binary.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>

namespace journeysim::cli {

struct NewOptions {
  std::string dir;                  // Folder to write the scenario into.
  std::optional<std::string> name;  // --name: scenario name; default: dir's last component.
  bool force = false;               // --force: write into a non-empty dir.
};

// The scenario name `journeysim new` would give dir: its last path component,
// ignoring a trailing separator and resolving "." and "..". Empty for "/".
std::string default_scenario_name(const std::filesystem::path& dir);

// Writes the template scenario into options.dir, with options.name (or the
// default name) as its name, and prints what to run next to out. The files are
// written to a temporary folder next to dir, loaded with the scenario loader, and
// only then moved into place. Without force, refuses a dir that exists and is
// not empty; with force, replaces the template's files in it and leaves every
// other file alone. Throws agents::InputError (nothing changed) for bad input.
void run_new(const NewOptions& options, std::ostream& out);

// Registers the new subcommand on app.
void add_new(CLI::App& app);

}  // namespace journeysim::cli
