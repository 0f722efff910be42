#include "msp/attributes.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::msp {
namespace {

using ::testing::HasSubstr;

TEST(AttributesTest, ParsesFabricCaFormat) {
  auto attrs = ParseAttributes(R"({"attrs":{"hf.EnrollmentID":"dr.alice","role":"doctor"}})");
  ASSERT_TRUE(attrs.ok()) << attrs.status();
  EXPECT_EQ(attrs->at("role"), "doctor");
  EXPECT_EQ(attrs->at("hf.EnrollmentID"), "dr.alice");
}

TEST(AttributesTest, EncodeRoundTrips) {
  Attributes attrs = {{"role", "patient"}, {"hc.person_id", "P-2001"}, {"quote", "a\"b"}};
  EXPECT_EQ(*ParseAttributes(EncodeAttributes(attrs)), attrs);
  EXPECT_EQ(EncodeAttributes({}), R"({"attrs":{}})");
}

TEST(AttributesTest, RejectsMalformedValues) {
  EXPECT_THAT(ParseAttributes("{").status().message(), HasSubstr("not valid JSON"));
  EXPECT_THAT(ParseAttributes("[]").status().message(), HasSubstr("no \"attrs\" object"));
  EXPECT_THAT(ParseAttributes(R"({"attrs":[]})").status().message(), HasSubstr("no \"attrs\" object"));
  EXPECT_THAT(ParseAttributes(R"({"attrs":{"n":1}})").status().message(), HasSubstr("'n' is not a string"));
  EXPECT_THAT(ParseAttributes(std::string(70000, ' ')).status().message(), HasSubstr("larger than 64 KiB"));
  EXPECT_FALSE(ParseAttributes(std::string(5000, '[')).ok());  // deep nesting must not crash
}

}  // namespace
}  // namespace careledger::msp
