// Actions on the wire (src/tournament/wire_parts.h, docs/resume.md "Actions
// on the wire"): the compact encoding gives back every byte of every field,
// including items past item_count, council members after a zero, -0.0 and
// memo bytes after a terminator; a ballot takes 37 bytes; a count larger
// than its array (or a memo without its terminating zero) fails the reader
// instead of writing past it, and so does a memo that is not a name's text.
#include <gtest/gtest.h>

#include <bit>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "base/byte_io.h"
#include "fable/action.h"
#include "fable/random.h"
#include "tournament/wire_parts.h"

namespace fable {
namespace {

// Every field of `a`, numbers by bit pattern: two actions with the same dump
// hold the same bytes in every field.
std::string dump(const Action& a) {
  std::string s =
      fmt::format("{} {} {} {} {} {} {} {} {} {}|", static_cast<int>(a.kind),
                  static_cast<int>(a.choice), a.item_count, a.window, a.target, a.amount,
                  a.proposal.id, a.proposal.proposer, a.proposal.opened_turn, a.proposal.ordinal);
  for (const ProposalItem& it : a.items) {
    s += fmt::format("{} {} {} {} {} {} {} {:x} [", static_cast<int>(it.kind),
                     static_cast<int>(it.role), static_cast<int>(it.param), it.council_size,
                     it.target, it.amount, it.value.is_null,
                     std::bit_cast<std::uint64_t>(it.value.number));
    for (const AgentIndex m : it.council) s += fmt::format("{},", m);
    s += "]|";
  }
  for (const char c : a.memo.text) s += fmt::format("{:02x}", static_cast<unsigned char>(c));
  return s;
}

std::vector<std::byte> encode(const Action& a) {
  ByteWriter w;
  wire::put_action(w, a);
  return w.take();
}

Action round_trip(const Action& a) {
  const std::vector<std::byte> bytes = encode(a);
  ByteReader r(bytes);
  Action back = wire::get_action(r);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.remaining(), 0U);
  return back;
}

TEST(ActionWire, EveryFieldComesBackIncludingUnusedSlots) {
  std::vector<Action> actions{Action::pass(),
                              Action::vote(ProposalRef::by_origin(3, 7, 1), Choice::kNo),
                              Action::transfer(2, 5000, "pay"), Action::exit()};
  Action propose =
      Action::propose({ProposalItem::spend(2, 1500),
                       ProposalItem::amendment(ParamId::kVotingQuorum, ParamValue::null())},
                      3);
  // A stale item past item_count, a council with a zero inside, -0.0.
  propose.items[3] = ProposalItem::emergency_declare({4, 0, 6});
  propose.items[3].value = ParamValue::of(-0.0);
  actions.push_back(propose);
  Action memo = Action::transfer(1, 7, "ab");
  memo.memo.text[5] = 'x';  // bytes after the terminator
  memo.memo.text[kMemoBytes - 1] = 'z';
  actions.push_back(memo);
  Action only_tail;  // default items but the last
  only_tail.items[kMaxItems - 1].target = 0;
  actions.push_back(only_tail);
  for (const Action& a : actions) EXPECT_EQ(dump(round_trip(a)), dump(a)) << dump(a);
}

TEST(ActionWire, RandomActionsRoundTripExactly) {
  Rng rng(20261201);
  const auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(hi - lo + 1)));
  };
  for (int n = 0; n < 3000; ++n) {
    Action a;
    a.kind = static_cast<ActionKind>(pick(0, kActionKindCount - 1));
    a.choice = static_cast<Choice>(pick(0, static_cast<int>(Choice::kAbstain)));
    a.item_count = static_cast<std::uint8_t>(pick(0, kMaxItems));
    a.window = static_cast<std::int32_t>(pick(-3, 40));
    a.target = static_cast<AgentIndex>(pick(-2, 30));
    a.amount = static_cast<Money>(rng.next_u64());
    a.proposal = ProposalRef::by_origin(static_cast<AgentIndex>(pick(-1, 30)),
                                        static_cast<std::int32_t>(pick(-1, 99)),
                                        static_cast<std::int32_t>(pick(0, 3)));
    // Some slots filled anywhere (not only below item_count), others default.
    for (ProposalItem& it : a.items) {
      if (!rng.chance(0.4)) continue;
      it.kind = static_cast<ItemKind>(pick(0, kItemKindCount - 1));
      it.role = static_cast<Role>(pick(0, kRoleCount - 1));
      it.param = static_cast<ParamId>(pick(0, kParamCount - 1));
      it.council_size = static_cast<std::uint8_t>(pick(0, kMaxCouncil));
      it.target = static_cast<AgentIndex>(pick(-1, 30));
      it.amount = static_cast<Money>(rng.next_u64());
      it.value.is_null = rng.chance(0.3);
      it.value.number = std::bit_cast<double>(rng.next_u64());
      for (AgentIndex& m : it.council)
        m = rng.chance(0.5) ? 0 : static_cast<AgentIndex>(pick(-1, 30));
    }
    // The last byte stays the terminator. Printable ASCII: a memo's text
    // must be a name's text (see ATextAMemoCannotHoldFailsTheReader).
    for (std::size_t i = 0; i < kMemoBytes; ++i) {
      a.memo.text[i] = rng.chance(0.6) ? '\0' : static_cast<char>(pick(0x20, 0x7e));
    }
    ASSERT_EQ(dump(round_trip(a)), dump(a)) << "action " << n;
  }
}

TEST(ActionWire, ABallotTakesThirtySevenBytes) {
  // kind, choice, item count (3 x u8), window, target (i32), amount (i64),
  // the proposal reference (4 x i32), then 0 items and 0 memo bytes (u8 each).
  EXPECT_EQ(encode(Action::vote(ProposalRef::by_origin(1, 2, 0), Choice::kYes)).size(), 37U);
  const Action spend = Action::propose({ProposalItem::spend(kAllCitizens, 100)});
  // ... one item more: 4 x u8, i32, i64, bool, f64 (25 bytes), then 0
  // council members (u8).
  EXPECT_EQ(encode(spend).size(), 37U + 26U);
}

TEST(ActionWire, ACountLargerThanItsArrayFailsTheReader) {
  const std::vector<std::byte> good = encode(Action::transfer(2, 5, "m"));
  // The item count sits after the 35 bytes of fixed fields.
  for (const std::size_t at : {std::size_t{35}, good.size() - 2}) {
    std::vector<std::byte> bad = good;
    bad[at] = std::byte{200};
    ByteReader r(bad);
    (void)wire::get_action(r);
    EXPECT_FALSE(r.ok()) << "count byte " << at;
  }
  // An item's council size above kMaxCouncil: its byte follows the item
  // count (at 35) and the item's kind, role and parameter.
  {
    const Action declare = Action::propose({ProposalItem::emergency_declare({1, 2})});
    std::vector<std::byte> bad = encode(declare);
    ASSERT_EQ(std::to_integer<int>(bad[39]), 2);
    bad[39] = std::byte{kMaxCouncil};
    ByteReader at_most(bad);
    (void)wire::get_action(at_most);
    EXPECT_TRUE(at_most.ok()) << "kMaxCouncil members is a council";
    bad[39] = std::byte{kMaxCouncil + 1};
    ByteReader over(bad);
    (void)wire::get_action(over);
    EXPECT_FALSE(over.ok()) << "a council size past its array";
  }
  // A memo without its terminating zero (Memo::of never makes one; a
  // forged file can): refused, so that Memo::view stays inside the text.
  Action unterminated = Action::transfer(2, 5, "m");
  unterminated.memo.text.fill('q');
  {
    const std::vector<std::byte> bytes = encode(unterminated);
    ByteReader r(bytes);
    (void)wire::get_action(r);
    EXPECT_FALSE(r.ok());
  }
  Action declare = Action::propose({ProposalItem::emergency_declare({1, 2})});
  std::vector<std::byte> bad = encode(declare);
  // The council count comes before the two members and the memo count.
  bad[bad.size() - 1 - 8 - 1] = std::byte{kMaxCouncil + 1};
  ByteReader r(bad);
  (void)wire::get_action(r);
  EXPECT_FALSE(r.ok());
}

// A memo reaches a record's JSON, where it must be a name's text (valid
// UTF-8, no control character): an edited checkpoint cannot put other bytes
// there (they failed later as an internal error, exit 5, in session 29).
TEST(ActionWire, ATextAMemoCannotHoldFailsTheReader) {
  for (const std::string_view memo : {std::string_view("ok \xc3\xa9"), std::string_view("a\xff"),
                                      std::string_view("bell\x07"), std::string_view("\xc0\x80")}) {
    const std::vector<std::byte> bytes = encode(Action::transfer(2, 5, memo));
    ByteReader r(bytes);
    (void)wire::get_action(r);
    EXPECT_EQ(r.ok(), memo.substr(0, 2) == "ok") << memo;
  }
}

}  // namespace
}  // namespace fable
