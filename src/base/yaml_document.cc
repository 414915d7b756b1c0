// One YAML document per config; see yaml_document.h.
#include "base/yaml_document.h"

#include <fmt/format.h>

#include <yaml-cpp/eventhandler.h>

#include <optional>
#include <sstream>
#include <vector>

namespace fable::yaml_document {

namespace {

// Notes where a document starts and where its first merge key (`<<` as a
// mapping key) is; ignores everything else. yaml-cpp does not resolve merge
// keys: it would read `<<` as one more key, so the readers refuse it.
class DocumentStart final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { mark_ = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override { node_done(); }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { node_done(); }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t,
                const std::string& value) override {
    // A plain `<<` (tag "?") or one tagged !!merge; a quoted "<<" is a string.
    const bool merge_tag = tag == "?" || tag == "tag:yaml.org,2002:merge";
    if (!merge_key_ && !levels_.empty() && levels_.back().map && levels_.back().at_key &&
        merge_tag && value == "<<") {
      merge_key_ = mark;
    }
    node_done();
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    levels_.push_back({false, false});
  }
  void OnSequenceEnd() override { end_level(); }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    levels_.push_back({true, true});
  }
  void OnMapEnd() override { end_level(); }
  const YAML::Mark& mark() const { return mark_; }
  const std::optional<YAML::Mark>& merge_key() const { return merge_key_; }

 private:
  struct Level {
    bool map = false;
    bool at_key = false;  // in a mapping: the next node is a key
  };
  // A node ended: in a mapping, a key is followed by its value and a value by a key.
  void node_done() {
    if (!levels_.empty() && levels_.back().map) levels_.back().at_key = !levels_.back().at_key;
  }
  void end_level() {
    if (!levels_.empty()) levels_.pop_back();
    node_done();
  }

  YAML::Mark mark_;
  std::vector<Level> levels_;
  std::optional<YAML::Mark> merge_key_;
};

}  // namespace

Result<YAML::Node> load_one(const std::string& text, std::string_view source) {
  // At most two documents are asked for: YAML::LoadAll asks until the parser
  // reports none left, and on some malformed input it went on reporting
  // empty ones until memory ran out (config_fuzz found it).
  {
    std::istringstream in(text);
    YAML::Parser parser(in);
    DocumentStart first;
    DocumentStart second;
    const bool one = parser.HandleNextDocument(first);
    if (one && parser.HandleNextDocument(second)) {
      return Status::Invalid(
          fmt::format("{}:{}: a config is one YAML document; a second one starts here", source,
                      second.mark().line + 1));
    }
    if (first.merge_key()) {
      return Status::Invalid(fmt::format(
          "{}:{}: '<<' (a YAML merge key) is not supported in a config: write the keys out", source,
          first.merge_key()->line + 1));
    }
  }
  return YAML::Load(text);
}

}  // namespace fable::yaml_document
