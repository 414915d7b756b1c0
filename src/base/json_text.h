// A streaming writer of indented JSON text, byte for byte what nlohmann's
// json::dump(2) writes for the same document.
//
// Why it exists: a tournament writes one episode summary per episode
// (docs/tournament-format.md), and building an nlohmann::json tree for each
// (a std::map node and a string per key) cost more than playing the episode.
// This writer appends the same text straight into a reused buffer. It keeps
// the library's output exactly: numbers go through nlohmann's own float
// formatting (nlohmann::detail::to_chars: shortest text that reads back to
// the same double, ".0" on integral values, NaN and infinities as null) and
// strings get its escapes (\" \\ \b \f \n \r \t, other bytes below 0x20 as
// \u00xx, everything else as is). The caller writes each object's keys in
// sorted order, as nlohmann's std::map-backed objects come out; a test holds
// the writer against json::dump on real and random documents
// (tests/base/json_text_test.cc).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fable {

class JsonTextWriter {
 public:
  // Appends to `*out` (not owned, must outlive the writer); what it held stays.
  explicit JsonTextWriter(std::string* out) : out_(out) {}

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  // The key of the next member of the object being written. Keys of one
  // object must come in strictly increasing byte order (nlohmann's order).
  void key(std::string_view name);

  // Values. A string must be valid UTF-8: invalid UTF-8 throws
  // std::invalid_argument (json::dump throws too), naming the byte offset.
  void value(std::string_view text);
  void value(const char* text) { value(std::string_view(text)); }
  void value(double number);  // NaN and infinities are written as null
  void value(std::int64_t number);
  void value(std::uint64_t number);
  void value(int number) { value(static_cast<std::int64_t>(number)); }
  void value(bool flag);

  // A newline after the document, as the tournament's files end.
  void end_document() { out_->push_back('\n'); }

 private:
  struct Frame {
    bool object = false;
    int members = 0;
  };
  // Comma, newline and indentation before an element of the current
  // container (none before the top-level value or after a key).
  void before_value();
  void close(char bracket);

  std::string* out_;
  std::vector<Frame> frames_;
  bool after_key_ = false;
};

}  // namespace fable
