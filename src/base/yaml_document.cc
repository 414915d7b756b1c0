// One YAML document per config; see yaml_document.h.
#include "base/yaml_document.h"

#include <fmt/format.h>

#include <vector>

namespace fable::yaml_document {

Result<YAML::Node> load_one(const std::string& text, std::string_view source) {
  const std::vector<YAML::Node> docs = YAML::LoadAll(text);
  if (docs.size() > 1) {
    return Status::Invalid(
        fmt::format("{}:{}: a config is one YAML document; a second one starts here", source,
                    docs[1].Mark().line + 1));
  }
  return docs.empty() ? YAML::Node() : docs.front();
}

}  // namespace fable::yaml_document
