// Kernels and records outlive the parameter table (issue 10, point 2).
//
// A copy of the parameter table gets one more parameter (table revision 2,
// nullable, default null: today's behaviour). Validation, article coverage and
// the content hash run on that copy exactly as Kernel runs them on the real
// table, and must show that: every shipped kernel keeps its content hash and
// stays valid; a document that moves the new parameter from its default gets
// another hash and needs an article for it; every shipped record still finds
// its discovery kernel (by name and version, hash as the check) and replays
// with the same verdicts.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "base/hash.h"
#include "fable/kernel.h"
#include "fable/params.h"
#include "fable/record.h"
#include "fable/replay.h"
#include "kernel/kernel_internal.h"
#include "kernel/kernel_yaml.h"

namespace fable {
namespace {

namespace fs = std::filesystem;

std::string source_path(const std::string& rel) {
  return std::string(FABLE_SOURCE_DIR) + "/" + rel;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The real table plus one parameter introduced in revision 2. Its section
// ("council") is new, so the loader must learn the key from the table too.
constexpr std::string_view kNewPath = "council.max_size";

std::vector<ParamInfo> evolved_table() {
  std::vector<ParamInfo> t(all_params().begin(), all_params().end());
  t.push_back({static_cast<ParamId>(kParamCount), kNewPath, ParamType::kInt, true, 1, 1000,
               Tightens::kLower, ParamValue::null(),
               "most members an emergency council may have (null: no limit)",
               kParamTableRevision + 1, false});
  return t;
}

// Validation and hash under a given table, as Kernel::parse does under the real one.
struct Evolved {
  Result<kernel_internal::Loaded> loaded = Status::Invalid("not run");
  std::uint64_t hash = 0;
};

Evolved load_with(ParamTable table, const std::string& text, const std::string& source) {
  Evolved out;
  auto tree = kernel_yaml::read(text, source);
  if (!tree.ok()) {
    out.loaded = tree.status();
    return out;
  }
  out.loaded = kernel_internal::validate(*tree, source, table);
  if (out.loaded.ok()) {
    out.hash = kernel_internal::content_hash(out.loaded->doc, out.loaded->doc.version, table,
                                             out.loaded->values);
  }
  return out;
}

std::vector<std::string> shipped_kernels() {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(source_path("kernels"))) {
    if (e.path().extension() == ".yaml") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  files.push_back(source_path("tests/data/kernel-mixed.yaml"));
  files.push_back(source_path("tests/data/kernel-minimal.yaml"));
  return files;
}

std::string replace_once(std::string text, std::string_view from, std::string_view to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(ParamTableEvolution, TheRealTableIsTheCurrentRevision) {
  for (const ParamInfo& info : all_params()) {
    EXPECT_GE(info.since, 1) << info.path;
    EXPECT_LE(info.since, kParamTableRevision) << info.path;
  }
  // The copy used below really is the real table plus one later parameter.
  const std::vector<ParamInfo> t = evolved_table();
  ASSERT_EQ(t.size(), static_cast<std::size_t>(kParamCount) + 1);
  EXPECT_GT(t.back().since, kParamTableRevision);
  EXPECT_FALSE(find_param(kNewPath).has_value());
}

TEST(ParamTableEvolution, ShippedKernelsKeepTheirHashesAndStayValid) {
  const std::vector<ParamInfo> table = evolved_table();
  for (const std::string& file : shipped_kernels()) {
    SCOPED_TRACE(file);
    const Result<Kernel> real = Kernel::load_file(file);
    ASSERT_TRUE(real.ok()) << real.status().message();
    const Evolved evolved = load_with(table, read_text(file), file);
    ASSERT_TRUE(evolved.loaded.ok()) << evolved.loaded.status().message();
    EXPECT_EQ(hex64(evolved.hash), hex64(real->content_hash()));
    EXPECT_EQ(evolved.loaded->params, real->params());
    EXPECT_FALSE(evolved.loaded->written.back());
  }
  // The hashes the shipped records carry, fixed for good.
  EXPECT_EQ(hex64(Kernel::load_file(source_path("kernels/kernel-v0.1.yaml"))->content_hash()),
            "d42d2abc0c165eb2");
  EXPECT_EQ(hex64(Kernel::load_file(source_path("kernels/kernel-v0.2.yaml"))->content_hash()),
            "1e5f2dcd57a445c8");
}

TEST(ParamTableEvolution, MovingTheNewParameterChangesTheHashAndNeedsAnArticle) {
  const std::vector<ParamInfo> table = evolved_table();
  const std::string file = source_path("tests/data/kernel-minimal.yaml");
  const std::string base = read_text(file);
  const Evolved before = load_with(table, base, file);
  ASSERT_TRUE(before.loaded.ok()) << before.loaded.status().message();

  // Set away from the default, no article: refused, naming the clause.
  const std::string set = replace_once(base, "params:\n", "params:\n  council:\n    max_size: 3\n");
  const Evolved ungoverned = load_with(table, set, file);
  ASSERT_FALSE(ungoverned.loaded.ok());
  EXPECT_NE(ungoverned.loaded.status().message().find(
                "clause 'council.max_size' is governed by no article"),
            std::string::npos)
      << ungoverned.loaded.status().message();

  // With an article: valid, and a different hash.
  const std::string governed_text =
      replace_once(set, "governs: [standing.roll,", "governs: [council.max_size, standing.roll,");
  const Evolved governed = load_with(table, governed_text, file);
  ASSERT_TRUE(governed.loaded.ok()) << governed.loaded.status().message();
  EXPECT_NE(governed.hash, before.hash);
  EXPECT_TRUE(governed.loaded->written.back());
  EXPECT_EQ(governed.loaded->values.back(), ParamValue::of(3));

  // Another value, another hash: the value itself is hashed, not only its presence.
  const Evolved other =
      load_with(table, replace_once(governed_text, "max_size: 3", "max_size: 4"), file);
  ASSERT_TRUE(other.loaded.ok()) << other.loaded.status().message();
  EXPECT_NE(other.hash, governed.hash);

  // Written at its default: the document states it, so an article must govern
  // it; the parameters hash as if it were omitted.
  const std::string at_default = replace_once(set, "max_size: 3", "max_size: null");
  const Evolved default_ungoverned = load_with(table, at_default, file);
  ASSERT_FALSE(default_ungoverned.loaded.ok());
  EXPECT_NE(default_ungoverned.loaded.status().message().find("council.max_size"),
            std::string::npos);
  const Evolved default_governed =
      load_with(table, replace_once(governed_text, "max_size: 3", "max_size: null"), file);
  ASSERT_TRUE(default_governed.loaded.ok()) << default_governed.loaded.status().message();
  kernel_internal::Loaded omitted = *before.loaded;
  omitted.doc.articles = default_governed.loaded->doc.articles;
  EXPECT_EQ(default_governed.hash,
            kernel_internal::content_hash(omitted.doc, omitted.doc.version, table, omitted.values));

  // Out of its range: the table's range applies to the new parameter too.
  const Evolved bad =
      load_with(table, replace_once(governed_text, "max_size: 3", "max_size: 0"), file);
  ASSERT_FALSE(bad.loaded.ok());
  EXPECT_NE(bad.loaded.status().message().find("params.council.max_size"), std::string::npos)
      << bad.loaded.status().message();
}

TEST(ParamTableEvolution, CoverageRuleByClause) {
  const std::vector<ParamInfo> table = evolved_table();
  std::vector<ParamValue> values;
  for (const ParamInfo& info : table) values.push_back(info.default_value);
  std::vector<bool> written(table.size(), false);
  const auto added = static_cast<ClauseId>(table.size() - 1);
  for (int c = 0; c < kernel_internal::clause_count(table); ++c) {
    const auto id = static_cast<ClauseId>(c);
    // At their defaults and unwritten, only parameters of a later revision
    // than the first (the added one, voting.threshold_ceiling) need no article.
    const bool later = c < static_cast<int>(table.size()) && table[c].since > 1;
    EXPECT_EQ(kernel_internal::needs_article(table, id, values, written), !later)
        << kernel_internal::clause_name(table, id);
    if (id == added) {
      EXPECT_TRUE(later);
    }
  }
  written.back() = true;
  EXPECT_TRUE(kernel_internal::needs_article(table, added, values, written));
  written.back() = false;
  values.back() = ParamValue::of(5);
  EXPECT_TRUE(kernel_internal::needs_article(table, added, values, written));
  // Structural clauses keep their names after the added parameter.
  EXPECT_EQ(kernel_internal::clause_name(table, static_cast<ClauseId>(table.size())),
            "standing.roll");
  EXPECT_EQ(kernel_internal::find_clause(table, "transfers.private"),
            static_cast<ClauseId>(kernel_internal::clause_count(table) - 1));
}

std::vector<std::string> record_files() {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(source_path("exploits"))) {
    if (e.path().extension() == ".json") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(ParamTableEvolution, ShippedRecordsFindTheirKernelAndReplayAlike) {
  const std::vector<ParamInfo> table = evolved_table();
  // The kernels folder as the evolved table sees it.
  std::vector<KernelFile> evolved_files;
  for (const auto& e : fs::directory_iterator(source_path("kernels"))) {
    if (e.path().extension() != ".yaml") continue;
    const Evolved k = load_with(table, read_text(e.path().string()), e.path().string());
    ASSERT_TRUE(k.loaded.ok()) << k.loaded.status().message();
    evolved_files.push_back(
        {e.path().string(), k.loaded->doc.name, k.loaded->doc.version.to_string(), k.hash});
  }
  std::sort(evolved_files.begin(), evolved_files.end(),
            [](const KernelFile& a, const KernelFile& b) { return a.path < b.path; });
  // Every shipped record is closed by the newest kernel (kernels/CHANGELOG.md).
  const Result<Kernel> current = Kernel::load_file(source_path("kernels/kernel-v0.3.yaml"));
  ASSERT_TRUE(current.ok());
  const DetectorSuite suite = default_suite();
  const std::vector<std::string> records = record_files();
  ASSERT_FALSE(records.empty());
  for (const std::string& file : records) {
    SCOPED_TRACE(file);
    const Result<ExploitRecord> rec = load_record(file);
    ASSERT_TRUE(rec.ok()) << rec.status().message();
    const Result<std::string> today =
        find_discovery_kernel(source_path("kernels"), rec->reproduction);
    ASSERT_TRUE(today.ok()) << today.status().message();
    const Result<std::string> evolved =
        match_discovery_kernel(evolved_files, rec->reproduction, "kernels");
    ASSERT_TRUE(evolved.ok()) << evolved.status().message();
    EXPECT_EQ(*evolved, *today);

    // The evolved table runs the same typed parameters, so the same episode.
    const Result<Kernel> discovery = Kernel::load_file(*today);
    ASSERT_TRUE(discovery.ok());
    const Evolved same = load_with(table, read_text(*today), *today);
    ASSERT_TRUE(same.loaded.ok());
    EXPECT_EQ(same.loaded->params, discovery->params());
    EXPECT_EQ(replay_record(*rec, *discovery, suite).verdict, Verdict::kReproduces);
    EXPECT_EQ(replay_record(*rec, *current, suite).verdict, Verdict::kBlocked);
  }
}

TEST(DiscoveryKernel, NameAndVersionFindItTheHashChecksIt) {
  Reproduction r;
  r.kernel_name = "Commons Charter";
  r.kernel_version = "0.1.0";
  r.kernel_hash = "d42d2abc0c165eb2";
  const KernelFile edited{"k/a.yaml", "Commons Charter", "0.1.0", 0x7876cab2aeb2b085};
  const KernelFile original{"k/b.yaml", "Commons Charter", "0.1.0", 0xd42d2abc0c165eb2};
  const KernelFile newer{"k/c.yaml", "Commons Charter", "0.2.0", 0x5eb8dd1c0e7f2a31};
  // Name and version are part of the content hash: a file with the record's
  // hash under another version shows the record's claim to be false.
  const KernelFile claimed{"k/d.yaml", "Commons Charter", "0.2.0", 0xd42d2abc0c165eb2};

  const std::vector<KernelFile> both{edited, original};
  const Result<std::string> found = match_discovery_kernel(both, r, "k");
  ASSERT_TRUE(found.ok()) << found.status().message();
  EXPECT_EQ(*found, "k/b.yaml");

  // Same name and version, another hash: an error, never a silent replay.
  const std::vector<KernelFile> only_edited{edited, newer};
  const Result<std::string> changed = match_discovery_kernel(only_edited, r, "k");
  ASSERT_FALSE(changed.ok());
  EXPECT_EQ(changed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(changed.status().message().find(
                "k/a.yaml is Commons Charter v0.1.0 but its content hash is 7876cab2aeb2b085, not "
                "the discovery hash d42d2abc0c165eb2"),
            std::string::npos)
      << changed.status().message();

  // A hash alone does not identify it: name and version must match.
  const std::vector<KernelFile> only_newer{newer};
  const Result<std::string> missing = match_discovery_kernel(only_newer, r, "k");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("no kernel in k is Commons Charter v0.1.0"),
            std::string::npos)
      << missing.status().message();

  // The record claims v0.1.0 but carries the hash of a v0.2.0 document: refused, both named.
  const std::vector<KernelFile> contradiction{original, claimed};
  const Result<std::string> false_claim = match_discovery_kernel(contradiction, r, "k");
  ASSERT_FALSE(false_claim.ok());
  EXPECT_NE(false_claim.status().message().find(
                "the record claims kernel Commons Charter v0.1.0 but its kernel_hash "
                "d42d2abc0c165eb2 is that of k/d.yaml (Commons Charter v0.2.0)"),
            std::string::npos)
      << false_claim.status().message();
  EXPECT_FALSE(check_kernel_claim(r, claimed).ok());
  EXPECT_TRUE(check_kernel_claim(r, original).ok());
  EXPECT_TRUE(check_kernel_claim(r, newer).ok());  // another kernel, on purpose: fine
}

TEST(DiscoveryKernel, FolderLookupRefusesAnEditedKernel) {
  const fs::path dir = fs::temp_directory_path() / "fable-discovery-test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  // tests/data/kernel-mixed.yaml claims to be Commons Charter 0.1.0 with other content.
  fs::copy_file(source_path("tests/data/kernel-mixed.yaml"), dir / "a-mixed.yaml");
  const Result<ExploitRecord> rec = load_record(source_path("exploits/EXP-001.json"));
  ASSERT_TRUE(rec.ok()) << rec.status().message();
  const Result<std::string> edited = find_discovery_kernel(dir.string(), rec->reproduction);
  ASSERT_FALSE(edited.ok());
  EXPECT_NE(edited.status().message().find("the kernel changed after the discovery"),
            std::string::npos)
      << edited.status().message();
  fs::copy_file(source_path("kernels/kernel-v0.1.yaml"), dir / "b-v01.yaml");
  const Result<std::string> found = find_discovery_kernel(dir.string(), rec->reproduction);
  ASSERT_TRUE(found.ok()) << found.status().message();
  EXPECT_EQ(fs::path(*found).filename(), "b-v01.yaml");
  EXPECT_FALSE(find_discovery_kernel((dir / "nowhere").string(), rec->reproduction).ok());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace fable
