// Strict JSON reading; see json_read.h.
#include "base/json_read.h"

#include <fmt/format.h>

#include <vector>

#include "fable/limits.h"

namespace fable::json_read {

namespace {

// One open object or array while parsing, for duplicate keys and paths.
struct Frame {
  bool is_object = false;
  std::string path;
  std::set<std::string, std::less<>> keys;
  std::string key;        // object: the key being read
  std::size_t index = 0;  // array: the element being read
};

std::string child_path(const Frame& f) {
  return f.is_object ? member_path(f.path, f.key) : element_path(f.path, f.index);
}

// A syntax error as "what" with the line and column of byte `byte` (1-based count).
[[noreturn]] void syntax_error(std::string_view text, const nlohmann::json::parse_error& e) {
  const std::size_t end = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  // nlohmann's message: "[json.exception.parse_error.101] parse error at line L, column C: WHAT".
  std::string what = e.what();
  if (const auto at = what.find("column "); at != std::string::npos) {
    if (const auto colon = what.find(": ", at); colon != std::string::npos) {
      what = what.substr(colon + 2);
    }
  }
  // The "last read" excerpt repeats input bytes: keep the message printable.
  for (char& c : what) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b >= 0x7F) c = '?';
  }
  throw ReadError(what, line, column);
}

}  // namespace

std::string printable(std::string_view s) {
  if (!text::problem(s, text::TextKind::kName, limits::kMaxNameBytes)) return std::string(s);
  return json(std::string(s)).dump(-1, ' ', true, json::error_handler_t::replace);
}

json parse_strict(std::string_view text) {
  std::vector<Frame> stack;
  const json::parser_callback_t check = [&stack](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start: {
        // Before the frame's path is built: paths grow with the depth, so an
        // unbounded nesting would cost memory quadratic in it.
        if (stack.size() >= static_cast<std::size_t>(limits::kMaxJsonDepth)) {
          fail(stack.back().path.empty() ? "(top level)" : stack.back().path,
               fmt::format("nested deeper than {} levels", limits::kMaxJsonDepth));
        }
        Frame f;
        f.is_object = event == json::parse_event_t::object_start;
        f.path = stack.empty() ? std::string() : child_path(stack.back());
        stack.push_back(std::move(f));
        break;
      }
      case json::parse_event_t::key: {
        Frame& f = stack.back();
        f.key = parsed.get<std::string>();
        if (!f.keys.insert(f.key).second) {
          fail(f.path.empty() ? "(top level)" : f.path,
               fmt::format("duplicate key '{}'", printable(f.key)));
        }
        break;
      }
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        stack.pop_back();
        if (!stack.empty() && !stack.back().is_object) ++stack.back().index;
        break;
      case json::parse_event_t::value:
        if (!stack.empty() && !stack.back().is_object) ++stack.back().index;
        break;
    }
    return true;
  };
  try {
    return json::parse(text.begin(), text.end(), check);
  } catch (const json::parse_error& e) {
    syntax_error(text, e);
  }
}

std::string describe(const json& j) {
  switch (j.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "a list";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return fmt::format("the integer {}", j.dump());
    case json::value_t::number_float:
      return fmt::format("the number {}", j.dump());
    default:
      return "an unsupported value";
  }
}

std::string member_path(std::string_view path, std::string_view key) {
  return path.empty() ? printable(key) : fmt::format("{}.{}", path, printable(key));
}

std::string element_path(std::string_view path, std::size_t index) {
  return fmt::format("{}[{}]", path, index);
}

void fail(std::string_view path, std::string_view what) {
  throw ReadError(fmt::format("field '{}': {}", path, what));
}

std::int64_t integer(const json& j, std::string_view path, std::int64_t lo, std::int64_t hi) {
  const std::string expected = fmt::format("expected an integer {}..{}", lo, hi);
  if (j.is_number_unsigned()) {
    const auto v = j.get<std::uint64_t>();
    if (hi < 0 || v > static_cast<std::uint64_t>(hi)) fail(path, expected + ", got " + describe(j));
    return static_cast<std::int64_t>(v);
  }
  if (!j.is_number_integer()) fail(path, expected + ", got " + describe(j));
  const auto v = j.get<std::int64_t>();
  if (v < lo || v > hi) fail(path, expected + ", got " + describe(j));
  return v;
}

std::uint64_t unsigned_integer(const json& j, std::string_view path) {
  if (j.is_number_unsigned()) return j.get<std::uint64_t>();
  if (j.is_number_integer() && j.get<std::int64_t>() >= 0) {
    return static_cast<std::uint64_t>(j.get<std::int64_t>());
  }
  fail(path, "expected an unsigned integer 0..18446744073709551615, got " + describe(j));
}

double number(const json& j, std::string_view path) {
  if (!j.is_number()) fail(path, "expected a number, got " + describe(j));
  return j.get<double>();
}

bool boolean(const json& j, std::string_view path) {
  if (!j.is_boolean()) fail(path, "expected true or false, got " + describe(j));
  return j.get<bool>();
}

std::string string(const json& j, std::string_view path, text::TextKind kind,
                   std::size_t max_bytes) {
  if (!j.is_string()) fail(path, "expected a string, got " + describe(j));
  std::string s = j.get<std::string>();
  if (const auto problem = text::problem(s, kind, max_bytes)) fail(path, "text " + *problem);
  return s;
}

const json& array(const json& j, std::string_view path, std::size_t max_size) {
  if (!j.is_array()) fail(path, "expected a list, got " + describe(j));
  if (j.size() > max_size) {
    fail(path, fmt::format("a list of at most {} entries, got {}", max_size, j.size()));
  }
  return j;
}

Obj::Obj(const json& j, std::string path) : j_(j), path_(std::move(path)) {
  if (!j_.is_object())
    fail(path_.empty() ? "(top level)" : path_, "expected an object, got " + describe(j_));
}

const json& Obj::at(std::string_view key) {
  const json* v = find(key);
  if (v == nullptr) fail(path_of(key), "missing");
  return *v;
}

const json* Obj::find(std::string_view key) {
  const auto it = j_.find(key);
  if (it == j_.end()) return nullptr;
  used_.emplace(key);
  return &*it;
}

std::int64_t Obj::integer(std::string_view key, std::int64_t lo, std::int64_t hi) {
  return json_read::integer(at(key), path_of(key), lo, hi);
}
std::uint64_t Obj::unsigned_integer(std::string_view key) {
  return json_read::unsigned_integer(at(key), path_of(key));
}
double Obj::number(std::string_view key) {
  return json_read::number(at(key), path_of(key));
}
bool Obj::boolean(std::string_view key) {
  return json_read::boolean(at(key), path_of(key));
}
std::string Obj::name(std::string_view key) {
  return json_read::string(at(key), path_of(key), text::TextKind::kName, limits::kMaxNameBytes);
}
std::string Obj::text(std::string_view key) {
  return json_read::string(at(key), path_of(key), text::TextKind::kMultiLine,
                           limits::kMaxTextBytes);
}
std::string Obj::document(std::string_view key, std::size_t max_bytes) {
  return json_read::string(at(key), path_of(key), text::TextKind::kDocument, max_bytes);
}
Obj Obj::object(std::string_view key) {
  return Obj(at(key), path_of(key));
}
const json& Obj::array(std::string_view key, std::size_t max_size) {
  return json_read::array(at(key), path_of(key), max_size);
}

std::vector<std::pair<std::string, const json*>> Obj::members() {
  std::vector<std::pair<std::string, const json*>> out;
  for (const auto& [key, value] : j_.items()) {
    used_.insert(key);
    out.emplace_back(key, &value);
  }
  return out;
}

void Obj::done() const {
  for (const auto& [key, value] : j_.items()) {
    if (!used_.count(key)) {
      fail(path_of(key), "unknown key (a misspelling?)");
    }
  }
}

}  // namespace fable::json_read
