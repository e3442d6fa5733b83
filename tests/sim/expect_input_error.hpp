#pragma once
// Test support: expects a call to throw agents::InputError naming a field.
#include <gtest/gtest.h>

#include <string>

#include "agents/input_error.hpp"

namespace journeysim::testing {

// Expects f() to throw an InputError whose field is field and whose message
// contains text; records a failure otherwise.
template <typename F>
void expect_input_error(F&& f, const std::string& field, const std::string& text) {
  try {
    f();
    ADD_FAILURE() << "expected an InputError for " << field;
  } catch (const agents::InputError& error) {
    EXPECT_EQ(error.where().field, field) << error.what();
    EXPECT_NE(error.message().find(text), std::string::npos) << error.what();
  }
}

}  // namespace journeysim::testing
