#include "peer/ledger/commit_hash.h"

#include <string>
#include <vector>

#include "common/crypto/sha256.h"
#include "common/encoding/hex.h"
#include "gtest/gtest.h"

namespace careledger::ledger {
namespace {

TxWriteSet Tx(uint64_t tx_num, std::vector<KeyWrite> writes) {
  TxWriteSet tx;
  tx.tx_num = tx_num;
  tx.tx_id = "ignored by the hash";
  tx.writes = std::move(writes);
  return tx;
}

KeyWrite PutOf(std::string ns, std::string key, std::string value) {
  return KeyWrite{std::move(ns), std::move(key), false, std::move(value)};
}

KeyWrite DeleteOf(std::string ns, std::string key) { return KeyWrite{std::move(ns), std::move(key), true, ""}; }

// std::span does not take a braced list.
std::string HashOf(std::string_view previous, const std::vector<TxWriteSet>& txs) { return CommitHash(previous, txs); }
std::string InputOf(const std::vector<TxWriteSet>& txs) { return CommitHashInput(txs); }

TEST(CommitHashTest, EncodesEachWriteAsTheFormatDocumentSays) {
  const std::vector<TxWriteSet> txs = {Tx(2, {PutOf("cc", "k1", "v"), DeleteOf("cc", "k2")})};
  const std::string expected = std::string(
                                   "\x00\x00\x00\x00\x00\x00\x00\x02"  // tx number
                                   "\x00\x00\x00\x02"
                                   "cc"
                                   "\x00\x00\x00\x02"
                                   "k1"
                                   "\x00"  // put
                                   "\x00\x00\x00\x01"
                                   "v"
                                   "\x00\x00\x00\x00\x00\x00\x00\x02"
                                   "\x00\x00\x00\x02"
                                   "cc"
                                   "\x00\x00\x00\x02"
                                   "k2"
                                   "\x01"  // delete
                                   "\x00\x00\x00\x00",
                                   2 * (8 + 4 + 2 + 4 + 2 + 1 + 4) + 1);
  EXPECT_EQ(InputOf(txs), expected);
}

TEST(CommitHashTest, IsSha256OfPreviousHashAndInput) {
  const std::string previous(32, '\x7f');
  const std::vector<TxWriteSet> txs = {Tx(0, {PutOf("records", "patient-1", "consent")}),
                                       Tx(3, {DeleteOf("records", "patient-2")})};
  EXPECT_EQ(HashOf(previous, txs), crypto::Sha256Bytes(previous + InputOf(txs)));
  EXPECT_EQ(HashOf(previous, txs).size(), kCommitHashSize);
}

TEST(CommitHashTest, BlockZeroWithoutWritesHashesTheEmptyString) {
  EXPECT_EQ(HexEncode(HashOf("", {})),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// The worked example of docs/formats/peer-ledger.md: keep both in step.
TEST(CommitHashTest, MatchesTheDocumentedExample) {
  const std::string block0 = HashOf("", {Tx(0, {PutOf("records", "patient-1", "granted")})});
  EXPECT_EQ(HexEncode(block0), "5b71d78a13b024bc818459105f2ff8e283c7a1c8d0609ce9f59118e61a2d641e");
  const std::string block1 = HashOf(block0, {Tx(1, {DeleteOf("records", "patient-1")})});
  EXPECT_EQ(HexEncode(block1), "f62ef3056cdabafb9059ec5b2ace10de2fb157827a44ca678a626ce8cab2c16e");
}

TEST(CommitHashTest, FieldBoundariesMatter) {
  const std::string a = HashOf("", {Tx(0, {PutOf("ab", "c", "v")})});
  const std::string b = HashOf("", {Tx(0, {PutOf("a", "bc", "v")})});
  const std::string c = HashOf("", {Tx(0, {PutOf("a", "b", "cv")})});
  EXPECT_NE(a, b);
  EXPECT_NE(b, c);
  EXPECT_NE(a, c);
}

TEST(CommitHashTest, EveryFieldCounts) {
  const std::string base = HashOf("", {Tx(1, {PutOf("cc", "k", "v")})});
  EXPECT_NE(base, HashOf("", {Tx(2, {PutOf("cc", "k", "v")})}));
  EXPECT_NE(base, HashOf("", {Tx(1, {PutOf("cd", "k", "v")})}));
  EXPECT_NE(base, HashOf("", {Tx(1, {PutOf("cc", "l", "v")})}));
  EXPECT_NE(base, HashOf("", {Tx(1, {PutOf("cc", "k", "w")})}));
  EXPECT_NE(base, HashOf("", {Tx(1, {DeleteOf("cc", "k")})}));
  EXPECT_NE(base, HashOf(std::string(32, '\0'), {Tx(1, {PutOf("cc", "k", "v")})}));
}

TEST(CommitHashTest, OrderOfWritesCounts) {
  EXPECT_NE(HashOf("", {Tx(0, {PutOf("cc", "a", "1"), PutOf("cc", "b", "2")})}),
            HashOf("", {Tx(0, {PutOf("cc", "b", "2"), PutOf("cc", "a", "1")})}));
}

TEST(CommitHashTest, ADeleteIgnoresItsValue) {
  KeyWrite with_value = DeleteOf("cc", "k");
  with_value.value = "left over";
  EXPECT_EQ(HashOf("", {Tx(0, {with_value})}), HashOf("", {Tx(0, {DeleteOf("cc", "k")})}));
}

TEST(CommitHashTest, TransactionsWithoutWritesAddNothing) {
  EXPECT_EQ(HashOf("", {Tx(0, {}), Tx(1, {PutOf("cc", "k", "v")}), Tx(2, {})}),
            HashOf("", {Tx(1, {PutOf("cc", "k", "v")})}));
}

}  // namespace
}  // namespace careledger::ledger
