#include "common/policies/policy.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/policies/policy_parser.h"
#include "common/policies/signature_policy.h"
#include "common/policies/test_identities.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::policies {
namespace {

using ::careledger::policies::testing::TestDeserializer;
using ::careledger::policies::testing::TestIdentity;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr std::string_view kData = "proposal bytes";

std::vector<std::string_view> Serialized(const std::vector<std::shared_ptr<const Identity>>& signers) {
  std::vector<std::string_view> serialized;
  for (const auto& signer : signers) serialized.push_back(signer->serialized());
  return serialized;
}

class VerifiedSignersTest : public ::testing::Test {
 protected:
  // The signature `identity` makes over kData (kept alive by the fixture, as SignedData only holds views).
  SignedData Signed(const TestIdentity& identity) {
    signatures_.push_back(std::make_unique<std::string>(identity.Sign(kData)));
    return SignedData{kData, identity.serialized(), *signatures_.back()};
  }
  SignedData BadlySigned(const TestIdentity& identity) {
    return SignedData{kData, identity.serialized(), "not a signature"};
  }

  std::unique_ptr<Policy> PolicyFor(std::string_view text) {
    auto envelope = ParseSignaturePolicy(text);
    EXPECT_TRUE(envelope.ok()) << envelope.status();
    auto policy = NewSignaturePolicy(*envelope);
    EXPECT_TRUE(policy.ok()) << policy.status();
    return std::move(*policy);
  }

  TestDeserializer deserializer_;
  const std::shared_ptr<const TestIdentity> a1_ =
      deserializer_.Add(std::make_shared<TestIdentity>("A", "peer1", std::set<testing::Role>{::common::MSPRole::PEER}));
  const std::shared_ptr<const TestIdentity> a2_ =
      deserializer_.Add(std::make_shared<TestIdentity>("A", "peer2", std::set<testing::Role>{::common::MSPRole::PEER}));
  const std::shared_ptr<const TestIdentity> b1_ =
      deserializer_.Add(std::make_shared<TestIdentity>("B", "peer1", std::set<testing::Role>{::common::MSPRole::PEER}));
  // Registered, but its key does not match its certificate: every signature it makes fails.
  const std::shared_ptr<const TestIdentity> forger_ = deserializer_.Add(std::make_shared<TestIdentity>(
      "B", "forger", std::set<testing::Role>{::common::MSPRole::PEER}, /*signs_correctly=*/false));
  // Never registered: the deserializer rejects its bytes.
  const TestIdentity stranger_{"C", "peer1", {::common::MSPRole::PEER}};

 private:
  std::vector<std::unique_ptr<std::string>> signatures_;
};

TEST_F(VerifiedSignersTest, KeepsValidSignersInFirstSeenOrder) {
  const std::vector<SignedData> data = {Signed(*b1_), Signed(*a1_), Signed(*a2_)};
  EXPECT_THAT(Serialized(VerifiedSigners(data, deserializer_)), ElementsAre("B/peer1", "A/peer1", "A/peer2"));
}

TEST_F(VerifiedSignersTest, DropsBadSignaturesAndUndeserializableIdentities) {
  const std::vector<SignedData> data = {BadlySigned(*a1_), Signed(*forger_), Signed(stranger_), Signed(*b1_)};
  EXPECT_THAT(Serialized(VerifiedSigners(data, deserializer_)), ElementsAre("B/peer1"));
}

TEST_F(VerifiedSignersTest, SignatureOverOtherDataIsDropped) {
  SignedData data = Signed(*a1_);
  data.data = "other bytes";
  EXPECT_TRUE(VerifiedSigners(std::vector<SignedData>{data}, deserializer_).empty());
}

TEST_F(VerifiedSignersTest, DuplicateIdentityCountsOnceAndIsDeserializedOnce) {
  const std::vector<SignedData> data = {Signed(*a1_), Signed(*b1_), Signed(*a1_), Signed(*a1_)};
  EXPECT_THAT(Serialized(VerifiedSigners(data, deserializer_)), ElementsAre("A/peer1", "B/peer1"));
  EXPECT_EQ(deserializer_.calls(), 2);
}

// One certificate has many encodings, and the MSP keeps the bytes it was given: the signer must still count
// once. Each encoding is deserialized (they are different bytes), but only the first valid one is verified.
TEST_F(VerifiedSignersTest, SameSignerInAnotherEncodingCountsOnce) {
  const std::shared_ptr<const TestIdentity> a1_pem = deserializer_.Add(TestIdentity::AnotherEncoding(*a1_, "pem"));
  ASSERT_NE(a1_pem->serialized(), a1_->serialized());
  const std::vector<SignedData> data = {Signed(*a1_), Signed(*b1_), Signed(*a1_pem)};
  EXPECT_THAT(Serialized(VerifiedSigners(data, deserializer_)), ElementsAre("A/peer1", "B/peer1"));
  EXPECT_EQ(deserializer_.calls(), 3);
  EXPECT_EQ(a1_->verify_calls(), 1);
  EXPECT_EQ(a1_pem->verify_calls(), 0);
}

// The first entry of a signer whose signature verifies counts, in whichever encoding it came.
TEST_F(VerifiedSignersTest, FirstValidEncodingOfASignerCounts) {
  const std::shared_ptr<const TestIdentity> a1_pem = deserializer_.Add(TestIdentity::AnotherEncoding(*a1_, "pem"));
  const std::vector<SignedData> data = {BadlySigned(*a1_), Signed(*b1_), Signed(*a1_pem), Signed(*a1_)};
  EXPECT_THAT(Serialized(VerifiedSigners(data, deserializer_)), ElementsAre("B/peer1", "A/peer1#pem"));
  EXPECT_EQ(a1_->verify_calls(), 1);  // the bad signature only; its valid entry comes after a1_pem's
}

TEST_F(VerifiedSignersTest, SameSignerInTwoEncodingsDoesNotSatisfyTwoOfItsOrganisation) {
  const std::unique_ptr<Policy> policy = PolicyFor("OutOf(2, 'A.peer', 'A.peer')");
  const std::shared_ptr<const TestIdentity> a1_pem = deserializer_.Add(TestIdentity::AnotherEncoding(*a1_, "pem"));
  const absl::Status status =
      EvaluateSignedData(*policy, std::vector<SignedData>{Signed(*a1_), Signed(*a1_pem)}, deserializer_);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(status.message()), HasSubstr("(1 distinct signer(s) given)"));
  EXPECT_TRUE(EvaluateSignedData(*policy, std::vector<SignedData>{Signed(*a1_pem), Signed(*a2_)}, deserializer_).ok());
}

// As in Fabric, an identity is only taken as seen once a signature of it verifies.
TEST_F(VerifiedSignersTest, LaterValidSignatureOfSameIdentityCounts) {
  const std::vector<SignedData> data = {BadlySigned(*a1_), Signed(*b1_), Signed(*a1_)};
  EXPECT_THAT(Serialized(VerifiedSigners(data, deserializer_)), ElementsAre("B/peer1", "A/peer1"));
}

TEST_F(VerifiedSignersTest, DeserializerReturningNullIsDropped) {
  class NullDeserializer final : public IdentityDeserializer {
   public:
    absl::StatusOr<std::shared_ptr<const Identity>> DeserializeIdentity(std::string_view) const override {
      return std::shared_ptr<const Identity>();
    }
  };
  EXPECT_TRUE(VerifiedSigners(std::vector<SignedData>{Signed(*a1_)}, NullDeserializer()).empty());
}

TEST_F(VerifiedSignersTest, ExtraBadSignatureDoesNotSpoilSufficientSet) {
  const std::unique_ptr<Policy> policy = PolicyFor("AND('A.peer', 'B.peer')");
  const std::vector<SignedData> data = {BadlySigned(*a2_), Signed(*a1_), Signed(stranger_), Signed(*forger_),
                                        Signed(*b1_)};
  EXPECT_TRUE(EvaluateSignedData(*policy, data, deserializer_).ok());
}

TEST_F(VerifiedSignersTest, BadSignaturesDoNotCount) {
  const std::unique_ptr<Policy> policy = PolicyFor("AND('A.peer', 'B.peer')");
  const std::vector<SignedData> data = {Signed(*a1_), Signed(*forger_)};
  const absl::Status status = EvaluateSignedData(*policy, data, deserializer_);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("no unused signer satisfies 'B.peer' (1 distinct signer(s) given)"));
}

TEST_F(VerifiedSignersTest, SameSignerTwiceInSignedDataCountsOnce) {
  const std::unique_ptr<Policy> policy = PolicyFor("AND('A.member', 'A.member')");
  EXPECT_EQ(EvaluateSignedData(*policy, std::vector<SignedData>{Signed(*a1_), Signed(*a1_)}, deserializer_).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(EvaluateSignedData(*policy, std::vector<SignedData>{Signed(*a1_), Signed(*a2_)}, deserializer_).ok());
}

TEST_F(VerifiedSignersTest, NoSignedData) {
  EXPECT_TRUE(VerifiedSigners({}, deserializer_).empty());
  const std::unique_ptr<Policy> policy = PolicyFor("OutOf(0, 'A.peer')");
  EXPECT_TRUE(EvaluateSignedData(*policy, {}, deserializer_).ok());
  const std::unique_ptr<Policy> one = PolicyFor("'A.peer'");
  EXPECT_EQ(EvaluateSignedData(*one, {}, deserializer_).code(), absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace careledger::policies
