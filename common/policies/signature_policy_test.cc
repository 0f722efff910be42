#include "common/policies/signature_policy.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/policies/policy_parser.h"
#include "common/policies/test_envelopes.h"
#include "common/policies/test_identities.h"
#include "common/status_macros.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::policies {
namespace {

using ::careledger::policies::testing::Envelope;
using ::careledger::policies::testing::NOutOf;
using ::careledger::policies::testing::Principal;
using ::careledger::policies::testing::RolePrincipal;
using ::careledger::policies::testing::SignedBy;
using ::careledger::policies::testing::Signers;
using ::careledger::policies::testing::TestIdentity;
using ::testing::HasSubstr;

constexpr auto kPeer = ::common::MSPRole::PEER;
constexpr auto kAdmin = ::common::MSPRole::ADMIN;

// Parses `text`, builds the policy and evaluates it. A parse or build error comes back as InvalidArgument,
// which no test expects from evaluation, so it cannot pass for a satisfied or denied policy.
absl::Status Evaluate(std::string_view text, std::vector<const Identity*> signers) {
  ASSIGN_OR_RETURN(const ::common::SignaturePolicyEnvelope envelope, ParseSignaturePolicy(text));
  ASSIGN_OR_RETURN(const std::unique_ptr<Policy> policy, NewSignaturePolicy(envelope));
  return policy->Evaluate(signers);
}

void ExpectDenied(const absl::Status& status, std::string_view message_part) {
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr(message_part));
}

class SignaturePolicyTest : public ::testing::Test {
 protected:
  const TestIdentity a_peer1_{"A", "peer1", {kPeer}};
  const TestIdentity a_peer2_{"A", "peer2", {kPeer}};
  const TestIdentity a_peer3_{"A", "peer3", {kPeer}};
  const TestIdentity a_admin_{"A", "admin", {kAdmin}};
  const TestIdentity b_peer_{"B", "peer1", {kPeer}};
  const TestIdentity c_peer_{"C", "peer1", {kPeer}};
  const TestIdentity d_peer_{"D", "peer1", {kPeer}};
};

TEST_F(SignaturePolicyTest, BarePrincipal) {
  EXPECT_TRUE(Evaluate("'A.peer'", {&a_peer1_}).ok());
  ExpectDenied(
      Evaluate("'A.peer'", {&b_peer_}),
      "signature policy 'A.peer' not satisfied: no unused signer satisfies 'A.peer' (1 distinct signer(s) given)");
}

TEST_F(SignaturePolicyTest, And) {
  EXPECT_TRUE(Evaluate("AND('A.peer', 'B.peer')", {&a_peer1_, &b_peer_}).ok());
  EXPECT_TRUE(Evaluate("AND('A.peer', 'B.peer')", {&b_peer_, &c_peer_, &a_peer1_}).ok());
  const absl::Status status = Evaluate("AND('A.peer', 'B.peer')", {&a_peer1_});
  EXPECT_EQ(status, absl::PermissionDeniedError(
                        "signature policy AND('A.peer', 'B.peer') not satisfied (1 of 2 sub-rules satisfied, 2 "
                        "required): no unused signer satisfies 'B.peer' (1 distinct signer(s) given)"));
}

TEST_F(SignaturePolicyTest, Or) {
  EXPECT_TRUE(Evaluate("OR('A.peer', 'B.peer')", {&b_peer_}).ok());
  EXPECT_TRUE(Evaluate("OR('A.peer', 'B.peer')", {&c_peer_, &a_peer1_}).ok());
  ExpectDenied(Evaluate("OR('A.peer', 'B.peer')", {&c_peer_}),
               "(0 of 2 sub-rules satisfied, 1 required): no unused signer satisfies 'A.peer', 'B.peer'");
}

TEST_F(SignaturePolicyTest, OutOf) {
  EXPECT_TRUE(Evaluate("OutOf(2, 'A.peer', 'B.peer', 'C.peer')", {&a_peer1_, &c_peer_}).ok());
  EXPECT_TRUE(Evaluate("OutOf(2, 'A.peer', 'B.peer', 'C.peer')", {&c_peer_, &b_peer_, &a_peer1_}).ok());
  ExpectDenied(Evaluate("OutOf(2, 'A.peer', 'B.peer', 'C.peer')", {&c_peer_, &d_peer_}),
               "(1 of 3 sub-rules satisfied, 2 required): no unused signer satisfies 'A.peer', 'B.peer' (2 distinct");
}

TEST_F(SignaturePolicyTest, Nested) {
  constexpr std::string_view kEither = "OR(AND('A.peer', 'B.peer'), AND('C.peer', 'D.peer'))";
  EXPECT_TRUE(Evaluate(kEither, {&a_peer1_, &b_peer_}).ok());
  EXPECT_TRUE(Evaluate(kEither, {&d_peer_, &c_peer_}).ok());
  ExpectDenied(Evaluate(kEither, {&a_peer1_, &c_peer_}), "no unused signer satisfies 'B.peer', 'D.peer'");

  constexpr std::string_view kTwoOfThree = "OutOf(2, AND('A.peer', 'B.peer'), OR('C.peer', 'D.peer'), 'A.admin')";
  EXPECT_TRUE(Evaluate(kTwoOfThree, {&a_peer1_, &b_peer_, &d_peer_}).ok());
  EXPECT_TRUE(Evaluate(kTwoOfThree, {&a_admin_, &c_peer_}).ok());
  ExpectDenied(Evaluate(kTwoOfThree, {&c_peer_, &a_peer1_}),
               "(1 of 3 sub-rules satisfied, 2 required): no unused signer satisfies 'B.peer', 'A.admin'");
}

TEST_F(SignaturePolicyTest, OneSignerNeverCountsTwice) {
  constexpr std::string_view kTwoMembers = "AND('A.member', 'A.member')";
  ExpectDenied(Evaluate(kTwoMembers, {&a_peer1_}), "no unused signer satisfies 'A.member' (1 distinct");
  EXPECT_TRUE(Evaluate(kTwoMembers, {&a_peer1_, &a_peer2_}).ok());
  // The same signer passed twice: by pointer, as a second object with the same bytes, or as another
  // encoding of it (different serialized bytes, same signer key).
  const TestIdentity a_peer1_again("A", "peer1", {kPeer});
  const std::shared_ptr<const TestIdentity> a_peer1_reencoded = TestIdentity::AnotherEncoding(a_peer1_, "pem");
  ExpectDenied(Evaluate(kTwoMembers, {&a_peer1_, &a_peer1_}), "(1 distinct signer(s) given)");
  ExpectDenied(Evaluate(kTwoMembers, {&a_peer1_, &a_peer1_again}), "(1 distinct signer(s) given)");
  ExpectDenied(Evaluate(kTwoMembers, {&a_peer1_, a_peer1_reencoded.get()}), "(1 distinct signer(s) given)");
  ExpectDenied(Evaluate("OutOf(2, 'A.peer', 'A.peer')", {a_peer1_reencoded.get(), &a_peer1_}),
               "(1 distinct signer(s) given)");
  // One signer satisfying two different principals still counts once.
  ExpectDenied(Evaluate("AND('A.member', 'A.peer')", {&a_peer1_}), "no unused signer satisfies 'A.peer'");
}

// Beyond a handful of signers, duplicates are found by hashing instead of a linear scan; the rule is the same.
TEST_F(SignaturePolicyTest, LargeSignerSetCountsEachSignerOnce) {
  std::vector<std::shared_ptr<const TestIdentity>> encodings;
  Signers signers = {&a_peer1_};
  for (int i = 0; i < 9; ++i) {
    encodings.push_back(TestIdentity::AnotherEncoding(a_peer1_, absl::StrCat("encoding", i)));
    signers.push_back(encodings.back().get());
  }
  ExpectDenied(Evaluate("AND('A.member', 'A.member')", signers), "(1 distinct signer(s) given)");
  signers.push_back(&a_peer2_);
  EXPECT_TRUE(Evaluate("AND('A.member', 'A.member')", signers).ok());
}

// SignedBy takes the first unused signer that fits, without looking ahead (Fabric's cauthdsl). Here the
// admin is spent on 'A.member', and no admin is left, although the other order would have worked.
TEST_F(SignaturePolicyTest, GreedyAssignmentMatchesFabric) {
  ExpectDenied(Evaluate("AND('A.member', 'A.admin')", {&a_admin_, &a_peer1_}), "no unused signer satisfies 'A.admin'");
  EXPECT_TRUE(Evaluate("AND('A.member', 'A.admin')", {&a_peer1_, &a_admin_}).ok());
}

// Fabric evaluates every sub-rule of a gate and keeps the signers of each satisfied one, even after the gate
// already has enough: the OR below takes both A signers, leaving none for the last 'A.member'.
TEST_F(SignaturePolicyTest, SatisfiedGateKeepsConsumingSignersAsFabricDoes) {
  constexpr std::string_view kPolicy = "AND(OR('A.member', 'A.member'), 'A.member')";
  ExpectDenied(Evaluate(kPolicy, {&a_peer1_, &a_peer2_}), "no unused signer satisfies 'A.member'");
  EXPECT_TRUE(Evaluate(kPolicy, {&a_peer1_, &a_peer2_, &a_peer3_}).ok());
}

// A sub-rule that fails gives back the signers it had taken.
TEST_F(SignaturePolicyTest, FailedSubRuleReleasesItsSigners) {
  EXPECT_TRUE(Evaluate("OR(AND('A.member', 'B.member'), 'A.member')", {&a_peer1_}).ok());
  EXPECT_TRUE(Evaluate("AND(OR(AND('A.member', 'B.member'), 'C.member'), 'A.member')", {&a_peer1_, &c_peer_}).ok());
}

TEST_F(SignaturePolicyTest, ZeroThresholdIsAlwaysSatisfied) {
  EXPECT_TRUE(Evaluate("OutOf(0, 'A.peer')", {}).ok());
  const absl::StatusOr<std::unique_ptr<Policy>> empty_gate = NewSignaturePolicy(Envelope(NOutOf(0, {}), {}));
  ASSERT_TRUE(empty_gate.ok()) << empty_gate.status();
  EXPECT_TRUE((*empty_gate)->Evaluate({}).ok());
}

TEST_F(SignaturePolicyTest, NullSignersAreIgnored) {
  EXPECT_TRUE(Evaluate("'A.peer'", {nullptr, &a_peer1_, nullptr}).ok());
  ExpectDenied(Evaluate("'A.peer'", {nullptr}), "(0 distinct signer(s) given)");
}

TEST_F(SignaturePolicyTest, NoSigners) {
  ExpectDenied(Evaluate("AND('A.member', 'A.member')", {}),
               "no unused signer satisfies 'A.member' (0 distinct signer(s) given)");
}

TEST_F(SignaturePolicyTest, MissingPrincipalsAreCappedInMessage) {
  std::string text = "OR(";
  for (int i = 0; i < 10; ++i) absl::StrAppend(&text, i == 0 ? "" : ", ", "'M", i, ".peer'");
  text += ")";
  ExpectDenied(Evaluate(text, {&a_peer1_}), "'M6.peer', 'M7.peer' and 2 more (1 distinct");
}

TEST_F(SignaturePolicyTest, LongPolicyIsTruncatedInMessage) {
  std::string text = "OR(";
  for (int i = 0; i < 200; ++i) absl::StrAppend(&text, i == 0 ? "" : ", ", "'Hospital", i, "MSP.peer'");
  text += ")";
  const absl::Status status = Evaluate(text, {});
  ExpectDenied(status, "... not satisfied (0 of 200 sub-rules satisfied, 1 required)");
  EXPECT_LT(status.message().size(), 1000u);
}

// Fabric's MSP never lets an identity of one MSP satisfy another MSP's role, so those calls are skipped.
TEST_F(SignaturePolicyTest, IdentitiesOfOtherMspsAreNotAskedAboutRolePrincipals) {
  EXPECT_TRUE(Evaluate("'A.peer'", {&b_peer_, &c_peer_, &a_peer1_}).ok());
  EXPECT_EQ(b_peer_.satisfies_calls(), 0);
  EXPECT_EQ(c_peer_.satisfies_calls(), 0);
  EXPECT_EQ(a_peer1_.satisfies_calls(), 1);
}

TEST_F(SignaturePolicyTest, PrincipalTheMspRejectsIsNeverSatisfied) {
  const ::common::MSPPrincipal malformed = Principal(::common::MSPPrincipal::ROLE, "\xff");
  const ::common::MSPPrincipal a_peer = RolePrincipal("A", kPeer);

  const auto either = NewSignaturePolicy(Envelope(NOutOf(1, {SignedBy(0), SignedBy(1)}), {malformed, a_peer}));
  ASSERT_TRUE(either.ok()) << either.status();
  EXPECT_TRUE((*either)->Evaluate(Signers{&a_peer1_}).ok());
  EXPECT_EQ(a_peer1_.satisfies_calls(), 2);  // asked about the malformed principal too: the MSP decides

  const auto both = NewSignaturePolicy(Envelope(NOutOf(2, {SignedBy(0), SignedBy(1)}), {malformed, a_peer}));
  ASSERT_TRUE(both.ok()) << both.status();
  ExpectDenied((*both)->Evaluate(Signers{&a_peer1_}), "no unused signer satisfies [ROLE unparseable, 1 bytes] (");
}

// One compiled policy serves many transactions: nothing of one evaluation may leak into the next.
TEST_F(SignaturePolicyTest, EvaluationsAreIndependent) {
  const auto envelope = ParseSignaturePolicy("AND('A.member', OR('B.peer', 'C.peer'))");
  ASSERT_TRUE(envelope.ok()) << envelope.status();
  const auto policy = NewSignaturePolicy(*envelope);
  ASSERT_TRUE(policy.ok()) << policy.status();
  for (int round = 0; round < 3; ++round) {
    EXPECT_TRUE((*policy)->Evaluate(Signers{&a_peer1_, &b_peer_}).ok());
    EXPECT_EQ((*policy)->Evaluate(Signers{&a_peer1_}).code(), absl::StatusCode::kPermissionDenied);
    EXPECT_TRUE((*policy)->Evaluate(Signers{&c_peer_, &a_peer2_}).ok());
    EXPECT_EQ((*policy)->Evaluate(Signers{&b_peer_, &c_peer_}).code(), absl::StatusCode::kPermissionDenied);
  }
}

void ExpectInvalid(const ::common::SignaturePolicyEnvelope& envelope, std::string_view message_part) {
  const absl::Status status = NewSignaturePolicy(envelope).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr(message_part));
}

TEST(SignaturePolicyValidationTest, VersionAndRule) {
  ::common::SignaturePolicyEnvelope versioned = Envelope(SignedBy(0), {RolePrincipal("A", kPeer)});
  versioned.set_version(1);
  ExpectInvalid(versioned, "invalid signature policy: version is 1; only version 0 is understood");

  ::common::SignaturePolicyEnvelope no_rule;
  *no_rule.add_identities() = RolePrincipal("A", kPeer);
  ExpectInvalid(no_rule, "invalid signature policy: rule is missing");

  ExpectInvalid(Envelope(NOutOf(1, {SignedBy(0), ::common::SignaturePolicy()}), {RolePrincipal("A", kPeer)}),
                "invalid signature policy: rule.n_out_of.rules[1]: the rule has neither signed_by nor n_out_of");
}

TEST(SignaturePolicyValidationTest, SignedByIndexOutOfRange) {
  const std::vector<::common::MSPPrincipal> two = {RolePrincipal("A", kPeer), RolePrincipal("B", kPeer)};
  ExpectInvalid(Envelope(SignedBy(2), two), "rule: signed_by 2 is out of range; the envelope has 2 identities");
  ExpectInvalid(Envelope(NOutOf(1, {SignedBy(0), SignedBy(-1)}), two), "rule.n_out_of.rules[1]: signed_by -1");
  ExpectInvalid(Envelope(SignedBy(0), {}), "signed_by 0 is out of range; the envelope has 0 identities");
}

TEST(SignaturePolicyValidationTest, Threshold) {
  const std::vector<::common::MSPPrincipal> one = {RolePrincipal("A", kPeer)};
  ExpectInvalid(Envelope(NOutOf(-1, {SignedBy(0)}), one), "rule: n_out_of.n is -1; it must not be negative");
  ExpectInvalid(Envelope(NOutOf(1, {SignedBy(0), NOutOf(3, {SignedBy(0), SignedBy(0)})}), one),
                "rule.n_out_of.rules[1]: n_out_of.n is 3 but there are only 2 rules, so it could never be satisfied");
  ExpectInvalid(Envelope(NOutOf(1, {}), one), "n_out_of.n is 1 but there are only 0 rules");
  EXPECT_TRUE(NewSignaturePolicy(Envelope(NOutOf(2, {SignedBy(0), SignedBy(0)}), one)).ok());
}

::common::SignaturePolicy NestedGates(int depth) {
  ::common::SignaturePolicy rule = SignedBy(0);
  for (int i = 0; i < depth; ++i) rule = NOutOf(1, {rule});
  return rule;
}

TEST(SignaturePolicyValidationTest, DepthIsBounded) {
  const std::vector<::common::MSPPrincipal> one = {RolePrincipal("A", kPeer)};
  const auto deepest = NewSignaturePolicy(Envelope(NestedGates(kMaxSignaturePolicyDepth), one));
  ASSERT_TRUE(deepest.ok()) << deepest.status();
  const TestIdentity a_peer("A", "peer1", {kPeer});
  EXPECT_TRUE((*deepest)->Evaluate(Signers{&a_peer}).ok());
  EXPECT_EQ((*deepest)->Evaluate({}).code(), absl::StatusCode::kPermissionDenied);

  ExpectInvalid(Envelope(NestedGates(kMaxSignaturePolicyDepth + 1), one), "NOutOf gates are nested more than 32 deep");
  // Far deeper than any stack would survive if validation recursed before checking.
  ExpectInvalid(Envelope(NestedGates(90), one), "nested more than 32 deep");
}

TEST(SignaturePolicyValidationTest, RuleAndIdentityCountsAreBounded) {
  const std::vector<::common::MSPPrincipal> one = {RolePrincipal("A", kPeer)};
  std::vector<::common::SignaturePolicy> leaves(kMaxSignaturePolicyRules - 1, SignedBy(0));
  EXPECT_TRUE(NewSignaturePolicy(Envelope(NOutOf(1, leaves), one)).ok());
  leaves.push_back(SignedBy(0));
  ExpectInvalid(Envelope(NOutOf(1, leaves), one), "the envelope has more than 4096 rules");
  // Spread over nested gates rather than one wide gate.
  auto halves = [](int leaves_each) {
    const std::vector<::common::SignaturePolicy> leaves(leaves_each, SignedBy(0));
    return NOutOf(1, {NOutOf(1, leaves), NOutOf(1, leaves)});
  };
  EXPECT_TRUE(NewSignaturePolicy(Envelope(halves(2046), one)).ok());                    // 1 + 2 * (1 + 2046) = 4095
  ExpectInvalid(Envelope(halves(2047), one), "the envelope has more than 4096 rules");  // 4097

  std::vector<::common::MSPPrincipal> many(kMaxSignaturePolicyIdentities + 1, RolePrincipal("A", kPeer));
  ExpectInvalid(Envelope(SignedBy(0), many), "4097 identities; the limit is 4096");
  many.pop_back();
  EXPECT_TRUE(NewSignaturePolicy(Envelope(SignedBy(0), many)).ok());
}

}  // namespace
}  // namespace careledger::policies
