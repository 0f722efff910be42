#include "common/policies/policy_parser.h"

#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/encoding/hex.h"
#include "common/policies/signature_policy.h"
#include "common/policies/test_envelopes.h"
#include "common/policies/test_identities.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "msp/identities.pb.h"

namespace careledger::policies {
namespace {

using ::careledger::policies::testing::Envelope;
using ::careledger::policies::testing::NOutOf;
using ::careledger::policies::testing::Principal;
using ::careledger::policies::testing::RolePrincipal;
using ::careledger::policies::testing::SignedBy;
using ::testing::HasSubstr;

::common::MSPPrincipal Member(std::string_view msp) { return RolePrincipal(msp, ::common::MSPRole::MEMBER); }

std::string Parsed(std::string_view text) {
  absl::StatusOr<::common::SignaturePolicyEnvelope> envelope = ParseSignaturePolicy(text);
  EXPECT_TRUE(envelope.ok()) << text << ": " << envelope.status();
  return envelope.ok() ? envelope->SerializeAsString() : "";
}

// Parsing and serializing is compared as bytes throughout: byte identity with Fabric is the contract.
void ExpectParsesTo(std::string_view text, const ::common::SignaturePolicyEnvelope& expected) {
  EXPECT_EQ(HexEncode(Parsed(text)), HexEncode(expected.SerializeAsString())) << text;
}

// Derived by hand from the protobuf wire format (tag byte = field_number << 3 | wire_type):
//   SignaturePolicyEnvelope: version 0 is omitted (proto3 default).
//   12 0c               field 2 (rule), length-delimited, 12 bytes: SignaturePolicy
//     12 0a             field 2 (n_out_of), 10 bytes: NOutOf
//       08 02           field 1 (n) varint 2 -- AND of two
//       12 02 08 00     field 2 (rules): SignaturePolicy{signed_by = 0}; a oneof member is written even if 0
//       12 02 08 01     field 2 (rules): SignaturePolicy{signed_by = 1}
//   1a 0d               field 3 (identities), 13 bytes: MSPPrincipal; classification ROLE (0) is omitted
//     12 0b             field 2 (principal), 11 bytes: serialized MSPRole
//       0a 07 4f7267314d5350   field 1 (msp_identifier) "Org1MSP"
//       10 03                  field 2 (role) PEER = 3
//   1a 0d 12 0b 0a 07 4f7267324d5350 10 03   the same for "Org2MSP"
TEST(PolicyParserTest, KnownAnswerMatchesWireFormatByHand) {
  EXPECT_EQ(HexEncode(Parsed("AND('Org1MSP.peer', 'Org2MSP.peer')")),
            "120c120a08021202080012020801"
            "1a0d120b0a074f7267314d53501003"
            "1a0d120b0a074f7267324d53501003");
}

// The cases below are the expectations of Fabric's common/policydsl/policyparser_test.go.
TEST(PolicyParserTest, OutOfAndOrAsFabric) {
  ExpectParsesTo("OutOf(1, 'A.member', 'B.member')",
                 Envelope(NOutOf(1, {SignedBy(0), SignedBy(1)}), {Member("A"), Member("B")}));
  ExpectParsesTo("OutOf(2, 'A.member', 'B.member')",
                 Envelope(NOutOf(2, {SignedBy(0), SignedBy(1)}), {Member("A"), Member("B")}));
  ExpectParsesTo("AND('A.member', 'B.member')",
                 Envelope(NOutOf(2, {SignedBy(0), SignedBy(1)}), {Member("A"), Member("B")}));
  ExpectParsesTo("OR('A.member', 'B.member')",
                 Envelope(NOutOf(1, {SignedBy(0), SignedBy(1)}), {Member("A"), Member("B")}));
  ExpectParsesTo("OutOf(0, 'A.member', 'B.member')",
                 Envelope(NOutOf(0, {SignedBy(0), SignedBy(1)}), {Member("A"), Member("B")}));
}

// Fabric numbers a gate's own principals after those of its nested gates (TestComplex1 in Fabric).
TEST(PolicyParserTest, NestedGatePrincipalsAreNumberedFirstAsFabric) {
  ExpectParsesTo("OR('A.member', AND('B.member', 'C.member'))",
                 Envelope(NOutOf(1, {SignedBy(2), NOutOf(2, {SignedBy(0), SignedBy(1)})}),
                          {Member("B"), Member("C"), Member("A")}));
  ExpectParsesTo("OR(AND('A.member', 'B.member'), OR('C.admin', 'D.member'))",
                 Envelope(NOutOf(1, {NOutOf(2, {SignedBy(0), SignedBy(1)}), NOutOf(1, {SignedBy(2), SignedBy(3)})}),
                          {Member("A"), Member("B"), RolePrincipal("C", ::common::MSPRole::ADMIN), Member("D")}));
  ExpectParsesTo(
      "AND('A.member', OR('B.member', AND('C.member', 'D.member')), 'E.member')",
      Envelope(NOutOf(3, {SignedBy(3), NOutOf(1, {SignedBy(2), NOutOf(2, {SignedBy(0), SignedBy(1)})}), SignedBy(4)}),
               {Member("C"), Member("D"), Member("B"), Member("A"), Member("E")}));
}

TEST(PolicyParserTest, RolesAndMspIdCharacters) {
  ExpectParsesTo(
      "OR('A.peer', 'B.admin', 'C.orderer', 'D.client')",
      Envelope(NOutOf(1, {SignedBy(0), SignedBy(1), SignedBy(2), SignedBy(3)}),
               {RolePrincipal("A", ::common::MSPRole::PEER), RolePrincipal("B", ::common::MSPRole::ADMIN),
                RolePrincipal("C", ::common::MSPRole::ORDERER), RolePrincipal("D", ::common::MSPRole::CLIENT)}));
  ExpectParsesTo("OR('MSP.member', 'MSP.WITH.DOTS.member', 'MSP-WITH-DASHES.member')",
                 Envelope(NOutOf(1, {SignedBy(0), SignedBy(1), SignedBy(2)}),
                          {Member("MSP"), Member("MSP.WITH.DOTS"), Member("MSP-WITH-DASHES")}));
  // The split is at the last dot, so a role word may appear inside the MSP ID.
  ExpectParsesTo("OR('Org.peer.admin')",
                 Envelope(NOutOf(1, {SignedBy(0)}), {RolePrincipal("Org.peer", ::common::MSPRole::ADMIN)}));
}

TEST(PolicyParserTest, EqualPrincipalsAreNotMerged) {
  ExpectParsesTo("AND('A.member', 'A.member')",
                 Envelope(NOutOf(2, {SignedBy(0), SignedBy(1)}), {Member("A"), Member("A")}));
}

TEST(PolicyParserTest, SpellingsQuotesAndWhitespace) {
  const std::string expected = Parsed("AND('A.member', 'B.member')");
  for (const char* text : {"And('A.member','B.member')", "and('A.member', 'B.member')",
                           "AND(\"A.member\", \"B.member\")", " \t\nAND ( 'A.member' ,\r\n 'B.member' ) \n",
                           "OutOf(2, 'A.member', 'B.member')", "outof('2', 'A.member', 'B.member')",
                           "OUTOF(\"2\",'A.member','B.member')", "OutOf(02, 'A.member', 'B.member')"}) {
    EXPECT_EQ(HexEncode(Parsed(text)), HexEncode(expected)) << text;
  }
  const std::string expected_or = Parsed("OR('A.member', 'B.member')");
  for (const char* text : {"Or('A.member', 'B.member')", "or('A.member', 'B.member')"}) {
    EXPECT_EQ(HexEncode(Parsed(text)), HexEncode(expected_or)) << text;
  }
}

TEST(PolicyParserTest, BarePrincipalIsSignedByZero) {
  ExpectParsesTo("  'Hospital1MSP.peer' ",
                 Envelope(SignedBy(0), {RolePrincipal("Hospital1MSP", ::common::MSPRole::PEER)}));
}

struct ParseErrorCase {
  std::string text;
  std::string message_part;
  int column;  // 1-based
};

TEST(PolicyParserTest, ErrorsNameColumnAndExpectation) {
  const std::vector<ParseErrorCase> cases = {
      {"", "policy text is empty", 1},
      {" \t\n ", "policy text is empty", 1},
      {"AND('A.peer'", "missing ')' to close AND( opened at column 1: unbalanced parentheses", 13},
      {"OR(AND('A.peer', 'B.peer')", "missing ')' to close OR( opened at column 1", 27},
      {"AND('A.peer',", "missing ')' to close AND(", 14},
      {"AND('A.peer'))", "unexpected ')': unbalanced parentheses", 14},
      {"XOR('A.peer')", "unknown function 'XOR'; expected AND, OR or OutOf", 1},
      {"aNd('A.peer')", "unknown function 'aNd'", 1},
      {"OR('A.peer', Bmember)", "unknown function 'Bmember'", 14},
      {"AND('A.nurse')", "unknown role 'nurse' in principal 'A.nurse'; expected member, admin, client, peer or orderer",
       8},
      {"AND('A.Peer')", "unknown role 'Peer'", 8},
      {"AND('A.')", "unknown role ''", 8},
      {"AND('A B.peer')", "invalid character ' ' in MSP ID 'A B'", 7},
      {"AND('Org_1.peer')", "invalid character '_' in MSP ID", 9},
      {"AND('.peer')", "empty MSP ID in principal '.peer'", 5},
      {"AND('Apeer')", "principal 'Apeer' is not of the form 'MSPID.role'", 5},
      {"AND('A.peer)", "missing closing ' for the string that starts here", 5},
      {"AND(\"A.peer')", "missing closing \" for the string that starts here", 5},
      {"OutOf(x, 'A.peer')", "OutOf threshold 'x' is not an integer", 7},
      {"OutOf(1.5, 'A.peer')", "OutOf threshold '1.5' is not an integer", 7},
      {"OutOf('two', 'A.peer')", "OutOf threshold 'two' is not an integer", 8},
      {"OutOf('', 'A.peer')", "expected an integer threshold", 8},
      {"OutOf(+1, 'A.peer')", "is not an integer", 7},
      {"OutOf(-1, 'A.peer', 'B.peer')", "OutOf threshold -1 is negative", 7},
      {"OutOf('-1', 'A.peer')", "OutOf threshold -1 is negative", 8},
      {"OutOf(3, 'A.peer', 'B.peer')", "OutOf threshold 3 is larger than its 2 argument(s)", 7},
      {"OutOf(99999999999999999999, 'A.peer')", "is larger than its 1 argument(s)", 7},
      {"OutOf(1)", "OutOf needs at least one expression after its threshold", 8},
      {"OutOf()", "OutOf needs a threshold and at least one expression", 7},
      {"OutOf(1 'A.peer')", "expected ',' after OutOf's threshold", 9},
      {"AND()", "AND needs at least one argument", 5},
      {"or( )", "or needs at least one argument", 5},
      {"AND('A.peer',)", "unexpected ')'; expected a quoted principal", 14},
      {"AND(,'A.peer')", "unexpected ','", 5},
      {"AND('A.peer' 'B.peer')", "expected ',' or ')' in AND( opened at column 1", 14},
      {"AND 'A.peer'", "expected '(' after AND", 5},
      {"AND(1)", "unexpected number", 5},
      {"AND(@)", "unexpected '@'", 5},
      {"'A.peer' 'B.peer'", "after the policy", 10},
      {"AND('A.peer') x", "unexpected text 'x' after the policy", 15},
      {"1", "unexpected number", 1},
      {"A.peer", "unknown function 'A'", 1},
  };
  for (const ParseErrorCase& c : cases) {
    const absl::StatusOr<::common::SignaturePolicyEnvelope> envelope = ParseSignaturePolicy(c.text);
    ASSERT_FALSE(envelope.ok()) << c.text;
    EXPECT_EQ(envelope.status().code(), absl::StatusCode::kInvalidArgument) << c.text;
    EXPECT_THAT(std::string(envelope.status().message()), HasSubstr(c.message_part)) << c.text;
    EXPECT_THAT(std::string(envelope.status().message()), HasSubstr(absl::StrCat("at column ", c.column, ":")))
        << c.text;
  }
}

TEST(PolicyParserTest, TextLongerThanBoundIsRejected) {
  std::string text = "OR('A.peer')";
  text.append(kMaxPolicyTextBytes - text.size(), ' ');
  EXPECT_TRUE(ParseSignaturePolicy(text).ok());
  text.push_back(' ');
  const absl::Status status = ParseSignaturePolicy(text).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("policy text is 65537 bytes; the limit is 65536"));
}

std::string Nested(int depth) {
  std::string text;
  for (int i = 0; i < depth; ++i) text += "OR(";
  text += "'A.peer'";
  text.append(depth, ')');
  return text;
}

TEST(PolicyParserTest, NestingDeeperThanBoundIsRejected) {
  const absl::StatusOr<::common::SignaturePolicyEnvelope> deepest =
      ParseSignaturePolicy(Nested(kMaxSignaturePolicyDepth));
  ASSERT_TRUE(deepest.ok()) << deepest.status();
  EXPECT_TRUE(NewSignaturePolicy(*deepest).ok());

  const absl::Status status = ParseSignaturePolicy(Nested(kMaxSignaturePolicyDepth + 1)).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("at column 97: gates nested more than 32 deep"));
}

TEST(PolicyParserTest, RuleCountBeyondBoundIsRejected) {
  auto wide = [](int leaves) {
    std::string text = "OR(";
    for (int i = 0; i < leaves; ++i) absl::StrAppend(&text, i == 0 ? "" : ",", "'A.peer'");
    return text + ")";
  };
  // One gate plus its leaves.
  const absl::StatusOr<::common::SignaturePolicyEnvelope> widest =
      ParseSignaturePolicy(wide(kMaxSignaturePolicyRules - 1));
  ASSERT_TRUE(widest.ok()) << widest.status();
  EXPECT_TRUE(NewSignaturePolicy(*widest).ok());

  const absl::Status status = ParseSignaturePolicy(wide(kMaxSignaturePolicyRules)).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("more than 4096 rules"));
}

TEST(PolicyParserTest, FormatIsCanonical) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"and('A.member','B.member')", "AND('A.member', 'B.member')"},
      {"OutOf(2, 'A.member', 'B.member')", "AND('A.member', 'B.member')"},
      {"OutOf(1, 'A.member', 'B.member')", "OR('A.member', 'B.member')"},
      {"OutOf(2, 'A.member', 'B.member', 'C.peer')", "OutOf(2, 'A.member', 'B.member', 'C.peer')"},
      {"OutOf(0, 'A.member')", "OutOf(0, 'A.member')"},
      {"OR('A.member', AND('B.member', 'C.member'))", "OR('A.member', AND('B.member', 'C.member'))"},
      {"\"Org.peer.admin\"", "'Org.peer.admin'"},
  };
  for (const auto& [text, canonical] : cases) {
    const absl::StatusOr<::common::SignaturePolicyEnvelope> envelope = ParseSignaturePolicy(text);
    ASSERT_TRUE(envelope.ok()) << text << ": " << envelope.status();
    EXPECT_EQ(SignaturePolicyToString(*envelope), canonical) << text;
  }
}

TEST(PolicyParserTest, ParseFormatParseRoundTrips) {
  for (const std::string& text : std::vector<std::string>{
           "'A.peer'", "AND('A.member', 'A.member')", "OR('A.member', AND('B.member', 'C.member'))",
           "OutOf(2, AND('A.peer', 'B.peer'), OR('C.admin', 'D.client'), 'E.orderer', OutOf(0, 'F.peer'))",
           "AND('A.member', OR('B.member', AND('C.member', 'D.member')), 'E.member')", Nested(kMaxSignaturePolicyDepth),
           "OR(OR('A.member'))"}) {
    const absl::StatusOr<::common::SignaturePolicyEnvelope> first = ParseSignaturePolicy(text);
    ASSERT_TRUE(first.ok()) << text << ": " << first.status();
    const std::string formatted = SignaturePolicyToString(*first);
    const absl::StatusOr<::common::SignaturePolicyEnvelope> second = ParseSignaturePolicy(formatted);
    ASSERT_TRUE(second.ok()) << formatted << ": " << second.status();
    EXPECT_EQ(HexEncode(second->SerializeAsString()), HexEncode(first->SerializeAsString())) << text;
    EXPECT_EQ(SignaturePolicyToString(*second), formatted);
  }
}

TEST(PolicyParserTest, NonRolePrincipalsPrintBracketed) {
  ::common::OrganizationUnit ou;
  ou.set_msp_identifier("Hospital1MSP");
  ou.set_organizational_unit_identifier("cardiology");
  EXPECT_EQ(PrincipalToString(Principal(::common::MSPPrincipal::ORGANIZATION_UNIT, ou.SerializeAsString())),
            "[OU Hospital1MSP/cardiology]");

  ::msp::SerializedIdentity identity;
  identity.set_mspid("Hospital1MSP");
  identity.set_id_bytes(std::string(712, 'x'));
  EXPECT_EQ(PrincipalToString(Principal(::common::MSPPrincipal::IDENTITY, identity.SerializeAsString())),
            "[IDENTITY Hospital1MSP, 712-byte id]");

  ::common::MSPIdentityAnonymity anonymity;
  anonymity.set_anonymity_type(::common::MSPIdentityAnonymity::ANONYMOUS);
  EXPECT_EQ(PrincipalToString(Principal(::common::MSPPrincipal::ANONYMITY, anonymity.SerializeAsString())),
            "[ANONYMITY ANONYMOUS]");

  ::common::CombinedPrincipal combined;
  *combined.add_principals() = RolePrincipal("A", ::common::MSPRole::PEER);
  *combined.add_principals() = Principal(::common::MSPPrincipal::ORGANIZATION_UNIT, ou.SerializeAsString());
  EXPECT_EQ(PrincipalToString(Principal(::common::MSPPrincipal::COMBINED, combined.SerializeAsString())),
            "[COMBINED 'A.peer' + [OU Hospital1MSP/cardiology]]");

  EXPECT_EQ(PrincipalToString(Principal(static_cast<::common::MSPPrincipal::Classification>(9), "abcde")),
            "[classification 9, 5 bytes]");
}

TEST(PolicyParserTest, CombinedPrincipalNestingIsBounded) {
  ::common::MSPPrincipal principal = RolePrincipal("A", ::common::MSPRole::PEER);
  for (int i = 0; i < 50; ++i) {
    ::common::CombinedPrincipal combined;
    *combined.add_principals() = principal;
    principal = Principal(::common::MSPPrincipal::COMBINED, combined.SerializeAsString());
  }
  EXPECT_EQ(PrincipalToString(principal), "[COMBINED [COMBINED [COMBINED [COMBINED [COMBINED ...]]]]]");
}

TEST(PolicyParserTest, MalformedRolePrincipalsPrintBracketedAndDoNotParse) {
  ::common::MSPRole unknown_role;
  unknown_role.set_msp_identifier("A");
  unknown_role.set_role(static_cast<::common::MSPRole::MSPRoleType>(9));
  ::common::MSPRole bad_msp;
  bad_msp.set_msp_identifier("A B");
  bad_msp.set_role(::common::MSPRole::PEER);
  // A valid MSPRole followed by an unknown field 7 (varint 1): parseable, but not what the parser writes.
  const std::string non_canonical = RolePrincipal("A", ::common::MSPRole::PEER).principal() + "\x38\x01";

  const std::vector<std::pair<::common::MSPPrincipal, std::string>> cases = {
      {Principal(::common::MSPPrincipal::ROLE, unknown_role.SerializeAsString()), "[ROLE A role=9]"},
      {Principal(::common::MSPPrincipal::ROLE, bad_msp.SerializeAsString()), "[ROLE A B role=peer]"},
      {Principal(::common::MSPPrincipal::ROLE, non_canonical), "[ROLE 'A.peer' non-canonical encoding]"},
      {Principal(::common::MSPPrincipal::ROLE, "\xff\xff"), "[ROLE unparseable, 2 bytes]"},
  };
  for (const auto& [principal, text] : cases) {
    EXPECT_EQ(PrincipalToString(principal), text);
    const std::string policy = SignaturePolicyToString(Envelope(NOutOf(1, {SignedBy(0)}), {principal}));
    EXPECT_EQ(policy, absl::StrCat("AND(", text, ")"));
    EXPECT_EQ(ParseSignaturePolicy(policy).status().code(), absl::StatusCode::kInvalidArgument) << policy;
  }
}

TEST(PolicyParserTest, FormatNeverFailsOnBrokenEnvelopes) {
  ::common::SignaturePolicyEnvelope no_rule;
  EXPECT_EQ(SignaturePolicyToString(no_rule), "[missing rule]");

  ::common::SignaturePolicyEnvelope broken =
      Envelope(NOutOf(3, {SignedBy(0), SignedBy(7), ::common::SignaturePolicy()}), {Member("A")});
  broken.set_version(2);
  EXPECT_EQ(SignaturePolicyToString(broken),
            "[version 2] AND('A.member', [signed_by 7: no such identity], [empty rule])");

  ::common::SignaturePolicy deep = SignedBy(0);
  for (int i = 0; i < kMaxSignaturePolicyDepth + 3; ++i) deep = NOutOf(1, {deep});
  const std::string text = SignaturePolicyToString(Envelope(deep, {Member("A")}));
  EXPECT_THAT(text, HasSubstr("AND(...)"));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("A.member")));
}

// Edits valid policies at random (fixed seed, so the run is reproducible) and checks the parser's promises on
// whatever comes out: every rejection is an InvalidArgument naming a column, and every acceptance gives an
// envelope that NewSignaturePolicy accepts and that survives format -> parse unchanged.
TEST(PolicyParserTest, EditedPoliciesKeepTheParsersPromises) {
  const std::vector<std::string> seeds = {"OutOf(2, AND('A.peer', 'B.peer'), OR('C.admin', \"D.client\"), 'E.orderer')",
                                          "OR('A.member', AND('B.member', outof('1', 'C.member')))", "'Org1MSP.peer'"};
  constexpr std::string_view kAlphabet = "ANDORutOf()',\" .-0123456789ABmemberpeer";
  std::mt19937 random(20240601);
  int accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text = seeds[round % seeds.size()];
    const int edits = 1 + static_cast<int>(random() % 3);
    for (int e = 0; e < edits; ++e) {
      const size_t at = random() % (text.size() + 1);
      const char c = kAlphabet[random() % kAlphabet.size()];
      switch (random() % 3) {
        case 0:
          text.insert(at, 1, c);
          break;
        case 1:
          if (at < text.size()) text.erase(at, 1);
          break;
        default:
          if (at < text.size()) text[at] = c;
          break;
      }
    }
    const absl::StatusOr<::common::SignaturePolicyEnvelope> envelope = ParseSignaturePolicy(text);
    if (!envelope.ok()) {
      ASSERT_EQ(envelope.status().code(), absl::StatusCode::kInvalidArgument) << text;
      ASSERT_THAT(std::string(envelope.status().message()), ::testing::StartsWith("invalid policy at column ")) << text;
      continue;
    }
    ++accepted;
    ASSERT_TRUE(NewSignaturePolicy(*envelope).ok()) << text;
    const absl::StatusOr<::common::SignaturePolicyEnvelope> again =
        ParseSignaturePolicy(SignaturePolicyToString(*envelope));
    ASSERT_TRUE(again.ok()) << text;
    ASSERT_EQ(again->SerializeAsString(), envelope->SerializeAsString()) << text;
  }
  // Both outcomes must actually have been exercised.
  EXPECT_GT(accepted, 100);
  EXPECT_LT(accepted, 19000);
}

}  // namespace
}  // namespace careledger::policies
