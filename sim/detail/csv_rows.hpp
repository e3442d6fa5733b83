#pragma once
// Reads a CSV table by column name with fast-cpp-csv-parser, and turns every
// problem into agents::InputError naming the file, line and column.
//
// Cells are read as text and converted here, because fast-cpp-csv-parser reads
// an empty numeric cell as 0; for us an empty cell where a number is required
// is an error, not a zero. Only sim's .cpp files include this header.
// csv.h trips GCC 12's string-truncation warning in code we do not own.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-truncation"
#include <libfccp/csv.h>
#pragma GCC diagnostic pop

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "agents/input_error.hpp"
#include "sim/detail/plain_text.hpp"

namespace journeysim::sim::detail {

// A column of a table: its name and whether a file must have it.
struct CsvColumn {
  const char* name;
  bool required;
};

// Turns a fast-cpp-csv-parser error into InputError with its file, line and column.
[[noreturn]] void rethrow_csv_error(const io::error::base& error, const std::string& file);

template <std::size_t N>
class CsvRows {
 public:
  using Reader = io::CSVReader<N, io::trim_chars<' ', '\t'>, io::double_quote_escape<',', '"'>,
                               io::throw_on_overflow, io::single_and_empty_line_comment<'#'>>;

  // Reads the file, checks it is plain text (check_plain_text), and reads its
  // header. Extra columns are ignored; a missing required column is an error.
  // The parser reads from memory, with a final line feed added if the file
  // lacks one (without it, fast-cpp-csv-parser reads a byte past the data).
  CsvRows(std::string file, const std::array<CsvColumn, N>& columns)
      : file_(std::move(file)), columns_(columns), content_(read_text_file(file_)) {
    check_plain_text(file_, content_, csv_header(content_));
    if (!content_.empty() && content_.back() != '\n') content_.push_back('\n');
    try {
      reader_ = std::make_unique<Reader>(file_, content_.data(), content_.data() + content_.size());
      std::apply([this](auto... names) { reader_->read_header(kPolicy, names...); },
                 column_names());
    } catch (const io::error::base& error) {
      rethrow_csv_error(error, file_);
    }
    for (std::size_t i = 0; i < N; ++i) {
      present_[i] = reader_->has_column(columns_[i].name);
      if (columns_[i].required && !present_[i]) {
        throw agents::InputError({file_, reader_->get_file_line(), columns_[i].name},
                                 "missing column in the header line");
      }
    }
  }

  // Reads the next row; false at the end of the file.
  bool next() {
    cells_.fill(std::string());
    try {
      return std::apply([this](auto&... cells) { return reader_->read_row(cells...); }, cells_);
    } catch (const io::error::base& error) {
      rethrow_csv_error(error, file_);
    }
  }

  bool has_column(std::size_t column) const { return present_[column]; }
  std::size_t line() const { return reader_->get_file_line(); }
  const std::string& file() const { return file_; }
  agents::InputLocation where(std::size_t column) const {
    return {file_, line(), columns_[column].name};
  }
  [[noreturn]] void fail(std::size_t column, const std::string& message) const {
    throw agents::InputError(where(column), message);
  }

  // The cell's text; an empty required cell is an error.
  const std::string& text(std::size_t column) const {
    if (cells_[column].empty()) fail(column, "expected a value, found an empty cell");
    return cells_[column];
  }
  // True if the column exists and this row's cell is not empty.
  bool filled(std::size_t column) const { return present_[column] && !cells_[column].empty(); }

  // A finite number.
  double number(std::size_t column) const {
    const std::string& cell = text(column);
    double value = 0.0;
    const auto [end, error] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
    if (error != std::errc() || end != cell.data() + cell.size() || !std::isfinite(value)) {
      fail(column, fmt::format("expected a number, found '{}'", cell));
    }
    return value;
  }
  double number_or(std::size_t column, double fallback) const {
    return filled(column) ? number(column) : fallback;
  }
  // A number in [min, max]; says what it expected otherwise.
  double number_in(std::size_t column, double min, double max, std::string_view what) const {
    const double value = number(column);
    if (value < min || value > max) {
      fail(column, fmt::format("expected {}, found {}", what, text(column)));
    }
    return value;
  }
  // A share or probability in [0, 1].
  double share(std::size_t column) const {
    return number_in(column, 0.0, 1.0, "a share or probability in [0, 1]");
  }
  // 0/1, true/false or yes/no.
  bool flag(std::size_t column) const {
    const std::string& cell = text(column);
    if (cell == "1" || cell == "true" || cell == "yes") return true;
    if (cell == "0" || cell == "false" || cell == "no") return false;
    fail(column, fmt::format("expected 0 or 1 (or true/false, yes/no), found '{}'", cell));
  }

 private:
  static constexpr io::ignore_column kPolicy = io::ignore_extra_column | io::ignore_missing_column;

  auto column_names() const {
    return [this]<std::size_t... I>(std::index_sequence<I...>) {
      return std::make_tuple(columns_[I].name...);
    }
    (std::make_index_sequence<N>{});
  }

  std::string file_;
  std::array<CsvColumn, N> columns_;
  std::string content_;  // The file's bytes; the reader points into them.
  std::unique_ptr<Reader> reader_;
  std::array<bool, N> present_{};
  std::array<std::string, N> cells_{};
};

}  // namespace journeysim::sim::detail
