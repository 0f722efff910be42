#include "common/crypto/random.h"

#include "gtest/gtest.h"

namespace careledger::crypto {
namespace {

TEST(RandomBytesTest, ReturnsRequestedLengthAndDiffersBetweenDraws) {
  auto a = RandomBytes(32);
  auto b = RandomBytes(32);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 32u);
  EXPECT_NE(*a, *b);  // a collision of two 256-bit draws would mean a broken DRBG
  EXPECT_EQ(RandomBytes(0)->size(), 0u);
}

}  // namespace
}  // namespace careledger::crypto
