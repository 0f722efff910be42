#include "network/genesis/byte_size.h"

#include "gtest/gtest.h"

namespace careledger::network {
namespace {

TEST(ByteSizeTest, UnitsArePowersOf1024AsInConfigtx) {
  EXPECT_EQ(*ParseByteSize("98304"), 98304u);
  EXPECT_EQ(*ParseByteSize("512B"), 512u);
  EXPECT_EQ(*ParseByteSize("512 KB"), 512u * 1024);
  EXPECT_EQ(*ParseByteSize("2MB"), 2u << 20);
  EXPECT_EQ(*ParseByteSize("2mib"), 2u << 20);
  EXPECT_EQ(*ParseByteSize("10 MB"), 10485760u);
  EXPECT_EQ(*ParseByteSize("1GiB"), 1u << 30);
  EXPECT_EQ(*ParseByteSize("0"), 0u);
}

TEST(ByteSizeTest, RejectsWhatIsNotASize) {
  for (const char* text : {"", "MB", "2.5MB", "-1", "2 TB", "2  MB", "2MB ", " 2MB", "0x10"}) {
    auto size = ParseByteSize(text);
    EXPECT_FALSE(size.ok()) << text;
    if (!size.ok()) {
      EXPECT_EQ(size.status().code(), absl::StatusCode::kInvalidArgument) << text;
    }
  }
}

TEST(ByteSizeTest, RefusesValuesAboveTheLimit) {
  EXPECT_TRUE(ParseByteSize("4095MB", UINT32_MAX).ok());
  EXPECT_FALSE(ParseByteSize("4GB", UINT32_MAX).ok());
  EXPECT_FALSE(ParseByteSize("99999999999999999999999").ok());
  EXPECT_FALSE(ParseByteSize("17179869184GB").ok());
}

}  // namespace
}  // namespace careledger::network
