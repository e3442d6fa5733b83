#include "sim/detail/csv_rows.hpp"

namespace journeysim::sim::detail {

void rethrow_csv_error(const io::error::base& error, const std::string& file) {
  std::size_t line = 0;
  std::string column;
  if (const auto* with_line = dynamic_cast<const io::error::with_file_line*>(&error)) {
    if (with_line->file_line > 0) line = static_cast<std::size_t>(with_line->file_line);
  }
  if (const auto* with_column = dynamic_cast<const io::error::with_column_name*>(&error)) {
    column = with_column->column_name;
  }
  if (dynamic_cast<const io::error::can_not_open_file*>(&error) != nullptr) {
    throw agents::InputError({file, 0, ""}, "cannot open the CSV file");
  }
  if (dynamic_cast<const io::error::header_missing*>(&error) != nullptr) {
    throw agents::InputError({file, 1, ""}, "the file is empty; expected a header line");
  }
  if (dynamic_cast<const io::error::too_many_columns*>(&error) != nullptr) {
    throw agents::InputError({file, line, ""}, "this row has more cells than the header");
  }
  if (dynamic_cast<const io::error::too_few_columns*>(&error) != nullptr) {
    throw agents::InputError({file, line, ""}, "this row has fewer cells than the header");
  }
  if (dynamic_cast<const io::error::escaped_string_not_closed*>(&error) != nullptr) {
    throw agents::InputError({file, line, column}, "a quoted cell is not closed");
  }
  throw agents::InputError({file, line, column}, error.what());
}

}  // namespace journeysim::sim::detail
