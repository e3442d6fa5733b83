#include "agents/input_error.hpp"

#include <utility>

namespace journeysim::agents {
namespace {

std::string format_error(const InputLocation& where, const std::string& message) {
  std::string text = where.file.empty() ? std::string("<input>") : where.file;
  if (where.line > 0) text.append(":").append(std::to_string(where.line));
  text.append(": ");
  if (!where.field.empty()) text.append("field '").append(where.field).append("': ");
  return text.append(message);
}

}  // namespace

InputError::InputError(InputLocation where, const std::string& message)
    : std::runtime_error(format_error(where, message)),
      where_(std::move(where)),
      message_(message) {}

}  // namespace journeysim::agents
