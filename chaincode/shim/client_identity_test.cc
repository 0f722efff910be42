#include "careledger/shim/client_identity.h"

#include <string>

#include "gtest/gtest.h"

namespace careledger::shim {
namespace {

ClientIdentity Nurse() {
  return ClientIdentity("Hospital1MSP", "x509::CN=nurse1::CN=ca", "PEM", {{"role", "nurse"}, {"person_id", "p7"}});
}

std::string AssertionError(const ClientIdentity& identity, const std::string& name, const std::string& value) {
  try {
    identity.AssertAttributeValue(name, value);
  } catch (const ShimError& error) {
    return error.what();
  }
  return "no error";
}

TEST(ClientIdentityTest, ReportsWhatTheMspVerified) {
  const ClientIdentity identity = Nurse();
  EXPECT_EQ(identity.GetMSPID(), "Hospital1MSP");
  EXPECT_EQ(identity.GetID(), "x509::CN=nurse1::CN=ca");
  EXPECT_EQ(identity.GetCertificatePEM(), "PEM");
  EXPECT_EQ(identity.GetAttributeValue("role"), "nurse");
  EXPECT_EQ(identity.GetAttributeValue("ward"), std::nullopt);
}

TEST(ClientIdentityTest, AssertAttributeValueUsesFabricsTexts) {
  const ClientIdentity identity = Nurse();
  EXPECT_EQ(AssertionError(identity, "role", "nurse"), "no error");
  EXPECT_EQ(AssertionError(identity, "role", "doctor"), "attribute 'role' equals 'nurse', not 'doctor'");
  EXPECT_EQ(AssertionError(identity, "ward", "3"), "attribute 'ward' was not found");
}

}  // namespace
}  // namespace careledger::shim
