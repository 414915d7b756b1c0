// Kernel: loading, lookup, amendment and the content hash; see include/fable/kernel.h.
#include "fable/kernel.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "base/hash.h"
#include "base/text.h"
#include "kernel/kernel_internal.h"
#include "kernel/kernel_scalar.h"
#include "kernel/kernel_yaml.h"

namespace fable {

// Assembles Kernel objects (a friend: Kernel's constructor is private).
class KernelBuilder {
 public:
  static Kernel build(kernel_internal::Loaded loaded) {
    Kernel k;
    k.version_ = loaded.doc.version;
    k.params_ = loaded.params;
    k.article_of_.fill(-1);
    for (std::size_t i = 0; i < loaded.doc.articles.size(); ++i) {
      for (ClauseId c : loaded.doc.articles[i].governs) {
        if (k.article_of_[c] < 0) k.article_of_[c] = static_cast<std::int16_t>(i);
      }
    }
    k.doc_ = std::make_shared<const KernelDocument>(std::move(loaded.doc));
    k.rehash();
    return k;
  }
};

namespace {

std::vector<std::string> all_param_paths() {
  std::vector<std::string> paths;
  for (const auto& info : all_params()) paths.emplace_back(info.path);
  return paths;
}

Result<ParamId> resolve_path(std::string_view dotted_path) {
  std::string_view path = dotted_path;
  if (path.substr(0, 7) == "params.") path.remove_prefix(7);
  if (const auto id = find_param(path)) return *id;
  return Status::NotFound(fmt::format("unknown parameter '{}'{}", dotted_path,
                                      kernel_scalar::did_you_mean(path, all_param_paths())));
}

// Error messages are one line of bounded length, whatever the document held
// (keys and values are quoted into messages).
Status one_line(const Status& s) {
  constexpr std::size_t kMaxMessage = 1000;
  std::string m;
  for (char c : s.message()) {
    if (c == '\n') {
      m += "\\n";
    } else if (c == '\r') {
      m += "\\r";
    } else if (c == '\t') {
      m += "\\t";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      m += '?';
    } else {
      m += c;
    }
  }
  if (m.size() > kMaxMessage) m = m.substr(0, kMaxMessage) + "...";
  return {s.code(), std::move(m)};
}

}  // namespace

Result<Kernel> Kernel::load_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) {
    return Status::Io(fmt::format("{}: cannot read: {}", path, ec.message()));
  }
  if (!fs::exists(st)) return Status::NotFound(fmt::format("{}: no such file", path));
  if (fs::is_directory(st)) {
    return Status::Invalid(fmt::format("{}: is a directory, not a kernel file", path));
  }
  if (!fs::is_regular_file(st)) {
    return Status::Invalid(fmt::format("{}: not a regular file", path));
  }
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) return Status::Io(fmt::format("{}: cannot read: {}", path, ec.message()));
  if (size > kMaxKernelBytes) {
    return Status::Invalid(fmt::format("{}: file is {} bytes; a kernel may be at most {} bytes",
                                       path, size, kMaxKernelBytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::Io(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  }
  // Read at most one byte past the limit, in case the file grew since stat().
  std::string text(kMaxKernelBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) return Status::Io(fmt::format("{}: read failed", path));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return parse(text, path);
}

Result<Kernel> Kernel::parse(std::string_view yaml_text, std::string_view source_name) {
  if (yaml_text.size() > kMaxKernelBytes) {
    return Status::Invalid(fmt::format("{}: document is {} bytes; a kernel may be at most {} bytes",
                                       source_name, yaml_text.size(), kMaxKernelBytes));
  }
  // The whole document, comments included, is carried into traces and
  // records as text, so it must be text by the rule every reader applies
  // (UTF-8, no control characters but line breaks and tabs; YAML 1.2 allows
  // no others either).
  if (const auto bad = text::find_problem(yaml_text, text::TextKind::kDocument, kMaxKernelBytes)) {
    const std::size_t at = bad->offset;
    const std::string_view before = yaml_text.substr(0, at);
    const auto line = 1 + std::count(before.begin(), before.end(), '\n');
    const std::size_t nl = before.rfind('\n');
    const std::size_t column = 1 + (nl == std::string_view::npos ? at : at - nl - 1);
    return Status::Invalid(fmt::format("{}:{}:{}: the document is not text: {}", source_name, line,
                                       column, bad->what));
  }
  auto tree = kernel_yaml::read(yaml_text, source_name);
  if (!tree.ok()) return one_line(tree.status());
  auto loaded = kernel_internal::validate(*tree, source_name);
  if (!loaded.ok()) return one_line(loaded.status());
  loaded->doc.text = std::string(yaml_text);
  return KernelBuilder::build(std::move(loaded).value());
}

std::string_view Kernel::article_for(ClauseId c) const {
  if (c >= kClauseCount || !doc_) return {};
  const int i = article_of_[c];
  if (i < 0) return {};
  return doc_->articles[static_cast<std::size_t>(i)].id;
}

std::string_view Kernel::article_label(ClauseId c) const {
  const std::string_view id = article_for(c);
  return id.empty() ? kEngineDefault : id;
}

Result<ParamValue> Kernel::lookup(std::string_view dotted_path) const {
  const auto id = resolve_path(dotted_path);
  if (!id.ok()) return id.status();
  return get_param(params_, *id);
}

Result<Kernel> Kernel::amend(std::string_view dotted_path, const ParamValue& value) const {
  const auto id = resolve_path(dotted_path);
  if (!id.ok()) return id.status();
  return amend(*id, value);
}

Result<Kernel> Kernel::amend(ParamId id, const ParamValue& value) const {
  if (const std::string problem = param_value_problem(id, value); !problem.empty()) {
    return Status::Invalid(problem);
  }
  Params next = params_;
  set_param(next, id, value);
  if (const std::string problem = kernel_internal::cross_field_problem(next); !problem.empty()) {
    return Status::Invalid(problem);
  }
  const Bump bump = classify_change(id, get_param(params_, id), get_param(next, id));
  Kernel k = *this;
  k.params_ = next;
  k.version_ = bump_version(version_, bump);
  k.rehash();
  return k;
}

namespace {

// A kernel is rehashed after every amendment in force: episodes amend the
// same kernel in the same way seed after seed, and a hunt tries a few hundred
// parameter combinations over and over. So hashes are remembered per thread
// in a direct-mapped table keyed by (document, version, parameters): a miss
// costs hash_content() (byte by byte, or with runs for a document hashed
// often: see DocumentRuns); a hit, a comparison of the parameters. It is a cache only: what it
// returns is what hash_content() would. An entry holds its document, so the address cannot be
// reused while the entry lives.
struct HashMemo {
  std::shared_ptr<const KernelDocument> doc;
  Version version;
  Params params;
  std::uint64_t hash = 0;
};

constexpr std::size_t kHashMemoSlots = 1024;  // a power of two

std::size_t memo_slot(const KernelDocument* doc, const Version& v, const Params& p) {
  WordHasher h;
  h.add(reinterpret_cast<std::uintptr_t>(doc));
  h.add_signed(v.major).add_signed(v.minor).add_signed(v.patch);
  for (const ParamInfo& info : all_params()) {
    const ParamValue x = get_param(p, info.id);
    h.add(x.is_null ? 1 : 0).add(std::bit_cast<std::uint64_t>(x.number));
  }
  return static_cast<std::size_t>(h.finish() & (kHashMemoSlots - 1));
}

}  // namespace

void Kernel::rehash() {
  thread_local std::vector<HashMemo> memo(kHashMemoSlots);
  HashMemo& m = memo[memo_slot(doc_.get(), version_, params_)];
  if (m.doc == doc_ && m.version == version_ && m.params == params_) {
    hash_ = m.hash;
    return;
  }
  hash_ = hash_content();
  m = {doc_, version_, params_, hash_};
}

namespace {

// The bytes of the content hash, part by part (docs/kernel-format.md,
// "Content hash"), for a Hasher or for HashedBytes: one definition serves the
// hash from scratch (content_hash) and the runs Kernel::hash_content applies.
template <typename Sink>
void feed_name(Sink& s, const KernelDocument& d) {
  s.str(d.schema).str(d.name);
}

template <typename Sink>
void feed_version(Sink& s, const Version& v) {
  s.i64(v.major).i64(v.minor).i64(v.patch);
}

template <typename Sink>
void feed_articles(Sink& s, const KernelDocument& d, ParamTable table) {
  s.u64(d.supersedes ? 1 : 0).str(d.supersedes.value_or(""));
  s.u64(d.articles.size());
  for (const auto& a : d.articles) {
    s.str(a.id).str(a.title).str(a.text).u64(a.governs.size());
    for (ClauseId c : a.governs) s.str(kernel_internal::clause_name(table, c));
  }
}

// Revision-1 parameters exactly as the first table hashed them; a later one
// only away from its default, so adding a defaulted parameter changes no hash.
bool hashed(const ParamInfo& info, const ParamValue& v) {
  return info.since <= 1 || !is_default_value(info, v);
}

template <typename Sink>
void feed_param_value(Sink& s, const ParamValue& v) {
  s.u64(v.is_null ? 1 : 0).f64(v.is_null ? 0.0 : v.number);
}

// The parameters of `table` that are hashed, as path and value; value_of(i)
// is the value of table[i].
template <typename Sink, typename ValueOf>
void feed_params(Sink& s, ParamTable table, ValueOf value_of) {
  for (std::size_t i = 0; i < table.size(); ++i) {
    const ParamValue v = value_of(i);
    if (!hashed(table[i], v)) continue;
    s.str(table[i].path);
    feed_param_value(s, v);
  }
}

template <typename Sink>
void feed_invariants(Sink& s, const KernelDocument& d) {
  s.u64(d.invariants.size());
  for (const auto& inv : d.invariants) {
    s.str(inv.name).str(inv.metric);
    s.u64(inv.min ? 1 : 0).f64(inv.min.value_or(0.0));
    s.u64(inv.max ? 1 : 0).f64(inv.max.value_or(0.0));
    s.str(inv.article);
  }
}

template <typename Part>
HashRun run_of(Part&& part) {
  HashedBytes b;
  part(b);
  return HashRun(b.view());
}

// What of a document's content hash an amendment cannot change, as runs
// (HashRun): all of it but the version and the parameter values.
// Made only for a document hashed many times (kRunsAfter): the runs cost
// 256 passes over the articles, some 700 hashes byte by byte, which a program
// that loads a kernel and amends it a few hundred times would never win back.
// Two documents hashed in turn whose addresses share a slot reset each
// other's count and never get runs: slower, never wrong.
struct DocumentRuns {
  std::shared_ptr<const KernelDocument> doc;  // held, so its address stays its own
  int hashed_bytewise = 0;                    // hashes of `doc` made without runs
  bool made = false;                          // the runs below are made
  Hasher named;                               // the state after schema and name
  HashRun articles;                           // supersedes and the articles
  HashRun invariants;
};
constexpr int kRunsAfter = 512;

// The path of each parameter of all_params(), as the hash feeds it.
const std::vector<HashRun>& param_path_runs() {
  static const std::vector<HashRun> runs = [] {
    std::vector<HashRun> out;
    for (const ParamInfo& info : all_params()) {
      out.push_back(run_of([&](HashedBytes& b) { b.str(info.path); }));
    }
    return out;
  }();
  return runs;
}

// The hash byte by byte, with the state after the head of the document (its
// name, version and articles: most of its bytes) kept per thread for each
// version met (a cache: a miss feeds the head as content_hash would).
std::uint64_t hash_bytewise(const std::shared_ptr<const KernelDocument>& doc,
                            const Version& version, const Params& params) {
  struct Head {
    std::shared_ptr<const KernelDocument> doc;  // held, so its address stays its own
    Version version;
    Hasher state;
  };
  constexpr std::size_t kHeadSlots = 256;  // a power of two
  thread_local std::vector<Head> heads(kHeadSlots);
  WordHasher key;
  key.add(reinterpret_cast<std::uintptr_t>(doc.get()));
  key.add_signed(version.major).add_signed(version.minor).add_signed(version.patch);
  Head& head = heads[static_cast<std::size_t>(key.finish() & (kHeadSlots - 1))];
  if (head.doc != doc || head.version != version) {
    Hasher h;
    feed_name(h, *doc);
    feed_version(h, version);
    feed_articles(h, *doc, all_params());
    head = {doc, version, h};
  }
  Hasher h = head.state;
  feed_params(h, all_params(),
              [&](std::size_t i) { return get_param(params, all_params()[i].id); });
  feed_invariants(h, *doc);
  return h.finish();
}

}  // namespace

std::uint64_t Kernel::hash_content() const {
  // The runs of the documents met, per thread (a cache: what it gives is what
  // the hash byte by byte gives).
  constexpr std::size_t kDocumentSlots = 16;  // a power of two
  thread_local std::vector<DocumentRuns> documents(kDocumentSlots);
  WordHasher key;
  key.add(reinterpret_cast<std::uintptr_t>(doc_.get()));
  DocumentRuns& d = documents[static_cast<std::size_t>(key.finish() & (kDocumentSlots - 1))];
  if (d.doc != doc_) {
    d = DocumentRuns{};
    d.doc = doc_;
  }
  if (!d.made) {
    if (++d.hashed_bytewise < kRunsAfter) return hash_bytewise(doc_, version_, params_);
    feed_name(d.named, *doc_);
    d.articles = run_of([&](HashedBytes& b) { feed_articles(b, *doc_, all_params()); });
    d.invariants = run_of([&](HashedBytes& b) { feed_invariants(b, *doc_); });
    d.made = true;
  }
  // As content_hash() feeds it: name, version, articles, parameters, invariants.
  Hasher h = d.named;
  feed_version(h, version_);
  h.run(d.articles);
  const std::vector<HashRun>& paths = param_path_runs();
  static const HashRun seven_zeros(std::string(7, '\0'));
  for (std::size_t i = 0; i < all_params().size(); ++i) {
    const ParamInfo& info = all_params()[i];
    const ParamValue v = get_param(params_, info.id);
    if (!hashed(info, v)) continue;
    h.run(paths[i]);
    // feed_param_value's bytes: the null flag's word is one byte that varies
    // and seven zeros (a run), then the value's eight.
    const unsigned char null_flag = v.is_null ? 1 : 0;
    h.bytes(&null_flag, 1).run(seven_zeros).f64(v.is_null ? 0.0 : v.number);
  }
  h.run(d.invariants);
  return h.finish();
}

std::uint64_t kernel_internal::content_hash(const KernelDocument& d, const Version& version,
                                            ParamTable table, std::span<const ParamValue> values) {
  Hasher h;
  feed_name(h, d);
  feed_version(h, version);
  feed_articles(h, d, table);
  feed_params(h, table, [&](std::size_t i) { return values[i]; });
  feed_invariants(h, d);
  return h.finish();
}

Result<ParamValue> parse_param_value(ParamId id, std::string_view text) {
  const ParamInfo& info = param_info(id);
  ParamValue v = ParamValue::null();
  if (!kernel_scalar::is_null_word(text)) {
    switch (info.type) {
      case ParamType::kBool: {
        const auto b = kernel_scalar::parse_bool(text);
        if (!b) {
          return Status::Invalid(
              fmt::format("{}: expected true or false, got '{}'", info.path, text));
        }
        v = ParamValue::of(*b ? 1.0 : 0.0);
        break;
      }
      case ParamType::kEnum:
        if (text != "cast" && text != "roll") {
          return Status::Invalid(
              fmt::format("{}: expected cast or roll, got '{}'", info.path, text));
        }
        v = ParamValue::of(text == "roll" ? 1.0 : 0.0);
        break;
      case ParamType::kInt:
      case ParamType::kFraction:
      case ParamType::kAmount: {
        const auto x = kernel_scalar::parse_number(text);
        if (!x) {
          return Status::Invalid(fmt::format("{}: expected a number{}, got '{}'", info.path,
                                             info.nullable ? " or null" : "", text));
        }
        if (info.type == ParamType::kInt && !kernel_scalar::parse_whole(text)) {
          return Status::Invalid(
              fmt::format("{}: must be a whole number, got {}", info.path, text));
        }
        v = ParamValue::of(*x);
        break;
      }
    }
  }
  if (const std::string problem = param_value_problem(id, v); !problem.empty()) {
    return Status::Invalid(problem);
  }
  return v;
}

}  // namespace fable
