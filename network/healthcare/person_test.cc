#include "network/healthcare/person.h"

#include "gtest/gtest.h"
#include "msp/testing/test_org.h"

namespace careledger::healthcare {
namespace {

TEST(PersonOfCertificateTest, ReadsPersonIdAndRole) {
  msp::testing::TestOrg org("Hospital2MSP");
  msp::SigningIdentity carol =
      org.Issue("dr.carol", msp::NodeRole::kClient, {{"role", "doctor"}, {"person_id", "D-2001"}, {"unit", "icu"}});
  absl::StatusOr<Person> person = PersonOfCertificate(carol.certificate(), "Hospital2MSP");
  ASSERT_TRUE(person.ok()) << person.status();
  EXPECT_EQ(person->msp_id, "Hospital2MSP");
  EXPECT_EQ(person->person_id, "D-2001");
  EXPECT_EQ(person->role, "doctor");
  EXPECT_EQ(DescribePerson(*person), "D-2001 (Hospital2MSP)");
}

TEST(PersonOfCertificateTest, ACertificateWithoutPersonIdIsNoPerson) {
  msp::testing::TestOrg org("Hospital1MSP");
  msp::SigningIdentity admin = org.Issue("Admin", msp::NodeRole::kAdmin);
  absl::StatusOr<Person> person = PersonOfCertificate(admin.certificate(), "Hospital1MSP");
  EXPECT_EQ(person.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(person.status().message().find("no person_id"), std::string_view::npos) << person.status();
  msp::SigningIdentity nurse = org.Issue("nurse", msp::NodeRole::kClient, {{"role", "nurse"}});
  EXPECT_EQ(PersonOfCertificate(nurse.certificate(), "Hospital1MSP").status().code(), absl::StatusCode::kNotFound);
}

TEST(RequireRoleTest, NamesTheRoleFound) {
  EXPECT_TRUE(RequireRole({"Hospital2MSP", "D-2001", "doctor"}, "doctor", "dr.carol").ok());
  absl::Status nurse = RequireRole({"Hospital1MSP", "N-1", "nurse"}, "doctor", "nurse.nina");
  EXPECT_EQ(nurse.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(nurse.message(), "nurse.nina has role nurse, not doctor");
  EXPECT_EQ(RequireRole({"Hospital1MSP", "X-1", ""}, "guardian", "x").message(), "x has no role, not guardian");
}

TEST(ParsePersonRefTest, SplitsAtTheFirstColon) {
  absl::StatusOr<Person> person = ParsePersonRef("Hospital2MSP:D-2001");
  ASSERT_TRUE(person.ok()) << person.status();
  EXPECT_EQ(person->msp_id, "Hospital2MSP");
  EXPECT_EQ(person->person_id, "D-2001");
  EXPECT_EQ(ParsePersonRef("M:a:b")->person_id, "a:b");
  EXPECT_TRUE(IsPersonRef("Hospital2MSP:D-2001"));
  EXPECT_FALSE(IsPersonRef("dr.carol@hospital2.example.org"));
}

TEST(ParsePersonRefTest, RefusesAnEmptySide) {
  for (const char* text : {"", "Hospital2MSP", ":D-2001", "Hospital2MSP:"}) {
    EXPECT_EQ(ParsePersonRef(text).status().code(), absl::StatusCode::kInvalidArgument) << text;
  }
}

}  // namespace
}  // namespace careledger::healthcare
