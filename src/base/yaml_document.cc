// One YAML document per config; see yaml_document.h.
#include "base/yaml_document.h"

#include <fmt/format.h>

#include <yaml-cpp/eventhandler.h>

#include <sstream>

namespace fable::yaml_document {

namespace {

// Notes where a document starts and ignores everything else.
class DocumentStart final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { mark_ = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
  const YAML::Mark& mark() const { return mark_; }

 private:
  YAML::Mark mark_;
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
    if (parser.HandleNextDocument(first) && parser.HandleNextDocument(second)) {
      return Status::Invalid(
          fmt::format("{}:{}: a config is one YAML document; a second one starts here", source,
                      second.mark().line + 1));
    }
  }
  return YAML::Load(text);
}

}  // namespace fable::yaml_document
