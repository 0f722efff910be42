#include "common/encoding/hex.h"

#include "gtest/gtest.h"

namespace careledger {
namespace {

TEST(HexTest, EncodesEveryByteValue) {
  EXPECT_EQ(HexEncode(std::string_view("\x00\x7f\x80\xff", 4)), "007f80ff");
  EXPECT_EQ(HexEncode(""), "");
}

TEST(HexTest, DecodeInvertsEncodeAndAcceptsUpperCase) {
  EXPECT_EQ(*HexDecode("007F80ff"), std::string("\x00\x7f\x80\xff", 4));
}

TEST(HexTest, RejectsOddLength) {
  auto r = HexDecode("abc");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("odd length 3"), std::string::npos);
}

TEST(HexTest, RejectsNonHexCharacterNamingItsPosition) {
  auto r = HexDecode("00zz");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("position 2"), std::string::npos);
}

}  // namespace
}  // namespace careledger
