#include "common/blockstore/record_format.h"

#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/blockstore/crc32c.h"

namespace careledger::blockstore {
namespace {

constexpr size_t kVersionOffset = 4;
constexpr size_t kFlagsOffset = 6;
constexpr size_t kNumberOffset = 8;
constexpr size_t kLengthOffset = 16;
constexpr size_t kPositionOffset = 20;
constexpr size_t kPayloadCrcOffset = 24;
constexpr size_t kHeaderCrcOffset = 28;
constexpr std::string_view kFilePrefix = "blockfile_";

template <typename T>
void StoreLe(char* out, T value) {
  for (size_t i = 0; i < sizeof(T); ++i) out[i] = static_cast<char>((value >> (8 * i)) & 0xFF);
}

template <typename T>
T LoadLe(const char* in) {
  T value = 0;
  for (size_t i = 0; i < sizeof(T); ++i) value |= static_cast<T>(static_cast<unsigned char>(in[i])) << (8 * i);
  return value;
}

}  // namespace

EncodedRecordHeader EncodeRecordHeader(uint64_t block_number, uint32_t position_in_write, std::string_view payload) {
  EncodedRecordHeader out{};
  std::memcpy(out.data(), kRecordMagic, sizeof(kRecordMagic));
  StoreLe<uint16_t>(out.data() + kVersionOffset, kRecordFormatVersion);
  StoreLe<uint16_t>(out.data() + kFlagsOffset, 0);
  StoreLe<uint64_t>(out.data() + kNumberOffset, block_number);
  StoreLe<uint32_t>(out.data() + kLengthOffset, static_cast<uint32_t>(payload.size()));
  StoreLe<uint32_t>(out.data() + kPositionOffset, position_in_write);
  StoreLe<uint32_t>(out.data() + kPayloadCrcOffset, Crc32c(payload));
  StoreLe<uint32_t>(out.data() + kHeaderCrcOffset, Crc32c(std::string_view(out.data(), kHeaderCrcOffset)));
  return out;
}

absl::StatusOr<RecordHeader> DecodeRecordHeader(std::string_view bytes) {
  if (bytes.size() != kRecordHeaderSize) {
    return absl::DataLossError(absl::StrCat("record header has ", bytes.size(), " bytes, not ", kRecordHeaderSize));
  }
  if (std::memcmp(bytes.data(), kRecordMagic, sizeof(kRecordMagic)) != 0) {
    return absl::DataLossError("no record magic \"CLBK\"");
  }
  const uint32_t stored_crc = LoadLe<uint32_t>(bytes.data() + kHeaderCrcOffset);
  const uint32_t actual_crc = Crc32c(bytes.substr(0, kHeaderCrcOffset));
  if (stored_crc != actual_crc) {
    return absl::DataLossError(
        absl::StrFormat("record header checksum mismatch (stored %08x, computed %08x)", stored_crc, actual_crc));
  }
  const auto version = LoadLe<uint16_t>(bytes.data() + kVersionOffset);
  if (version != kRecordFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat("record format version ", version,
                                                      " is not supported (this build reads version ",
                                                      kRecordFormatVersion, ")"));
  }
  if (LoadLe<uint16_t>(bytes.data() + kFlagsOffset) != 0) return absl::DataLossError("record header flags set");
  RecordHeader header;
  header.block_number = LoadLe<uint64_t>(bytes.data() + kNumberOffset);
  header.payload_length = LoadLe<uint32_t>(bytes.data() + kLengthOffset);
  header.position_in_write = LoadLe<uint32_t>(bytes.data() + kPositionOffset);
  header.payload_crc = LoadLe<uint32_t>(bytes.data() + kPayloadCrcOffset);
  if (header.payload_length > kMaxPayloadSize) {
    return absl::DataLossError(absl::StrCat("record payload length ", header.payload_length, " exceeds ",
                                            kMaxPayloadSize));
  }
  if (header.position_in_write > header.block_number) {
    return absl::DataLossError(absl::StrCat("record of block ", header.block_number, " claims ",
                                            header.position_in_write, " earlier records in its write"));
  }
  return header;
}

std::string BlockFileName(uint32_t file_number) { return absl::StrFormat("blockfile_%06u", file_number); }

std::optional<uint32_t> ParseBlockFileName(std::string_view name) {
  if (name.substr(0, kFilePrefix.size()) != kFilePrefix) return std::nullopt;
  const std::string_view digits = name.substr(kFilePrefix.size());
  if (digits.size() < 6 || digits.size() > 10) return std::nullopt;
  uint64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  if (value > UINT32_MAX) return std::nullopt;
  // Only the canonical spelling: "blockfile_0000001" must not alias "blockfile_000001".
  if (BlockFileName(static_cast<uint32_t>(value)) != name) return std::nullopt;
  return static_cast<uint32_t>(value);
}

}  // namespace careledger::blockstore
