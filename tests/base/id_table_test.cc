// IdTable (src/base/id_table.h), the sorted table behind participant lookups
// in records, traces, replay and minimisation: every id at its position, the
// first position of a repeated id, absent ids absent.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "base/id_table.h"

namespace fable {
namespace {

TEST(IdTable, EveryIdIsFoundAtItsPosition) {
  // Not in sorted order, as a roster's ids are not.
  std::vector<std::string> ids;
  for (int i = 0; i < 5000; ++i) ids.push_back(fmt::format("role{}-{:04d}", i % 7, 4999 - i));
  const IdTable table(ids);
  EXPECT_EQ(table.size(), ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    ASSERT_EQ(table.find(ids[i]), i) << ids[i];
    ASSERT_TRUE(table.contains(ids[i]));
  }
}

TEST(IdTable, ARepeatedIdIsItsFirstPosition) {
  const std::vector<std::string> ids{"b", "a", "b", "a", "c", "a"};
  const IdTable table(ids);
  EXPECT_EQ(table.find("a"), 1u);
  EXPECT_EQ(table.find("b"), 0u);
  EXPECT_EQ(table.find("c"), 4u);
  EXPECT_EQ(table.size(), 6u);
}

TEST(IdTable, AnIdNotInTheTableIsNotFound) {
  const std::vector<std::string> ids{"honest-1", "drainer-1", "drainer-10"};
  const IdTable table(ids);
  for (std::string_view absent : {"", "drainer-", "drainer-2", "drainer-100", "honest-10", "z"}) {
    EXPECT_EQ(table.find(absent), std::nullopt) << absent;
    EXPECT_FALSE(table.contains(absent)) << absent;
  }
  const IdTable empty;
  EXPECT_EQ(empty.find("honest-1"), std::nullopt);
  EXPECT_EQ(empty.size(), 0u);
}

}  // namespace
}  // namespace fable
