#pragma once
// Bad input, as opposed to a bug. The CLI turns InputError into exit status 2;
// broken invariants stay std::logic_error (exit status 1).
#include <cstddef>
#include <stdexcept>
#include <string>

namespace journeysim::agents {

// Where a bad value was found. line is 1-based; 0 means the file has no line
// for it (for example a missing file). field names the YAML key path or CSV column.
struct InputLocation {
  std::string file;
  std::size_t line = 0;
  std::string field;
};

// Bad user input: carries the file, line and field, and a message saying what
// was expected. what() reads "FILE:LINE: field 'F': MESSAGE".
class InputError : public std::runtime_error {
 public:
  InputError(InputLocation where, const std::string& message);

  const InputLocation& where() const noexcept { return where_; }
  // The message without the location prefix.
  const std::string& message() const noexcept { return message_; }

 private:
  InputLocation where_;
  std::string message_;
};

}  // namespace journeysim::agents
