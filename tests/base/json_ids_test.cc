// Participant references read by id (json_util::Ids::index): every id of the
// roster, "ALL", the first of a repeated id, and one clear error otherwise,
// whatever the roster's size (the lookup is a sorted table since session 31).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/json_read.h"
#include "base/json_util.h"

namespace fable {
namespace {

using nlohmann::json;

std::string error_of(const json_util::Ids& ids, const json& j, bool numbers = false) {
  try {
    (void)ids.index(j, "to", numbers);
  } catch (const json_read::ReadError& e) {
    return e.what();
  }
  return "accepted";
}

TEST(ParticipantIds, EveryIdIsFoundAtItsIndex) {
  // Not in sorted order, as a roster's ids are not.
  std::vector<std::string> names;
  for (int i = 0; i < 3000; ++i) names.push_back(fmt::format("role{}-{:04d}", i % 7, 2999 - i));
  const json_util::Ids ids{names};
  for (std::size_t i = 0; i < names.size(); ++i) {
    ASSERT_EQ(ids.index(json(names[i]), "to"), static_cast<AgentIndex>(i)) << names[i];
  }
  EXPECT_EQ(ids.index(json("ALL"), "to"), kAllCitizens);
}

TEST(ParticipantIds, ARepeatedIdIsItsFirstIndex) {
  const std::vector<std::string> names{"b", "a", "b", "a", "c"};
  const json_util::Ids ids{names};
  EXPECT_EQ(ids.index(json("a"), "to"), 1);
  EXPECT_EQ(ids.index(json("b"), "to"), 0);
  EXPECT_EQ(ids.index(json("c"), "to"), 4);
}

TEST(ParticipantIds, AnythingElseIsOneClearError) {
  const std::vector<std::string> names{"honest-1", "drainer-1"};
  const json_util::Ids ids{names};
  EXPECT_NE(error_of(ids, json("drainer-2")).find("unknown participant 'drainer-2'"),
            std::string::npos);
  EXPECT_NE(error_of(ids, json("")).find("unknown participant ''"), std::string::npos);
  EXPECT_NE(error_of(ids, json(1)).find("expected a participant id (a string)"), std::string::npos);
  EXPECT_EQ(error_of(ids, json(7), true), "accepted") << "an index as attempted, in traces";
  const std::vector<std::string> none;
  EXPECT_NE(error_of(json_util::Ids{none}, json("x")).find("unknown participant 'x'"),
            std::string::npos);
}

}  // namespace
}  // namespace fable
