// Every record in exploits/ has its generated regression test and a row in
// kernels/CHANGELOG.md mapping it to the amendment that closed it (or
// marking it open). A record added without either fails the build's tests.
#include <filesystem>
#include <set>

#include "support/regression_support.h"

namespace fable::regression {
namespace {

std::set<std::string> exploit_ids() {
  std::set<std::string> ids;
  for (const auto& e : std::filesystem::directory_iterator(source_path("exploits"))) {
    if (e.path().extension() == ".json") ids.insert(e.path().stem().string());
  }
  return ids;
}

TEST(RegressionCoverage, ShippedRecordsArePresent) {
  const std::set<std::string> ids = exploit_ids();
  for (const char* id : {"EXP-001", "EXP-002", "EXP-003", "EXP-004", "EXP-005", "EXP-006"}) {
    EXPECT_TRUE(ids.count(id)) << id << " is missing from exploits/";
  }
}

TEST(RegressionCoverage, EveryRecordHasAGeneratedTest) {
  for (const std::string& id : exploit_ids()) {
    std::string ident = id;
    std::replace(ident.begin(), ident.end(), '-', '_');
    const std::string test = source_path("tests/regressions/" + ident + "_test.cc");
    EXPECT_TRUE(std::filesystem::exists(test))
        << "exploits/" << id << ".json has no regression test: run `fable-selfplay generate-tests`";
  }
}

TEST(RegressionCoverage, EveryRecordHasAChangelogRow) {
  for (const std::string& id : exploit_ids()) {
    const std::string status = changelog_status(id);
    EXPECT_TRUE(status == "closed" || status == "open")
        << id << " has no row in kernels/CHANGELOG.md (| " << id
        << " | name | closed or open | version | how |)";
  }
}

TEST(RegressionCoverage, RecordFileNamesMatchTheirIds) {
  for (const std::string& id : exploit_ids()) {
    Result<ExploitRecord> rec = load_record(source_path("exploits/" + id + ".json"));
    ASSERT_TRUE(rec.ok()) << rec.status().message();
    EXPECT_EQ(rec->exploit_id, id);
  }
}

}  // namespace
}  // namespace fable::regression
