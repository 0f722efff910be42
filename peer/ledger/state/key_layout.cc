#include "peer/ledger/state/key_layout.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "peer/ledger/byte_order.h"

namespace careledger::ledger::key_layout {
namespace {

constexpr char kCommitHashPrefix = 'c';
constexpr char kStatePrefix = 's';
constexpr char kHistoryPrefix = 'h';
constexpr size_t kHashSize = 32;
constexpr size_t kVersionSize = 16;  // u64 block, u64 tx
constexpr uint8_t kDeleteFlag = 0x01;
// flags | seconds | nanos | tx_id length
constexpr size_t kHistoryFixedSize = 1 + 8 + 4 + 4;

void AppendLengthPrefixed(std::string& out, std::string_view bytes) {
  AppendBigEndian(out, bytes.size(), 4);
  out.append(bytes);
}

std::string Shortened(std::string_view bytes) {
  constexpr size_t kMax = 64;
  std::string escaped = absl::CHexEscape(absl::string_view(bytes.data(), std::min(bytes.size(), kMax)));
  if (bytes.size() > kMax) escaped.append("...");
  return escaped;
}

}  // namespace

std::string EncodeFormatVersion(uint32_t version) {
  std::string value;
  AppendLittleEndian(value, version, 4);
  return value;
}

absl::StatusOr<uint32_t> DecodeFormatVersion(std::string_view value) {
  if (value.size() != 4) {
    return absl::FailedPreconditionError(
        absl::StrCat("the format version record has ", value.size(), " bytes, not 4"));
  }
  return static_cast<uint32_t>(LoadLittleEndian(value));
}

std::string EncodeSavepoint(const Savepoint& savepoint) {
  std::string value;
  AppendLittleEndian(value, savepoint.height, 8);
  value.append(savepoint.last_commit_hash);
  return value;
}

absl::StatusOr<Savepoint> DecodeSavepoint(std::string_view value) {
  if (value.size() < 8) {
    return absl::DataLossError(absl::StrCat("the savepoint record has ", value.size(), " bytes"));
  }
  Savepoint savepoint;
  savepoint.height = LoadLittleEndian(value.substr(0, 8));
  const size_t expected_hash = savepoint.height == 0 ? 0 : kHashSize;
  if (value.size() != 8 + expected_hash) {
    return absl::DataLossError(absl::StrCat("the savepoint record at height ", savepoint.height, " has ",
                                            value.size(), " bytes, not ", 8 + expected_hash));
  }
  savepoint.last_commit_hash = std::string(value.substr(8));
  return savepoint;
}

std::string CommitHashKey(uint64_t block_number) {
  std::string key(1, kCommitHashPrefix);
  AppendBigEndian(key, block_number, 8);
  return key;
}

std::string StatePrefix(std::string_view ns) {
  std::string prefix(1, kStatePrefix);
  AppendLengthPrefixed(prefix, ns);
  return prefix;
}

std::string StateKey(std::string_view ns, std::string_view key) {
  std::string stored = StatePrefix(ns);
  stored.append(key);
  return stored;
}

std::string EncodeStateValue(const Version& version, std::string_view value) {
  std::string stored;
  stored.reserve(kVersionSize + value.size());
  AppendLittleEndian(stored, version.block_num, 8);
  AppendLittleEndian(stored, version.tx_num, 8);
  stored.append(value);
  return stored;
}

absl::StatusOr<VersionedValue> DecodeStateValue(std::string_view stored) {
  if (stored.size() < kVersionSize) {
    return absl::DataLossError(absl::StrCat("a state value has ", stored.size(), " bytes, fewer than its version"));
  }
  VersionedValue value;
  value.version.block_num = LoadLittleEndian(stored.substr(0, 8));
  value.version.tx_num = LoadLittleEndian(stored.substr(8, 8));
  value.value = std::string(stored.substr(kVersionSize));
  return value;
}

std::string HistoryPrefix(std::string_view ns, std::string_view key) {
  std::string prefix(1, kHistoryPrefix);
  AppendLengthPrefixed(prefix, ns);
  AppendLengthPrefixed(prefix, key);
  return prefix;
}

std::string HistoryKey(std::string_view ns, std::string_view key, const Version& version) {
  std::string stored = HistoryPrefix(ns, key);
  AppendBigEndian(stored, ~version.block_num, 8);
  AppendBigEndian(stored, ~version.tx_num, 8);
  return stored;
}

std::string EncodeHistoryValue(std::string_view tx_id, const google::protobuf::Timestamp& timestamp, bool is_delete,
                               std::string_view value) {
  std::string stored;
  stored.reserve(kHistoryFixedSize + tx_id.size() + value.size());
  stored.push_back(static_cast<char>(is_delete ? kDeleteFlag : 0));
  AppendLittleEndian(stored, static_cast<uint64_t>(timestamp.seconds()), 8);
  AppendLittleEndian(stored, static_cast<uint32_t>(timestamp.nanos()), 4);
  AppendLittleEndian(stored, tx_id.size(), 4);
  stored.append(tx_id);
  stored.append(value);
  return stored;
}

absl::StatusOr<HistoryEntry> DecodeHistoryEntry(std::string_view key_suffix, std::string_view value) {
  if (key_suffix.size() != kVersionSize) {
    return absl::DataLossError(absl::StrCat("a history key ends in ", key_suffix.size(), " bytes, not 16"));
  }
  if (value.size() < kHistoryFixedSize) {
    return absl::DataLossError(absl::StrCat("a history value has ", value.size(), " bytes"));
  }
  const uint8_t flags = static_cast<uint8_t>(value[0]);
  const uint64_t tx_id_size = LoadLittleEndian(value.substr(13, 4));
  if ((flags & ~kDeleteFlag) != 0 || tx_id_size > value.size() - kHistoryFixedSize) {
    return absl::DataLossError(absl::StrCat("a history value is malformed (flags ", flags, ", tx ID length ",
                                            tx_id_size, " in ", value.size(), " bytes)"));
  }
  HistoryEntry entry;
  entry.version.block_num = ~LoadBigEndian(key_suffix.substr(0, 8));
  entry.version.tx_num = ~LoadBigEndian(key_suffix.substr(8, 8));
  entry.is_delete = (flags & kDeleteFlag) != 0;
  entry.timestamp.set_seconds(static_cast<int64_t>(LoadLittleEndian(value.substr(1, 8))));
  entry.timestamp.set_nanos(static_cast<int32_t>(LoadLittleEndian(value.substr(9, 4))));
  entry.tx_id = std::string(value.substr(kHistoryFixedSize, tx_id_size));
  entry.value = std::string(value.substr(kHistoryFixedSize + tx_id_size));
  return entry;
}

std::string Describe(std::string_view ns, std::string_view key) {
  return absl::StrCat("namespace \"", Shortened(ns), "\", key \"", Shortened(key), "\"");
}

}  // namespace careledger::ledger::key_layout
