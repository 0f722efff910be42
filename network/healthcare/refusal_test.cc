#include "network/healthcare/refusal.h"

#include "gtest/gtest.h"

namespace careledger::healthcare {
namespace {

constexpr char kNoConsent[] = "no consent: doctor D-2001 (Hospital2MSP) has no read consent from patient P-2001";

TEST(ChaincodeRefusalReasonTest, FindsTheReasonOfAnEvaluate) {
  const std::string message = std::string(
                                  "Evaluate at 127.0.0.1:7080: evaluate call to endorser returned error: "
                                  "chaincode response 500, ") +
                              kNoConsent;
  EXPECT_EQ(ChaincodeRefusalReason(message), kNoConsent);
}

TEST(ChaincodeRefusalReasonTest, StopsBeforeTheDetailsOfAnEvaluate) {
  const std::string message = std::string(
                                  "Evaluate at 127.0.0.1:7080: evaluate call to endorser returned error: "
                                  "chaincode response 500, ") +
                              kNoConsent + " [Hospital1MSP at 127.0.0.1:7080: chaincode response 500, " + kNoConsent +
                              "]";
  EXPECT_EQ(ChaincodeRefusalReason(message), kNoConsent);
}

TEST(ChaincodeRefusalReasonTest, TakesTheFirstDetailOfAnEndorse) {
  const std::string message =
      std::string(
          "Endorse at 127.0.0.1:7080: failed to collect enough transaction endorsements, see attached "
          "details [Hospital1MSP at peer0.hospital1.example.org:7080: chaincode response 500, ") +
      kNoConsent + "; Hospital2MSP at peer0.hospital2.example.org:7090: chaincode response 500, " + kNoConsent + "]";
  EXPECT_EQ(ChaincodeRefusalReason(message), kNoConsent);
}

TEST(ChaincodeRefusalReasonTest, KeepsAReasonThatQuotesSeparators) {
  const std::string reason = "invalid patient ID 'a; b]': expected 1 to 64 characters of A-Z a-z 0-9 . _ : -";
  EXPECT_EQ(
      ChaincodeRefusalReason("Endorse at p:1: failed [Hospital1MSP at p:1: chaincode response 500, " + reason + "]"),
      reason);
}

TEST(ChaincodeRefusalReasonTest, NothingWithoutAChaincodeResponse) {
  EXPECT_EQ(ChaincodeRefusalReason("Endorse at p:1: this peer is an audit peer: it does not endorse"), std::nullopt);
  EXPECT_EQ(ChaincodeRefusalReason("chaincode response without status"), std::nullopt);
  EXPECT_EQ(ChaincodeRefusalReason(""), std::nullopt);
}

TEST(RefusalCodeTest, ClassifiesTheChaincodesTexts) {
  EXPECT_EQ(RefusalCode("invalid expiry: 5 is not after the transaction time 6"), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RefusalCode("incorrect number of arguments: GetPatient takes 1 (patientId), got 2"),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RefusalCode("an emergency access needs a reason: the reason must not be empty"),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RefusalCode("regulators cannot write: RegisterPatient changes the ledger"),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(RefusalCode("wrong role: OpenEmergencyAccess requires role doctor, caller has nurse"),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(RefusalCode(kNoConsent), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(RefusalCode("consent expired: the read consent of patient P for doctor D (M) expired at T"),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(RefusalCode("not authorised: patient P-2 (M) is not patient P-1"), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(RefusalCode("unknown patient P-9"), absl::StatusCode::kNotFound);
  EXPECT_EQ(RefusalCode("no consent to revoke: patient P has granted nothing to hospital M"),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(RefusalCode("G (M) is not a guardian of patient P"), absl::StatusCode::kNotFound);
  EXPECT_EQ(RefusalCode("patient P-2001 is already registered"), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(RefusalCode("record R already exists"), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(RefusalCode("corrupt state: patient P"), absl::StatusCode::kInternal);
  EXPECT_EQ(RefusalCode("something new"), absl::StatusCode::kFailedPrecondition);
}

TEST(ExplainGatewayErrorTest, ReplacesARefusalByItsReason) {
  absl::Status explained = ExplainGatewayError(absl::AbortedError(
      std::string("Endorse at p:1: failed [Hospital2MSP at p:2: chaincode response 500, ") + kNoConsent + "]"));
  EXPECT_EQ(explained.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(explained.message(), std::string("refused by the healthcare chaincode: ") + kNoConsent);
}

TEST(ExplainGatewayErrorTest, KeepsOtherErrors) {
  const absl::Status audit =
      absl::PermissionDeniedError("Endorse at p:1: this peer is an audit peer: it does not endorse");
  EXPECT_EQ(ExplainGatewayError(audit), audit);
  EXPECT_TRUE(ExplainGatewayError(absl::OkStatus()).ok());
}

}  // namespace
}  // namespace careledger::healthcare
