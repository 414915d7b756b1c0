// The one safe-name rule (base/safe_name.h): what may become a file name.
#include "base/safe_name.h"

#include <gtest/gtest.h>

#include <string>

namespace fable {
namespace {

TEST(SafeName, AcceptsTheNamesInUse) {
  for (const char* name : {"baseline-honest", "mixed-capture", "custom", "EXP-001", "run_2.b", "7"})
    EXPECT_TRUE(check_safe_name(name, "name").ok()) << name;
  EXPECT_TRUE(check_safe_name(std::string(kMaxSafeNameBytes, 'a'), "name").ok());
}

TEST(SafeName, RefusesSeparatorsDotDotControlAndLength) {
  const std::string refused[] = {"",
                                 "../../x",
                                 "a/b",
                                 "a\\b",
                                 "..",
                                 ".",
                                 ".hidden",
                                 "-flag",
                                 "a..b",
                                 "tab\there",
                                 "line\nbreak",
                                 std::string("nul\0byte", 8),
                                 "space name",
                                 "d\xC3\xA9mocratie",
                                 std::string(kMaxSafeNameBytes + 1, 'a')};
  for (const std::string& name : refused) {
    const Status st = check_safe_name(name, "--name");
    EXPECT_FALSE(st.ok()) << printable(name);
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(st.message().rfind("--name '", 0), 0u) << st.message();
    // The message is one printable line: no byte of the name can break it.
    for (const char c : st.message()) {
      EXPECT_TRUE(c >= 0x20 && c <= 0x7E) << st.message();
    }
  }
}

TEST(SafeName, PrintableEscapesEveryNonPrintableByteAndTheBackslash) {
  EXPECT_EQ(printable("ok name"), "ok name");
  EXPECT_EQ(printable("a\nb\\c\xFF"), "a\\x0Ab\\x5Cc\\xFF");
  EXPECT_EQ(printable("abcdef", 3), "abc...");
}

}  // namespace
}  // namespace fable
