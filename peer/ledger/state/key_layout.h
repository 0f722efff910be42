// The state database's key layout, format version 1 (frozen: a change is a new format version). Described for
// humans in docs/formats/peer-ledger.md; this file is the one place that encodes and decodes it. Internal to
// peer/ledger.
//
//   "#v"                                              -> u32 LE format version (1)
//   "#s"                                              -> savepoint: u64 LE height | commit hash of block
//                                                        height - 1 (32 bytes; none at height 0)
//   'c' | u64 BE block                                -> commit hash of the block (32 bytes)
//   's' | u32 BE len(ns) | ns | key                   -> u64 LE block | u64 LE tx | value
//   'h' | u32 BE len(ns) | ns | u32 BE len(key) | key | u64 BE ~block | u64 BE ~tx
//                                                     -> u8 flags (bit 0: delete) | u64 LE timestamp seconds
//                                                        (two's complement) | u32 LE nanos | u32 LE len(tx_id) |
//                                                        tx_id | value
//
// The namespace's length prefix makes the keys of one namespace a contiguous range that no other namespace's
// keys can enter, whatever bytes the keys hold (composite keys start with 0x00). History keys also
// length-prefix the key, so one key's entries never mix with a longer key's; block and transaction numbers are
// stored inverted (~n) so that a forward scan meets the newest write first.
#ifndef CARELEDGER_PEER_LEDGER_STATE_KEY_LAYOUT_H_
#define CARELEDGER_PEER_LEDGER_STATE_KEY_LAYOUT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "google/protobuf/timestamp.pb.h"
#include "peer/ledger/history.h"
#include "peer/ledger/state/state_snapshot.h"

namespace careledger::ledger::key_layout {

inline constexpr uint32_t kFormatVersion = 1;
inline constexpr std::string_view kFormatVersionKey = "#v";
inline constexpr std::string_view kSavepointKey = "#s";

std::string EncodeFormatVersion(uint32_t version);
// The version stored under kFormatVersionKey; FailedPrecondition if it is not 4 bytes.
absl::StatusOr<uint32_t> DecodeFormatVersion(std::string_view value);

struct Savepoint {
  uint64_t height = 0;           // blocks [0, height) are applied
  std::string last_commit_hash;  // of block height - 1; empty at height 0
};
std::string EncodeSavepoint(const Savepoint& savepoint);
// DataLoss if the value is not 8 bytes at height 0 or 40 bytes above it.
absl::StatusOr<Savepoint> DecodeSavepoint(std::string_view value);

std::string CommitHashKey(uint64_t block_number);

// The common prefix of every state key of `ns`.
std::string StatePrefix(std::string_view ns);
std::string StateKey(std::string_view ns, std::string_view key);
std::string EncodeStateValue(const Version& version, std::string_view value);
// DataLoss if shorter than the version.
absl::StatusOr<VersionedValue> DecodeStateValue(std::string_view stored);

// The common prefix of every history key of (ns, key).
std::string HistoryPrefix(std::string_view ns, std::string_view key);
std::string HistoryKey(std::string_view ns, std::string_view key, const Version& version);
std::string EncodeHistoryValue(std::string_view tx_id, const google::protobuf::Timestamp& timestamp, bool is_delete,
                               std::string_view value);
// Decodes a history entry whose key is HistoryPrefix(ns, key) + `key_suffix`. DataLoss if either part is
// malformed.
absl::StatusOr<HistoryEntry> DecodeHistoryEntry(std::string_view key_suffix, std::string_view value);

// (ns, key) escaped and shortened for error messages: keys are untrusted bytes.
std::string Describe(std::string_view ns, std::string_view key);

}  // namespace careledger::ledger::key_layout

#endif  // CARELEDGER_PEER_LEDGER_STATE_KEY_LAYOUT_H_
