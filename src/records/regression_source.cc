// The text of a generated regression test; see records/regression_source.h.
#include "records/regression_source.h"

#include <algorithm>

#include <fmt/format.h>

#include "base/safe_name.h"

namespace fable {

namespace {

bool plain_byte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' ||
         c == '_' || c == '.' || c == '-' || c == '/';
}

// "EXP-" followed by digits only.
bool is_exploit_id(std::string_view id) {
  return id.size() > 4 && id.substr(0, 4) == "EXP-" &&
         std::all_of(id.begin() + 4, id.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string cpp_string_literal(std::string_view bytes) {
  std::string out = "\"";
  for (const char c : bytes) {
    if (plain_byte(c)) {
      out += c;
    } else {
      out += fmt::format("\\{:03o}", static_cast<unsigned char>(c));
    }
  }
  return out + "\"";
}

Result<RegressionSource> regression_test_source(const ExploitRecord& rec,
                                                std::string_view record_path,
                                                std::string_view kernel_path) {
  if (Status st = check_safe_name(rec.exploit_id, "exploit_id"); !st.ok()) return st;
  if (!is_exploit_id(rec.exploit_id)) {
    return Status::Invalid(
        fmt::format("exploit_id '{}': expected EXP-<digits>", printable(rec.exploit_id)));
  }
  std::string ident = rec.exploit_id;
  std::replace(ident.begin(), ident.end(), '-', '_');
  constexpr std::size_t kShown = 200;  // of the name, in the comment
  RegressionSource source;
  source.file_name = ident + "_test.cc";
  source.text = fmt::format(
      "{} from {}.\n"
      "// Do not edit: regenerate instead. {}: {} ({}/sev{}).\n"
      "#include \"support/regression_support.h\"\n\n"
      "FABLE_EXPLOIT_REGRESSION({}, {}, {})\n",
      kGeneratedMarker, printable(record_path, kShown), rec.exploit_id, printable(rec.name, kShown),
      category_name(rec.category), rec.severity, ident, cpp_string_literal(record_path),
      cpp_string_literal(kernel_path));
  return source;
}

}  // namespace fable
