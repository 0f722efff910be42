#include "common/blockstore/record_format.h"

#include <string>

#include "common/blockstore/crc32c.h"
#include "gtest/gtest.h"

namespace careledger::blockstore {
namespace {

std::string Encoded(uint64_t number, uint32_t position, std::string_view payload) {
  const EncodedRecordHeader header = EncodeRecordHeader(number, position, payload);
  return std::string(header.data(), header.size());
}

// Recomputes the header CRC after a test edits a field, so that only the edited field is wrong.
void Reseal(std::string& header) {
  const uint32_t crc = Crc32c(std::string_view(header).substr(0, 28));
  for (int i = 0; i < 4; ++i) header[28 + i] = static_cast<char>((crc >> (8 * i)) & 0xFF);
}

TEST(RecordFormatTest, LayoutIsTheDocumentedOne) {
  const std::string header = Encoded(0x0102030405060708, 3, "payload");
  ASSERT_EQ(header.size(), 32u);
  EXPECT_EQ(header.substr(0, 4), "CLBK");
  EXPECT_EQ(header.substr(4, 2), std::string("\x01\x00", 2));                  // version 1
  EXPECT_EQ(header.substr(6, 2), std::string("\x00\x00", 2));                  // flags
  EXPECT_EQ(header.substr(8, 8), "\x08\x07\x06\x05\x04\x03\x02\x01");          // number, little-endian
  EXPECT_EQ(header.substr(16, 4), std::string("\x07\x00\x00\x00", 4));         // payload length
  EXPECT_EQ(header.substr(20, 4), std::string("\x03\x00\x00\x00", 4));         // position in write
  const uint32_t payload_crc = Crc32c("payload");
  EXPECT_EQ(static_cast<unsigned char>(header[24]), payload_crc & 0xFF);
}

TEST(RecordFormatTest, RoundTrip) {
  const absl::StatusOr<RecordHeader> decoded = DecodeRecordHeader(Encoded(42, 2, "block bytes"));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->block_number, 42u);
  EXPECT_EQ(decoded->position_in_write, 2u);
  EXPECT_EQ(decoded->payload_length, 11u);
  EXPECT_EQ(decoded->payload_crc, Crc32c("block bytes"));
}

TEST(RecordFormatTest, EveryFlippedBitIsDetected) {
  const std::string good = Encoded(7, 0, "abc");
  for (size_t bit = 0; bit < good.size() * 8; ++bit) {
    std::string bad = good;
    bad[bit / 8] = static_cast<char>(bad[bit / 8] ^ (1 << (bit % 8)));
    const absl::StatusOr<RecordHeader> decoded = DecodeRecordHeader(bad);
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss) << "bit " << bit;
  }
}

TEST(RecordFormatTest, RejectsWrongSizeFlagsAndImpossiblePosition) {
  EXPECT_EQ(DecodeRecordHeader("CLBK").status().code(), absl::StatusCode::kDataLoss);
  std::string flagged = Encoded(7, 0, "abc");
  flagged[6] = 1;
  Reseal(flagged);
  EXPECT_EQ(DecodeRecordHeader(flagged).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeRecordHeader(Encoded(2, 3, "abc")).status().code(), absl::StatusCode::kDataLoss);
}

TEST(RecordFormatTest, IntactHeaderOfAnotherVersionIsRefusedNotGuessed) {
  std::string newer = Encoded(7, 0, "abc");
  newer[4] = 2;
  Reseal(newer);
  const absl::Status status = DecodeRecordHeader(newer).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("version 2"), std::string::npos) << status;
}

TEST(RecordFormatTest, FileNames) {
  EXPECT_EQ(BlockFileName(0), "blockfile_000000");
  EXPECT_EQ(BlockFileName(42), "blockfile_000042");
  EXPECT_EQ(BlockFileName(1234567), "blockfile_1234567");
  EXPECT_EQ(ParseBlockFileName("blockfile_000042"), 42u);
  EXPECT_EQ(ParseBlockFileName("blockfile_1234567"), 1234567u);
  EXPECT_EQ(ParseBlockFileName("blockfile_0000042"), std::nullopt);  // not canonical
  EXPECT_EQ(ParseBlockFileName("blockfile_00004x"), std::nullopt);
  EXPECT_EQ(ParseBlockFileName("blockfile_42"), std::nullopt);
  EXPECT_EQ(ParseBlockFileName("blockfile_9999999999"), std::nullopt);
  EXPECT_EQ(ParseBlockFileName(".blockfile_000001.swp"), std::nullopt);
}

}  // namespace
}  // namespace careledger::blockstore
