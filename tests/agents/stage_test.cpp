#include "agents/stage.hpp"

#include <gtest/gtest.h>

namespace journeysim::agents {
namespace {

TEST(Stage, NamesRoundTrip) {
  for (const Stage stage : kAllStages) EXPECT_EQ(parse_stage(stage_name(stage)), stage);
  for (const Barrier barrier : kAllBarriers) {
    EXPECT_EQ(parse_barrier(barrier_name(barrier)), barrier);
  }
}

TEST(Stage, NamesAreTheDomainBriefs) {
  EXPECT_EQ(stage_name(Stage::trialing), "trialing");
  EXPECT_EQ(barrier_name(Barrier::relevance), "relevance");
  EXPECT_FALSE(parse_stage("Trialing").has_value());
  EXPECT_FALSE(parse_barrier("cost").has_value());
}

TEST(Stage, OrderIsTheOrderOfProgress) {
  EXPECT_LT(Stage::unaware, Stage::aware);
  EXPECT_LT(Stage::considering, Stage::trialing);
  EXPECT_LT(Stage::adopted, Stage::advocate);
}

}  // namespace
}  // namespace journeysim::agents
