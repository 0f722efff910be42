#include "peer/ledger/state/key_layout.h"

#include <string>

#include "gtest/gtest.h"

namespace careledger::ledger::key_layout {
namespace {

TEST(KeyLayoutTest, FrozenKeysOfFormatOne) {
  EXPECT_EQ(kFormatVersion, 1u);
  EXPECT_EQ(EncodeFormatVersion(1), std::string("\x01\x00\x00\x00", 4));
  EXPECT_EQ(CommitHashKey(0x0102), std::string("c\x00\x00\x00\x00\x00\x00\x01\x02", 9));
  EXPECT_EQ(StateKey("cc", std::string("\x00k", 2)), std::string("s\x00\x00\x00\x02" "cc\x00k", 9));
  EXPECT_EQ(HistoryKey("cc", "k", Version{1, 2}),
            std::string("h\x00\x00\x00\x02" "cc\x00\x00\x00\x01" "k", 12) +
                std::string("\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff\xff\xff\xff\xff\xfd", 16));
  EXPECT_EQ(EncodeStateValue(Version{1, 2}, "v"),
            std::string("\x01\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00v", 17));
}

TEST(KeyLayoutTest, NamespacesNeverShareAPrefix) {
  // Without the length prefix, namespace "a" with key "b" and namespace "ab" would collide.
  EXPECT_NE(StateKey("a", "b"), StateKey("ab", ""));
  EXPECT_NE(StateKey("a", "bc").substr(0, StatePrefix("ab").size()), StatePrefix("ab"));
  EXPECT_NE(HistoryKey("a", "bc", {}).substr(0, HistoryPrefix("a", "b").size()), HistoryPrefix("a", "b"));
}

TEST(KeyLayoutTest, NewerHistoryKeysSortFirst) {
  EXPECT_LT(HistoryKey("cc", "k", Version{5, 0}), HistoryKey("cc", "k", Version{4, 9}));
  EXPECT_LT(HistoryKey("cc", "k", Version{5, 3}), HistoryKey("cc", "k", Version{5, 2}));
}

TEST(KeyLayoutTest, SavepointRoundTrips) {
  const Savepoint empty = DecodeSavepoint(EncodeSavepoint({})).value();
  EXPECT_EQ(empty.height, 0u);
  EXPECT_TRUE(empty.last_commit_hash.empty());
  const Savepoint later = DecodeSavepoint(EncodeSavepoint({12, std::string(32, 'x')})).value();
  EXPECT_EQ(later.height, 12u);
  EXPECT_EQ(later.last_commit_hash, std::string(32, 'x'));
}

TEST(KeyLayoutTest, MalformedSavepointsAreDataLoss) {
  EXPECT_EQ(DecodeSavepoint("short").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeSavepoint(EncodeSavepoint({3, "not 32 bytes"})).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeSavepoint(EncodeSavepoint({0, std::string(32, 'x')})).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(KeyLayoutTest, StateValueRoundTrips) {
  const VersionedValue value = DecodeStateValue(EncodeStateValue(Version{7, 3}, std::string("\x00\xff", 2))).value();
  EXPECT_EQ(value, (VersionedValue{std::string("\x00\xff", 2), Version{7, 3}}));
  EXPECT_EQ(DecodeStateValue("too short").status().code(), absl::StatusCode::kDataLoss);
}

TEST(KeyLayoutTest, HistoryEntryRoundTrips) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(-5);
  timestamp.set_nanos(999999999);
  const std::string key = HistoryKey("cc", "k", Version{9, 4});
  const std::string suffix = key.substr(HistoryPrefix("cc", "k").size());
  const HistoryEntry put = DecodeHistoryEntry(suffix, EncodeHistoryValue("tx-1", timestamp, false, "v")).value();
  EXPECT_EQ(put.tx_id, "tx-1");
  EXPECT_EQ(put.value, "v");
  EXPECT_FALSE(put.is_delete);
  EXPECT_EQ(put.timestamp.seconds(), -5);
  EXPECT_EQ(put.timestamp.nanos(), 999999999);
  EXPECT_EQ(put.version, (Version{9, 4}));
  const HistoryEntry deleted = DecodeHistoryEntry(suffix, EncodeHistoryValue("tx-2", timestamp, true, "")).value();
  EXPECT_TRUE(deleted.is_delete);
  EXPECT_EQ(deleted.value, "");
}

TEST(KeyLayoutTest, MalformedHistoryEntriesAreDataLoss) {
  const std::string value = EncodeHistoryValue("tx", {}, false, "v");
  EXPECT_EQ(DecodeHistoryEntry("short", value).status().code(), absl::StatusCode::kDataLoss);
  const std::string suffix(16, '\xff');
  EXPECT_EQ(DecodeHistoryEntry(suffix, value.substr(0, 10)).status().code(), absl::StatusCode::kDataLoss);
  std::string bad_flags = value;
  bad_flags[0] = '\x02';
  EXPECT_EQ(DecodeHistoryEntry(suffix, bad_flags).status().code(), absl::StatusCode::kDataLoss);
  std::string long_tx_id = value;
  long_tx_id[13] = '\x7f';
  EXPECT_EQ(DecodeHistoryEntry(suffix, long_tx_id).status().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace careledger::ledger::key_layout
