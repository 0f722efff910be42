#include "msp/msp_manager.h"

#include "common/policies/policy_parser.h"
#include "common/policies/signature_policy.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "msp/testing/test_org.h"

namespace careledger::msp {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::TestOrg;

std::unique_ptr<MspManager> ManagerFor(const std::vector<const TestOrg*>& orgs) {
  std::vector<std::shared_ptr<const Msp>> msps;
  for (const TestOrg* org : orgs) msps.push_back(*Msp::Create(org->MspConfig()));
  auto manager = MspManager::Create(std::move(msps));
  EXPECT_TRUE(manager.ok()) << manager.status();
  return *std::move(manager);
}

TEST(MspManagerTest, RoutesToTheNamedMspAndCachesValidatedIdentities) {
  TestOrg h1("Hospital1MSP");
  TestOrg h2("Hospital2MSP");
  auto manager = ManagerFor({&h1, &h2});
  EXPECT_THAT(manager->MspIds(), ElementsAre("Hospital1MSP", "Hospital2MSP"));
  SigningIdentity peer = h2.Issue("peer0", NodeRole::kPeer);
  auto first = manager->Deserialize(peer.SerializedIdentity());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ((*first)->msp_id(), "Hospital2MSP");
  auto second = manager->Deserialize(peer.SerializedIdentity());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(first->get(), second->get());  // served from the cache
  EXPECT_NE(manager->Find("Hospital1MSP"), nullptr);
  EXPECT_EQ(manager->Find("RegulatorMSP"), nullptr);
}

TEST(MspManagerTest, FromDefinitionsBuildsEveryMspOrNamesTheOneThatFails) {
  TestOrg h1("Hospital1MSP");
  TestOrg h2("Hospital2MSP");
  auto manager = MspManager::FromDefinitions({h1.MspConfig(), h2.MspConfig()});
  ASSERT_TRUE(manager.ok()) << manager.status();
  EXPECT_THAT((*manager)->MspIds(), ::testing::UnorderedElementsAre("Hospital1MSP", "Hospital2MSP"));
  ::msp::FabricMSPConfig broken = h2.MspConfig();
  broken.clear_root_certs();
  auto refused = MspManager::FromDefinitions({h1.MspConfig(), broken});
  EXPECT_FALSE(refused.ok());
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("MSP Hospital2MSP"));
}

TEST(MspManagerTest, CacheIsBounded) {
  TestOrg h1("Hospital1MSP");
  std::vector<std::shared_ptr<const Msp>> msps = {*Msp::Create(h1.MspConfig())};
  auto manager = *MspManager::Create(std::move(msps), /*cache_capacity=*/2);
  SigningIdentity a = h1.Issue("a", NodeRole::kClient);
  auto first = *manager->Deserialize(a.SerializedIdentity());
  for (const char* name : {"b", "c"}) ASSERT_TRUE(manager->Deserialize(h1.Issue(name, NodeRole::kClient)
                                                                             .SerializedIdentity())
                                                      .ok());
  auto again = *manager->Deserialize(a.SerializedIdentity());
  EXPECT_NE(first.get(), again.get());  // "a" was evicted and validated anew
  EXPECT_EQ(first->serialized(), again->serialized());
}

TEST(MspManagerTest, RejectsUnknownMspMalformedBytesAndDuplicates) {
  TestOrg h1("Hospital1MSP");
  TestOrg stranger("StrangerMSP");
  auto manager = ManagerFor({&h1});
  auto unknown = manager->Deserialize(stranger.Issue("x", NodeRole::kClient).SerializedIdentity());
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(unknown.status().message(), HasSubstr("unknown MSP 'StrangerMSP'"));
  EXPECT_EQ(manager->Deserialize("\xff\xff\xff").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(manager->Deserialize(std::string(kMaxSerializedIdentityBytes + 1, 'x')).status().message(),
              HasSubstr("exceeds"));
  std::vector<std::shared_ptr<const Msp>> twice = {*Msp::Create(h1.MspConfig()), *Msp::Create(h1.MspConfig())};
  EXPECT_THAT(MspManager::Create(std::move(twice)).status().message(), HasSubstr("defined twice"));
}

// The whole path a validator takes: real certificates, real signatures, a policy written in Fabric's language.
TEST(MspManagerTest, EndorsementPolicyOverRealSignatures) {
  TestOrg h1("Hospital1MSP");
  TestOrg h2("Hospital2MSP");
  auto manager = ManagerFor({&h1, &h2});
  auto envelope = policies::ParseSignaturePolicy("AND('Hospital1MSP.peer', 'Hospital2MSP.peer')");
  ASSERT_TRUE(envelope.ok()) << envelope.status();
  auto policy = policies::NewSignaturePolicy(*envelope);
  ASSERT_TRUE(policy.ok()) << policy.status();

  const std::string payload = "proposal response payload";
  SigningIdentity p1 = h1.Issue("peer0.h1", NodeRole::kPeer);
  SigningIdentity p2 = h2.Issue("peer0.h2", NodeRole::kPeer);
  SigningIdentity c2 = h2.Issue("client.h2", NodeRole::kClient);
  const std::string id1 = p1.SerializedIdentity(), id2 = p2.SerializedIdentity(), idc = c2.SerializedIdentity();
  const std::string s1 = *p1.Sign(payload), s2 = *p2.Sign(payload), sc = *c2.Sign(payload);

  std::vector<policies::SignedData> both = {{payload, id1, s1}, {payload, id2, s2}};
  EXPECT_TRUE(policies::EvaluateSignedData(**policy, both, *manager).ok());

  std::vector<policies::SignedData> client_instead = {{payload, id1, s1}, {payload, idc, sc}};
  auto st = policies::EvaluateSignedData(**policy, client_instead, *manager);
  EXPECT_EQ(st.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(st.message(), HasSubstr("Hospital2MSP.peer"));

  std::vector<policies::SignedData> forged = {{payload, id1, s1}, {payload, id2, s1}};  // h2's slot, h1's signature
  EXPECT_EQ(policies::EvaluateSignedData(**policy, forged, *manager).code(), absl::StatusCode::kPermissionDenied);
}

// Regression: one member presenting its certificate twice, each time encoded differently and with a valid
// signature, counted as two signers and satisfied alone a policy that needs two members.
TEST(MspManagerTest, OneMemberNeverSatisfiesTwoMembersWhateverItPresents) {
  TestOrg org1("Org1");
  auto manager = ManagerFor({&org1});
  auto envelope = policies::ParseSignaturePolicy("OutOf(2, 'Org1.member', 'Org1.member')");
  ASSERT_TRUE(envelope.ok()) << envelope.status();
  auto policy = policies::NewSignaturePolicy(*envelope);
  ASSERT_TRUE(policy.ok()) << policy.status();

  const std::string payload = "config update";
  const auto [certificate, key] = org1.IssueWithKey("alice", {"client"});
  const std::string plain = SerializeIdentity("Org1", certificate);
  ::msp::SerializedIdentity with_leading_text;
  ASSERT_TRUE(with_leading_text.ParseFromString(plain));
  with_leading_text.set_id_bytes("Alice's certificate:\n" + with_leading_text.id_bytes());
  const std::string reencoded = with_leading_text.SerializeAsString();
  const std::string renewed = SerializeIdentity("Org1", org1.IssueForKey("alice-renewed", NodeRole::kClient,
                                                                          key.public_key()));
  for (const std::string* presented : {&plain, &reencoded, &renewed}) {
    ASSERT_TRUE(manager->DeserializeIdentity(*presented).ok());  // each one alone is a valid member
  }
  const std::string signature1 = *key.Sign(payload), signature2 = *key.Sign(payload);

  const std::vector<policies::SignedData> twice = {{payload, plain, signature1}, {payload, reencoded, signature2}};
  const absl::Status status = policies::EvaluateSignedData(**policy, twice, *manager);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << status;
  EXPECT_THAT(status.message(), HasSubstr("(1 distinct signer(s) given)"));
  const std::vector<policies::SignedData> renewed_too = {{payload, plain, signature1},
                                                         {payload, renewed, signature2}};
  EXPECT_EQ(policies::EvaluateSignedData(**policy, renewed_too, *manager).code(),
            absl::StatusCode::kPermissionDenied);

  const SigningIdentity bob = org1.Issue("bob", NodeRole::kClient);
  const std::string bob_id = bob.SerializedIdentity(), bob_signature = *bob.Sign(payload);
  const std::vector<policies::SignedData> two = {{payload, reencoded, signature1}, {payload, bob_id, bob_signature}};
  EXPECT_TRUE(policies::EvaluateSignedData(**policy, two, *manager).ok());
}

}  // namespace
}  // namespace careledger::msp
