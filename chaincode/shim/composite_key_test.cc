#include "careledger/shim/composite_key.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::shim {
namespace {

using ::std::string_literals::operator""s;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::string ErrorOf(const std::string& object_type, const std::vector<std::string>& attributes) {
  try {
    CreateCompositeKey(object_type, attributes);
  } catch (const ShimError& error) {
    return error.what();
  }
  return "no error";
}

TEST(CompositeKeyTest, EncodesAsFabricDoes) {
  EXPECT_EQ(CreateCompositeKey("owner~id", {"Tomoko", "asset1"}),
            "\x00owner~id\x00Tomoko\x00"
            "asset1\x00"s);
  EXPECT_EQ(CreateCompositeKey("asset", {}),
            "\x00"
            "asset\x00"s);
  EXPECT_EQ(CreateCompositeKey("", {}), "\x00\x00"s);
  EXPECT_EQ(CreateCompositeKey("t", {"", "x"}), "\x00t\x00\x00x\x00"s);
}

TEST(CompositeKeyTest, SplitReversesCreate) {
  const std::vector<std::vector<std::string>> cases = {{}, {"a"}, {"", "x"}, {"Tomoko", "asset1", "\xC3\xA9t\xC3\xA9"}};
  for (const std::vector<std::string>& attributes : cases) {
    const CompositeKeyParts parts = SplitCompositeKey(CreateCompositeKey("type", attributes));
    EXPECT_EQ(parts.object_type, "type");
    EXPECT_EQ(parts.attributes, attributes);
  }
}

TEST(CompositeKeyTest, SplitRefusesWhatIsNotACompositeKey) {
  for (const std::string& key : {""s, "abc"s, "\x00"s, "\x00type"s,
                                 "a\x00"
                                 "b\x00"s}) {
    EXPECT_THROW(SplitCompositeKey(key), ShimError) << key;
  }
  try {
    SplitCompositeKey("ab");
    FAIL();
  } catch (const ShimError& error) {
    EXPECT_STREQ(error.what(), "not a composite key: [6162] (a composite key starts and ends with 0x00)");
  }
}

TEST(CompositeKeyTest, AcceptsMultiByteUtf8) {
  EXPECT_THAT(SplitCompositeKey(CreateCompositeKey("\xE6\x97\xA5\xE6\x9C\xAC", {"\xF0\x9F\x98\x80"})).attributes,
              ElementsAre("\xF0\x9F\x98\x80"));
}

TEST(CompositeKeyTest, RefusesInvalidUtf8WithFabricsText) {
  EXPECT_EQ(ErrorOf("type", {"a\xFF"}), "not a valid utf8 string: [61ff]");
  EXPECT_EQ(ErrorOf("\xC0\x80", {}), "not a valid utf8 string: [c080]");              // overlong NUL
  EXPECT_EQ(ErrorOf("\xED\xA0\x80", {}), "not a valid utf8 string: [eda080]");        // a surrogate
  EXPECT_EQ(ErrorOf("\xE6\x97", {}), "not a valid utf8 string: [e697]");              // truncated
  EXPECT_EQ(ErrorOf("\xF4\x90\x80\x80", {}), "not a valid utf8 string: [f4908080]");  // above U+10FFFF
}

TEST(CompositeKeyTest, RefusesTheTwoReservedCodePointsWithFabricsText) {
  EXPECT_EQ(ErrorOf("type", {"ab\x00"s}),
            "input contains unicode U+0000 starting at position [2]. U+0000 and U+10FFFF are not allowed in the "
            "input attribute of a composite key");
  EXPECT_EQ(ErrorOf("x\xF4\x8F\xBF\xBF", {}),
            "input contains unicode U+10FFFF starting at position [1]. U+0000 and U+10FFFF are not allowed in the "
            "input attribute of a composite key");
}

TEST(CompositeKeyTest, PartialKeyRangeCoversExactlyTheKeysExtendingIt) {
  const std::string prefix = CreateCompositeKey("owner~id", {"Tomoko"});
  const std::string end = prefix + std::string(kMaxUnicodeRuneUtf8);
  for (const std::string& id : {"a"s, "\xF4\x8F\xBF\xBE"s, "\xEF\xBF\xBF"s, ""s}) {
    const std::string key = CreateCompositeKey("owner~id", {"Tomoko", id});
    EXPECT_TRUE(prefix <= key && key < end) << id;
  }
  EXPECT_FALSE(CreateCompositeKey("owner~id", {"Tomoko2", "a"}) < end &&
               CreateCompositeKey("owner~id", {"Tomoko2", "a"}) >= prefix);
  EXPECT_EQ(kMaxUnicodeRuneUtf8, "\xF4\x8F\xBF\xBF");
  EXPECT_EQ(kEmptyKeySubstitute, "\x01");
}

TEST(CompositeKeyTest, EmptyPartialKeyHasNoAttributes) {
  EXPECT_THAT(SplitCompositeKey(CreateCompositeKey("asset", {})).attributes, IsEmpty());
}

}  // namespace
}  // namespace careledger::shim
