// The one record writer (fable/record_store.h): numbering after the highest
// id, one record per fingerprint, ids kept as given or refused, never an
// overwrite, and a clear error for a path that is not a folder.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "fable/holes.h"
#include "fable/record_store.h"

namespace fable {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every file in a folder (hidden ones too), by name.
std::map<std::string, std::string> files(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out[e.path().filename().string()] = read(e);
  return out;
}

fs::path fresh_dir(const std::string& name) {
  const fs::path p =
      fs::temp_directory_path() / ("fable-store-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(p);
  return p;
}

// The six canonical records (EXP-001..006, six fingerprints).
const std::vector<ExploitRecord>& canonical() {
  static const std::vector<ExploitRecord> records = [] {
    Result<Kernel> k =
        Kernel::load_file(std::string(FABLE_SOURCE_DIR) + "/kernels/kernel-v0.1.yaml");
    EXPECT_TRUE(k.ok());
    std::vector<ExploitRecord> out;
    for (const HoleScenario& hole : canonical_holes()) {
      Result<ExploitRecord> rec = canonical_record(hole, *k);
      EXPECT_TRUE(rec.ok());
      out.push_back(*rec);
    }
    return out;
  }();
  return records;
}

std::vector<ExploitRecord> pick(std::initializer_list<std::size_t> which) {
  std::vector<ExploitRecord> out;
  for (const std::size_t i : which) out.push_back(canonical().at(i));
  return out;
}

AppendOptions as_given() {
  AppendOptions o;
  o.ids = RecordIds::kAsGiven;
  return o;
}

TEST(RecordStore, CreatesTheFolderAndWritesRecordsThatLoadBack) {
  const fs::path dir = fresh_dir("create") / "nested";
  const auto r = append_records(dir.string(), pick({0, 1}));
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_TRUE((*r)[0].written);
  EXPECT_EQ((*r)[0].exploit_id, "EXP-001");
  EXPECT_EQ((*r)[1].exploit_id, "EXP-002");
  EXPECT_EQ(files(dir).size(), 2u);  // no temporary file left behind
  const Result<ExploitRecord> back = load_record((dir / "EXP-002.json").string());
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->fingerprint, canonical()[1].fingerprint);
  EXPECT_EQ(read(dir / "EXP-002.json"), record_to_json(canonical()[1]));
  fs::remove_all(dir.parent_path());
}

TEST(RecordStore, NumbersNewRecordsAfterTheHighestIdInTheFolder) {
  const fs::path dir = fresh_dir("numbering");
  std::vector<ExploitRecord> seeded = pick({0, 1});
  seeded[1].exploit_id = "EXP-007";  // a gap: 001 and 007
  ASSERT_TRUE(append_records(dir.string(), seeded, as_given()).ok());
  const auto r = append_records(dir.string(), pick({2, 3}));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ((*r)[0].exploit_id, "EXP-008");
  EXPECT_EQ((*r)[1].exploit_id, "EXP-009");
  EXPECT_EQ(load_record((dir / "EXP-009.json").string())->fingerprint, canonical()[3].fingerprint);

  AppendOptions from_20;
  from_20.first_id = 20;
  const auto later = append_records(dir.string(), pick({4}), from_20);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ((*later)[0].exploit_id, "EXP-020");
  fs::remove_all(dir);
}

TEST(RecordStore, AFingerprintAlreadyThereIsNotWrittenAgain) {
  const fs::path dir = fresh_dir("dedup");
  ASSERT_TRUE(append_records(dir.string(), pick({0, 1})).ok());
  const auto before = files(dir);
  // Again, plus one new record and a duplicate within the call.
  const auto r = append_records(dir.string(), pick({1, 0, 2, 2}));
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 4u);
  EXPECT_FALSE((*r)[0].written);
  EXPECT_EQ((*r)[0].exploit_id, "EXP-002");
  EXPECT_EQ((*r)[0].path, (dir / "EXP-002.json").string());
  EXPECT_FALSE((*r)[1].written);
  EXPECT_EQ((*r)[1].exploit_id, "EXP-001");
  EXPECT_TRUE((*r)[2].written);
  EXPECT_EQ((*r)[2].exploit_id, "EXP-003");
  EXPECT_FALSE((*r)[3].written);
  EXPECT_EQ((*r)[3].exploit_id, "EXP-003");
  const auto after = files(dir);
  EXPECT_EQ(after.size(), 3u);
  EXPECT_EQ(after.at("EXP-001.json"), before.at("EXP-001.json"));
  EXPECT_EQ(after.at("EXP-002.json"), before.at("EXP-002.json"));
  fs::remove_all(dir);
}

TEST(RecordStore, AnIdTakenByAnotherFingerprintIsRefusedAndNothingIsWritten) {
  const fs::path dir = fresh_dir("taken");
  ASSERT_TRUE(append_records(dir.string(), pick({0}), as_given()).ok());  // EXP-001
  const auto before = files(dir);
  std::vector<ExploitRecord> clash = pick({2, 1});
  clash[1].exploit_id = "EXP-001";  // another fingerprint under a taken id
  const auto r = append_records(dir.string(), clash, as_given());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("EXP-001 is taken by another fingerprint"), std::string::npos)
      << r.status().message();
  EXPECT_EQ(files(dir), before);  // EXP-003, planned before the clash, was not written either
  fs::remove_all(dir);
}

TEST(RecordStore, AFileThatIsNotARecordIsOneClearErrorAndNothingIsWritten) {
  const fs::path dir = fresh_dir("junk");
  fs::create_directories(dir);
  std::ofstream(dir / "EXP-004.json") << "not json";
  const auto r = append_records(dir.string(), pick({0}));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("EXP-004.json"), std::string::npos) << r.status().message();
  EXPECT_EQ(files(dir).size(), 1u);
  EXPECT_EQ(read(dir / "EXP-004.json"), "not json");
  fs::remove_all(dir);
}

TEST(RecordStore, RefusesAPathThatIsNotAFolder) {
  const fs::path file = fresh_dir("file");
  std::ofstream(file) << "user data";
  const auto r = append_records(file.string(), pick({0}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("not a folder"), std::string::npos) << r.status().message();
  EXPECT_EQ(read(file), "user data");
  fs::remove(file);
}

TEST(RecordStore, RefusesAFirstIdOutOfRange) {
  AppendOptions zero;
  zero.first_id = 0;
  const fs::path dir = fresh_dir("first-id");
  EXPECT_EQ(append_records(dir.string(), pick({0}), zero).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(dir));
}

}  // namespace
}  // namespace fable
