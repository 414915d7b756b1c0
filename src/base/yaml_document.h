// Internal: reading a config file's YAML text as exactly one document.
//
// yaml-cpp's YAML::Load reads the first document of a stream and drops the
// rest without a word, so a config with a second document after `---` would
// be half read. The config readers use this instead.
#pragma once

#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "fable/status.h"

namespace fable::yaml_document {

// The single document of `text` (a null node for an empty text). Errors:
// Status::Invalid "SOURCE:LINE: a config is one YAML document; a second one
// starts here" when there is more than one, and "SOURCE:LINE: '<<' (a YAML
// merge key) is not supported in a config: write the keys out" for a merge
// key anywhere in it (yaml-cpp would read `<<` as an ordinary key). Throws YAML::Exception on
// malformed YAML, as YAML::Load does (callers already turn it into an error
// with its position).
Result<YAML::Node> load_one(const std::string& text, std::string_view source);

}  // namespace fable::yaml_document
