// The text rule (base/text.h) and checked money arithmetic (fable/money.h).
#include "base/text.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "fable/money.h"

namespace fable {
namespace {

using text::TextKind;

std::string problem_of(std::string_view s, TextKind kind = TextKind::kName, std::size_t max = 200) {
  const auto p = text::problem(s, kind, max);
  return p ? *p : "ok";
}

TEST(TextRule, AcceptsUtf8AndLineBreaksInFreeText) {
  EXPECT_EQ(problem_of("Commons Charter"), "ok");
  EXPECT_EQ(problem_of("Caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"), "ok");  // é € 😀
  EXPECT_EQ(problem_of("line one\nline\ttwo\n", TextKind::kMultiLine), "ok");
}

TEST(TextRule, RefusesInvalidUtf8) {
  EXPECT_EQ(problem_of("\xFF\xFE"), "invalid UTF-8 at byte 0");          // the FF FE name
  EXPECT_EQ(problem_of("ab\xC3"), "invalid UTF-8 at byte 2");            // cut sequence
  EXPECT_EQ(problem_of("\xC0\xAF"), "invalid UTF-8 at byte 0");          // overlong '/'
  EXPECT_EQ(problem_of("\xED\xA0\x80"), "invalid UTF-8 at byte 0");      // surrogate
  EXPECT_EQ(problem_of("\xF4\x90\x80\x80"), "invalid UTF-8 at byte 0");  // past U+10FFFF
  EXPECT_EQ(problem_of("x\x80y"), "invalid UTF-8 at byte 1");            // lone continuation
}

TEST(TextRule, RefusesControlCharacters) {
  EXPECT_EQ(problem_of("a\x07"), "control character U+0007 at byte 1");
  EXPECT_EQ(problem_of(std::string("a\0b", 3)), "control character U+0000 at byte 1");
  EXPECT_EQ(problem_of("a\x7F"), "control character U+007F at byte 1");
  EXPECT_EQ(problem_of("a\xC2\x85"), "control character U+0085 at byte 1");  // C1 NEL
  EXPECT_EQ(problem_of("a\nb"), "control character U+000A at byte 1 (a name is a single line)");
  EXPECT_EQ(problem_of("a\rb", TextKind::kMultiLine), "control character U+000D at byte 1");
  EXPECT_EQ(problem_of("\x1B[31m", TextKind::kMultiLine), "control character U+001B at byte 0");
}

TEST(TextRule, RefusesOverlongText) {
  EXPECT_EQ(problem_of(std::string(201, 'a')), "is 201 bytes long; at most 200");
  EXPECT_EQ(problem_of(std::string(200, 'a')), "ok");
}

TEST(Money, CheckedArithmeticRefusesOverflow) {
  const Money max = std::numeric_limits<Money>::max();
  EXPECT_EQ(checked_add(1, 2), Money{3});
  EXPECT_FALSE(checked_add(max, 1).has_value());
  EXPECT_FALSE(checked_add(-max, -2).has_value());
  EXPECT_EQ(checked_mul(kMaxMoney, 1000), kMaxMoney * 1000);
  EXPECT_FALSE(checked_mul(max / 2, 3).has_value());
}

TEST(Money, WideProductsDoNotOverflow) {
  // The honest agent's test (treasury * 10 < initial * 6) and share
  // (treasury * per_mille / 1000) with the largest amounts there are.
  const Money huge = std::numeric_limits<Money>::max();
  EXPECT_FALSE(product_less(huge, 10, huge, 6));
  EXPECT_TRUE(product_less(huge / 2, 10, huge, 6));
  EXPECT_EQ(mul_div(huge, 30, 1000), static_cast<Money>(static_cast<WideMoney>(huge) * 30 / 1000));
  EXPECT_EQ(mul_div(1000000, 25, 1000), 25000);
  EXPECT_TRUE(product_less(599, 10, 1000, 6));
  EXPECT_FALSE(product_less(600, 10, 1000, 6));
}

}  // namespace
}  // namespace fable

TEST(TextRule, WholeDocumentsAllowLineBreaksTabsAndCarriageReturns) {
  using fable::text::find_problem;
  using fable::text::TextKind;
  EXPECT_FALSE(find_problem("# comment \xC3\xA9\r\nname:\tx\n", TextKind::kDocument, 100));
  // kernel_fuzz's inputs: a comment carrying D0 D1 (invalid UTF-8), which a
  // trace then could not write as JSON, and one carrying U+0008, which a
  // trace wrote but could not read back.
  const auto utf8 = find_problem("# Charter \xD0\xD1\xCE", TextKind::kDocument, 100);
  ASSERT_TRUE(utf8);
  EXPECT_EQ(utf8->offset, 10u);
  EXPECT_EQ(utf8->what, "invalid UTF-8 at byte 10");
  const auto control = find_problem("# a\bb", TextKind::kDocument, 100);
  ASSERT_TRUE(control);
  EXPECT_EQ(control->offset, 3u);
  EXPECT_EQ(control->what, "control character U+0008 at byte 3");
  // A carriage return is not free text's, nor a name's.
  EXPECT_TRUE(find_problem("a\r\n", TextKind::kMultiLine, 100));
}
