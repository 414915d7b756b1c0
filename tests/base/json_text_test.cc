// The streaming JSON writer writes what nlohmann's json::dump(2) writes:
// random documents are written both ways and compared byte for byte.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "base/json_text.h"

namespace fable {
namespace {

using nlohmann::json;

// Writes `doc` through the writer, walking objects in their (sorted) order.
void write(JsonTextWriter& w, const json& doc) {
  switch (doc.type()) {
    case json::value_t::object:
      w.begin_object();
      for (const auto& [k, v] : doc.items()) {
        w.key(k);
        write(w, v);
      }
      w.end_object();
      return;
    case json::value_t::array:
      w.begin_array();
      for (const json& v : doc) write(w, v);
      w.end_array();
      return;
    case json::value_t::string:
      w.value(doc.get_ref<const std::string&>());
      return;
    case json::value_t::boolean:
      w.value(doc.get<bool>());
      return;
    case json::value_t::number_integer:
      w.value(doc.get<std::int64_t>());
      return;
    case json::value_t::number_unsigned:
      w.value(doc.get<std::uint64_t>());
      return;
    case json::value_t::number_float:
      w.value(doc.get<double>());
      return;
    default:
      FAIL() << "unexpected type in a test document";
  }
}

std::string written(const json& doc) {
  std::string out = "kept:";  // the writer appends to what the buffer holds
  JsonTextWriter w(&out);
  write(w, doc);
  w.end_document();
  return out;
}

// Strings with what JSON escapes, multi-byte UTF-8 and DEL.
rc::Gen<std::string> json_strings() {
  return rc::gen::map(rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 12)),
                      [](const std::vector<int>& v) {
                        static const char* const kPieces[] = {"a",
                                                              "Z",
                                                              " ",
                                                              "\"",
                                                              "\\",
                                                              "/",
                                                              "\n",
                                                              "\t",
                                                              "\x01",
                                                              "\x1f",
                                                              "\x7f",
                                                              "\xc3\xa9",
                                                              "\xe2\x89\xa5",
                                                              "\xf0\x9f\x98\x80"};
                        std::string s;
                        for (int i : v)
                          s += kPieces[static_cast<std::size_t>(i) % std::size(kPieces)];
                        return s;
                      });
}

rc::Gen<double> doubles() {
  return rc::gen::oneOf(
      rc::gen::map(rc::gen::arbitrary<std::uint64_t>(),
                   [](std::uint64_t bits) {
                     double d = 0;
                     std::memcpy(&d, &bits, sizeof d);
                     return d;
                   }),
      rc::gen::element(0.0, -0.0, 1.0, 100.0, 0.1, 1e-5, 1e-4, 1e15, 1e16, 1e17, 123456789012345.6,
                       std::numeric_limits<double>::infinity(),
                       std::numeric_limits<double>::quiet_NaN(), 5e-324),
      rc::gen::map(rc::gen::inRange(-100000, 100000), [](int n) { return n / 1000.0; }));
}

json random_document(int depth) {
  const int kind = *rc::gen::inRange(0, depth > 0 ? 9 : 6);
  switch (kind) {
    case 0:
      return *json_strings();
    case 1:
      return *rc::gen::arbitrary<bool>();
    case 2:
      return *rc::gen::arbitrary<std::int64_t>();
    case 3:
      return *rc::gen::arbitrary<std::uint64_t>();
    case 4:
    case 5:
      return *doubles();
    case 6:
    case 7: {
      json obj = json::object();
      const int n = *rc::gen::inRange(0, 5);
      for (int i = 0; i < n; ++i) obj[*json_strings()] = random_document(depth - 1);
      return obj;
    }
    default: {
      json arr = json::array();
      const int n = *rc::gen::inRange(0, 5);
      for (int i = 0; i < n; ++i) arr.push_back(random_document(depth - 1));
      return arr;
    }
  }
}

RC_GTEST_PROP(JsonTextWriter, WritesWhatJsonDumpWrites, ()) {
  const json doc = random_document(3);
  RC_ASSERT(written(doc) == "kept:" + doc.dump(2) + "\n");
}

TEST(JsonTextWriter, EmptyContainersAndNumbersLookAsJsonDumpWritesThem) {
  const json doc = {{"a", json::array()},
                    {"b", json::object()},
                    {"c", json::array({1.0, -0.0, 0.5, 1e21, 1e-7, 899.3})},
                    {"d", std::numeric_limits<double>::quiet_NaN()}};
  EXPECT_EQ(written(doc), "kept:" + doc.dump(2) + "\n");
  EXPECT_NE(written(doc).find("\"a\": [],"), std::string::npos);
  EXPECT_NE(written(doc).find("1.0,"), std::string::npos);
  EXPECT_NE(written(doc).find("\"d\": null"), std::string::npos);
}

// The writer scans eight bytes at a time: a byte to escape at any offset of
// a long string, and next to the ends, must still be seen.
TEST(JsonTextWriter, EscapesAtEveryOffsetOfALongString) {
  for (const char* special : {"\"", "\\", "\n", "\x1f", "\x01", "\x7f", " ", "~", "\xc3\xa9",
                              "\xe2\x89\xa5", "\xf0\x9f\x98\x80"}) {
    for (std::size_t at = 0; at < 26; ++at) {
      std::string text(25, 'a');
      text.insert(at, special);
      const json doc = json::array({text, text.substr(0, at)});
      ASSERT_EQ(written(doc), "kept:" + doc.dump(2) + "\n") << at;
    }
  }
  std::string out;
  JsonTextWriter w(&out);
  EXPECT_THROW(w.value(std::string_view("abcdefgh\xffijklmnop")), std::invalid_argument);
}

TEST(JsonTextWriter, InvalidUtf8IsRefusedNamingTheByte) {
  for (const char* bad : {"ab\xff", "\xc0\x80", "\xed\xa0\x80", "\xe2\x89", "\xf4\x90\x80\x80"}) {
    std::string out;
    JsonTextWriter w(&out);
    try {
      w.value(std::string_view(bad));
      ADD_FAILURE() << "accepted invalid UTF-8";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("invalid UTF-8 byte at index"), std::string::npos);
    }
    EXPECT_THROW((void)json(std::string(bad)).dump(), json::type_error);  // the library agrees
  }
}

}  // namespace
}  // namespace fable
