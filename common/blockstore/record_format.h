// The block file record header and block file names (format version 1, described in block_store.h).
// Internal to the block store; frozen: changing any value here changes the on-disk format.
#ifndef CARELEDGER_COMMON_BLOCKSTORE_RECORD_FORMAT_H_
#define CARELEDGER_COMMON_BLOCKSTORE_RECORD_FORMAT_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace careledger::blockstore {

inline constexpr size_t kRecordHeaderSize = 32;
inline constexpr char kRecordMagic[4] = {'C', 'L', 'B', 'K'};
inline constexpr uint16_t kRecordFormatVersion = 1;
// A payload is a serialized common.Block, which protobuf cannot parse beyond 2 GiB - 1.
inline constexpr uint32_t kMaxPayloadSize = 0x7FFFFFFF;

struct RecordHeader {
  uint64_t block_number = 0;
  uint32_t payload_length = 0;
  // How many records written by the same write (one Append or AppendBatch, one fdatasync) precede this one:
  // block_number - position_in_write is the first block of that write. Recovery uses it to tell a torn last
  // write from damage to an earlier, synced one.
  uint32_t position_in_write = 0;
  uint32_t payload_crc = 0;  // CRC32C of the payload
};

using EncodedRecordHeader = std::array<char, kRecordHeaderSize>;

// Returns the header of a record holding `payload` (at most kMaxPayloadSize bytes) for block `block_number`,
// the record number `position_in_write` (from 0) of its write.
EncodedRecordHeader EncodeRecordHeader(uint64_t block_number, uint32_t position_in_write, std::string_view payload);

// Decodes kRecordHeaderSize bytes. DataLoss if the magic or the header checksum is wrong, or the reserved flags
// are set (torn or foreign bytes); FailedPrecondition if the header is intact but of a format version this
// code does not know (written by newer software: refuse rather than guess).
absl::StatusOr<RecordHeader> DecodeRecordHeader(std::string_view bytes);

// "blockfile_000042" for 42: six digits at least, more once the number needs them.
std::string BlockFileName(uint32_t file_number);

// The number of a name BlockFileName made; nullopt for any other name.
std::optional<uint32_t> ParseBlockFileName(std::string_view name);

}  // namespace careledger::blockstore

#endif  // CARELEDGER_COMMON_BLOCKSTORE_RECORD_FORMAT_H_
