#include "chaincode/builtin/healthcare/caller.h"

#include "gtest/gtest.h"

namespace careledger::chaincode::builtin::healthcare {
namespace {

TEST(CallerTest, FindsTheAdminOuInTheSubjectOnly) {
  EXPECT_TRUE(SubjectHasAdminOu("x509::CN=Admin@hospital1,OU=admin,O=Hospital1,C=US::CN=ca.Hospital1MSP"));
  EXPECT_TRUE(SubjectHasAdminOu("x509::OU=admin::CN=ca"));
  EXPECT_FALSE(SubjectHasAdminOu("x509::CN=alice,OU=client,O=Hospital1::CN=ca,OU=admin"));  // the issuer's
  EXPECT_FALSE(SubjectHasAdminOu("x509::CN=x\\,OU=admin,OU=client::CN=ca"));  // an escaped comma in a value
  EXPECT_FALSE(SubjectHasAdminOu("x509::CN=a::OU=admin,OU=client::CN=ca"));   // "::" ends the subject
  EXPECT_FALSE(SubjectHasAdminOu("x509::CN=a,OU=administrator::CN=ca"));
  EXPECT_FALSE(SubjectHasAdminOu("CN=a,OU=admin"));
}

TEST(CallerTest, ReadsRoleAndPersonFromAttributes) {
  const shim::ClientIdentity identity("Hospital1MSP", "x509::CN=d,OU=client::CN=ca", "",
                                      {{"role", "doctor"}, {"person_id", "D-1001"}});
  const Caller caller = ReadCaller(identity);
  EXPECT_EQ(caller.msp_id, "Hospital1MSP");
  EXPECT_EQ(caller.role, "doctor");
  EXPECT_EQ(caller.person_id, "D-1001");
  EXPECT_FALSE(caller.admin);
  EXPECT_EQ(caller.Describe(), "doctor D-1001 (Hospital1MSP)");

  const Caller admin = ReadCaller(shim::ClientIdentity("Hospital2MSP", "x509::CN=a,OU=admin::CN=ca", "", {}));
  EXPECT_TRUE(admin.admin);
  EXPECT_EQ(admin.Describe(), "admin of Hospital2MSP");
}

}  // namespace
}  // namespace careledger::chaincode::builtin::healthcare
