#include "chaincode/runtime/text.h"

#include <string>

#include "gtest/gtest.h"

namespace careledger::chaincode {
namespace {

using ::std::string_literals::operator""s;

TEST(TextTest, ToValidUtf8KeepsValidTextAndReplacesEachBadByte) {
  EXPECT_EQ(ToValidUtf8("plain \xC3\xA9t\xC3\xA9"), "plain \xC3\xA9t\xC3\xA9");
  EXPECT_EQ(ToValidUtf8("a\xFF"
                        "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(ToValidUtf8("\xE6\x97"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_TRUE(IsValidUtf8(ToValidUtf8("\xED\xA0\x80 \xC0\x80")));
}

TEST(TextTest, PrintableKeyEscapesWhatIsNotPrintable) {
  EXPECT_EQ(PrintableKey("\x00"
                         "asset\x00id1\x00"s),
            "\\x00asset\\x00id1\\x00");
  EXPECT_EQ(PrintableKey("a\\b\n\xFF\xC3\xA9"), "a\\x5cb\\x0a\\xff\xC3\xA9");
}

}  // namespace
}  // namespace careledger::chaincode
