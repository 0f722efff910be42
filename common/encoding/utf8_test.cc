#include "common/encoding/utf8.h"

#include "gtest/gtest.h"

namespace careledger {
namespace {

TEST(Utf8Test, DecodesWellFormedSequences) {
  uint32_t cp = 0;
  EXPECT_EQ(DecodeUtf8Sequence("\xc3\xa9", 0, &cp), 2u);  // é
  EXPECT_EQ(cp, 0xe9u);
  EXPECT_EQ(DecodeUtf8Sequence("x\xe2\x80\xa8", 1, &cp), 3u);  // U+2028
  EXPECT_EQ(cp, 0x2028u);
  EXPECT_EQ(DecodeUtf8Sequence("\xf0\x9f\x8f\xa5", 0, &cp), 4u);  // U+1F3E5 hospital
  EXPECT_EQ(cp, 0x1f3e5u);
}

TEST(Utf8Test, RejectsMalformedSequences) {
  uint32_t cp = 0;
  EXPECT_EQ(DecodeUtf8Sequence("a", 0, &cp), 0u);                 // ASCII is not a sequence
  EXPECT_EQ(DecodeUtf8Sequence("\xc3", 0, &cp), 0u);              // truncated
  EXPECT_EQ(DecodeUtf8Sequence("\xc3\x28", 0, &cp), 0u);          // bad continuation
  EXPECT_EQ(DecodeUtf8Sequence("\xc0\xaf", 0, &cp), 0u);          // overlong '/'
  EXPECT_EQ(DecodeUtf8Sequence("\xed\xa0\x80", 0, &cp), 0u);      // surrogate U+D800
  EXPECT_EQ(DecodeUtf8Sequence("\xf4\x90\x80\x80", 0, &cp), 0u);  // above U+10FFFF
  EXPECT_EQ(DecodeUtf8Sequence("\x80", 0, &cp), 0u);              // lone continuation byte
}

}  // namespace
}  // namespace careledger
