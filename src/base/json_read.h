// Internal: strict reading of JSON documents (records, traces).
//
// `parse_strict` parses a whole document and refuses duplicate keys in any
// object (nlohmann keeps only one silently); a syntax error is reported with
// its line and column. `Obj` reads one object field by field: each getter
// checks the JSON type and range and names the field path in its error
// ("field 'reproduction.seed': expected an unsigned integer, got a string"),
// and `done()` refuses every key no getter asked for, so a misspelt key is an
// error instead of being ignored. Floats are never truncated to integers and
// negative numbers never wrap to unsigned. Strings pass the text rule
// (base/text.h). All errors are thrown as ReadError; the reader of a format
// catches it and prefixes the file name.
#pragma once

#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/text.h"

namespace fable::json_read {

using nlohmann::json;

// `line` and `column` (1-based) are set for syntax errors, 0 otherwise.
struct ReadError : std::runtime_error {
  explicit ReadError(const std::string& what, int line_at = 0, int column_at = 0)
      : std::runtime_error(what), line(line_at), column(column_at) {}
  int line = 0;
  int column = 0;
};

// `s` as it may be printed in a message: itself when it passes the text rule
// as a name, else JSON-escaped with invalid bytes replaced.
std::string printable(std::string_view s);

// `text` as JSON. Throws ReadError with line and column on a syntax error,
// "field 'a.b': duplicate key 'k'" on a key written twice.
json parse_strict(std::string_view text);

// "a string", "an integer", "a number with a fraction", "an object", ...
std::string describe(const json& j);

// The path of a member or element, for messages: "reproduction.seed", "scripts.x[3]".
std::string member_path(std::string_view path, std::string_view key);
std::string element_path(std::string_view path, std::size_t index);

// Throws ReadError "field 'PATH': WHAT".
[[noreturn]] void fail(std::string_view path, std::string_view what);

// Typed reads of one value at `path`.
std::int64_t integer(const json& j, std::string_view path, std::int64_t lo, std::int64_t hi);
std::uint64_t unsigned_integer(const json& j, std::string_view path);
double number(const json& j, std::string_view path);
bool boolean(const json& j, std::string_view path);
std::string string(const json& j, std::string_view path, text::TextKind kind,
                   std::size_t max_bytes);
// An array of at most `max_size` elements.
const json& array(const json& j, std::string_view path, std::size_t max_size);

// One JSON object, read key by key.
class Obj {
 public:
  // Throws unless `j` is an object. `j` must outlive this.
  Obj(const json& j, std::string path);

  const std::string& path() const { return path_; }
  std::string path_of(std::string_view key) const { return member_path(path_, key); }

  // The member `key`; throws "missing" when absent.
  const json& at(std::string_view key);
  // The member `key`, or nullptr when absent.
  const json* find(std::string_view key);
  bool has(std::string_view key) const { return j_.contains(key); }

  std::int64_t integer(std::string_view key, std::int64_t lo, std::int64_t hi);
  std::uint64_t unsigned_integer(std::string_view key);
  double number(std::string_view key);
  bool boolean(std::string_view key);
  std::string name(std::string_view key);  // single-line text, at most kMaxNameBytes
  std::string text(std::string_view key);  // multi-line text, at most kMaxTextBytes
  // A whole document (text::TextKind::kDocument) of at most `max_bytes`.
  std::string document(std::string_view key, std::size_t max_bytes);
  Obj object(std::string_view key);
  const json& array(std::string_view key, std::size_t max_size);

  // Every member in key order (all count as read): for maps keyed by data.
  std::vector<std::pair<std::string, const json*>> members();

  // Throws on the first key (in key order) no getter asked for.
  void done() const;

 private:
  const json& j_;
  std::string path_;
  std::set<std::string, std::less<>> used_;
};

}  // namespace fable::json_read
