#pragma once
// Reading a scenario's text files (YAML and CSV) whole, and refusing bytes
// that have no place in them: NUL and other control characters (a NUL used to
// end a CSV line silently, and an escape byte in a name reached report.html
// raw), and classic-Mac line endings (CR only), which the readers would see as
// one long line. Each refusal names the file, the line and the field.
#include <string>
#include <vector>

namespace journeysim::sim::detail {

// The file's bytes; throws agents::InputError naming the file if it cannot be
// read or is not a regular file.
std::string read_text_file(const std::string& file);

// Throws agents::InputError at the first control character (below 0x20 other
// than tab, line feed and carriage return, or 0x7F) and at a carriage return
// not followed by a line feed. columns, if not empty, names the CSV columns, so
// that the error names the column the byte is in (by commas before it on its
// line); otherwise the field is "text".
void check_plain_text(const std::string& file, const std::string& content,
                      const std::vector<std::string>& columns = {});

// The names of a CSV file's columns: its first line that is neither empty
// nor a '#' comment, split at commas and trimmed.
std::vector<std::string> csv_header(const std::string& content);

}  // namespace journeysim::sim::detail
