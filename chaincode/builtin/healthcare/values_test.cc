#include "chaincode/builtin/healthcare/values.h"

#include <string>

#include "careledger/shim/shim_error.h"
#include "gtest/gtest.h"

namespace careledger::chaincode::builtin::healthcare {
namespace {

using ::std::string_literals::operator""s;

template <typename F>
std::string Refusal(F f) {
  try {
    f();
  } catch (const shim::ShimError& error) {
    return error.what();
  }
  return "(no refusal)";
}

TEST(ValuesTest, FormatsTimesAsRfc3339Utc) {
  EXPECT_EQ(FormatTime(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatTime(1700000000), "2023-11-14T22:13:20Z");
  EXPECT_EQ(FormatTime(951782400), "2000-02-29T00:00:00Z");  // a leap day of a century leap year
  EXPECT_EQ(FormatTime(253402300799), "9999-12-31T23:59:59Z");
  EXPECT_EQ(FormatTime(1700000000, 500), "2023-11-14T22:13:20.000000500Z");
  EXPECT_EQ(FormatTime(-1), "1969-12-31T23:59:59Z");
}

TEST(ValuesTest, ChecksIds) {
  CheckId("patient ID", "P-1001");
  CheckId("patient ID", "urn:x.y_z");
  EXPECT_EQ(Refusal([] { CheckId("patient ID", ""); }),
            "invalid patient ID '': expected 1 to 64 characters of A-Z a-z 0-9 . _ : -");
  EXPECT_EQ(Refusal([] { CheckId("record ID", "a b"); }),
            "invalid record ID 'a b': expected 1 to 64 characters of A-Z a-z 0-9 . _ : -");
  EXPECT_EQ(Refusal([] { CheckId("record ID", "a\nb"); }),
            "invalid record ID '(unprintable)': expected 1 to 64 characters of A-Z a-z 0-9 . _ : -");
  EXPECT_NE(Refusal([] { CheckId("record ID", std::string(65, 'a')); }), "(no refusal)");
}

TEST(ValuesTest, ChecksText) {
  CheckText("reason", "cardiac arrest, unconscious — ER", 1024);
  EXPECT_EQ(Refusal([] { CheckText("reason", "", 10); }), "invalid reason: must not be empty");
  EXPECT_EQ(Refusal([] { CheckText("reason", "12345678901", 10); }), "invalid reason: is longer than 10 bytes");
  EXPECT_EQ(Refusal([] { CheckText("reason", "bad\xFF", 10); }), "invalid reason: is not valid UTF-8");
  EXPECT_EQ(Refusal([] { CheckText("reason", "a\tb", 10); }), "invalid reason: contains a control character");
}

TEST(ValuesTest, ValidatesUtf8Strictly) {
  EXPECT_TRUE(IsValidUtf8("plain é € 𝄞"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // a surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));          // truncated
}

TEST(ValuesTest, ParsesSha256InLowerCase) {
  const std::string upper(64, 'A');
  EXPECT_EQ(ParseSha256(upper), std::string(64, 'a'));
  EXPECT_EQ(Refusal([] { ParseSha256("abc"); }), "invalid SHA-256 'abc': expected 64 hexadecimal digits");
  EXPECT_NE(Refusal([] { ParseSha256(std::string(63, 'a') + "g"); }), "(no refusal)");
}

TEST(ValuesTest, ParsesBoundedIntegers) {
  EXPECT_EQ(ParseInteger("size", "0", 0, 10), 0);
  EXPECT_EQ(ParseInteger("size", "10", 0, 10), 10);
  EXPECT_EQ(Refusal([] { ParseInteger("size", "11", 0, 10); }), "invalid size '11': expected an integer from 0 to 10");
  EXPECT_EQ(Refusal([] { ParseInteger("size", "-1", 0, 10); }), "invalid size '-1': expected an integer from 0 to 10");
  EXPECT_EQ(Refusal([] { ParseInteger("size", "+1", 0, 10); }), "invalid size '+1': expected an integer from 0 to 10");
  EXPECT_EQ(Refusal([] { ParseInteger("size", "", 0, 10); }), "invalid size '': expected an integer from 0 to 10");
  EXPECT_NE(Refusal([] { ParseInteger("size", "99999999999999999999999", 0, 10); }), "(no refusal)");
}

TEST(ValuesTest, ParsesScopesAndCategories) {
  EXPECT_TRUE(ParseScope("read").read);
  EXPECT_FALSE(ParseScope("read").write);
  EXPECT_EQ(ScopeName(ParseScope("readwrite")), "readwrite");
  EXPECT_EQ(ScopeName(ParseScope("write")), "write");
  EXPECT_EQ(Refusal([] { ParseScope("all"); }), "invalid scope 'all': expected read, write or readwrite");
  EXPECT_TRUE(ParseCategories("").empty());
  EXPECT_TRUE(ParseCategories("*").empty());
  EXPECT_EQ(ParseCategories("lab,imaging,lab"), (std::vector<std::string>{"imaging", "lab"}));
  EXPECT_EQ(Refusal([] { ParseCategories("lab,,x"); }),
            "invalid category '': expected 1 to 64 characters of A-Z a-z 0-9 . _ : -");
}

}  // namespace
}  // namespace careledger::chaincode::builtin::healthcare
