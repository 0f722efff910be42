#include "network/healthcare/result_format.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::healthcare {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Results as the chaincode writes them (docs/healthcare-chaincode.md): keys sorted, no spaces.
constexpr char kBob[] =
    R"({"admin":false,"clientId":"x509::CN=pat.bob","msp":"Hospital1MSP","personId":"P-2001","role":"patient"})";
constexpr char kCarol[] =
    R"({"admin":false,"clientId":"x509::CN=dr.carol","msp":"Hospital2MSP","personId":"D-2001","role":"doctor"})";

std::string Consent(const std::string& grantee, const std::string& categories) {
  return R"({"categories":)" + categories + R"(,"expiresAt":"2026-12-31T00:00:00Z","expiresAtUnix":1798675200,)" +
         R"("grantedAt":"2026-11-25T04:00:00Z","grantedBy":)" + kBob + R"(,"grantee":)" + grantee +
         R"(,"patientId":"P-2001","read":true,"replacesTxId":null,"scope":"read","txId":"tx-grant","write":false})";
}
constexpr char kDoctorGrantee[] = R"({"kind":"doctor","msp":"Hospital2MSP","personId":"D-2001"})";
constexpr char kHospitalGrantee[] = R"({"kind":"hospital","msp":"Hospital2MSP","personId":null})";

TEST(ParseOutputFormatTest, TableOrJson) {
  EXPECT_EQ(*ParseOutputFormat("table"), OutputFormat::kTable);
  EXPECT_EQ(*ParseOutputFormat("json"), OutputFormat::kJson);
  EXPECT_EQ(ParseOutputFormat("yaml").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(FormatTableTest, AlignsColumnsWithoutTrailingSpaces) {
  EXPECT_EQ(FormatTable({"A", "BB", "C"}, {{"xxx", "y", ""}, {"z"}}),
            "A    BB  C\n"
            "xxx  y\n"
            "z\n");
}

TEST(DescribeCommitTest, NamesTransactionAndBlock) {
  EXPECT_EQ(DescribeCommit("abc", 7), "transaction abc committed in block 7");
}

TEST(FormatPatientTest, LabelsEachFieldAndListsGuardians) {
  const std::string patient =
      std::string(R"({"guardians":[{"msp":"Hospital1MSP","personId":"G-1"}],"hospital":"Hospital1MSP",)") +
      R"("patientId":"P-2001","profileRef":"ref-1","registeredAt":"2026-11-25T04:00:00Z","registeredBy":)" + kBob +
      R"(,"txId":"tx-reg"})";
  absl::StatusOr<std::string> text = FormatPatient(patient);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_THAT(*text, HasSubstr("patient:       P-2001\n"));
  EXPECT_THAT(*text, HasSubstr("hospital:      Hospital1MSP\n"));
  EXPECT_THAT(*text, HasSubstr("registered by: patient P-2001 (Hospital1MSP)\n"));
  EXPECT_THAT(*text, HasSubstr("guardians:     G-1 (Hospital1MSP)\n"));
}

TEST(FormatPatientTest, ARegisteredPatientWithoutGuardianListHasNoGuardianLine) {
  absl::StatusOr<std::string> text = FormatPatient(R"({"patientId":"P-1","registeredBy":{"admin":true,"msp":"H1"}})");
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_THAT(*text, HasSubstr("registered by: admin of H1\n"));
  EXPECT_THAT(*text, HasSubstr("profile:       -\n"));
  EXPECT_THAT(*text, Not(HasSubstr("guardians")));
}

TEST(FormatConsentTest, NamesGranteeScopeCategoriesAndExpiry) {
  absl::StatusOr<std::string> text = FormatConsent(Consent(kDoctorGrantee, R"(["imaging","lab"])"));
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_THAT(*text, HasSubstr("grantee:    doctor D-2001 (Hospital2MSP)\n"));
  EXPECT_THAT(*text, HasSubstr("categories: imaging,lab\n"));
  EXPECT_THAT(*text, HasSubstr("expires at: 2026-12-31T00:00:00Z (unix 1798675200)\n"));
  EXPECT_THAT(*text, Not(HasSubstr("replaces")));
}

TEST(FormatConsentsTest, OneRowPerConsent) {
  const std::string list = "[" + Consent(kDoctorGrantee, "[]") + "," + Consent(kHospitalGrantee, R"(["lab"])") + "]";
  absl::StatusOr<std::string> text = FormatConsents(list);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_THAT(*text, HasSubstr("GRANTEE"));
  EXPECT_THAT(*text, HasSubstr("doctor D-2001 (Hospital2MSP)  read   all         2026-12-31T00:00:00Z"));
  EXPECT_THAT(*text, HasSubstr("every doctor of Hospital2MSP  read   lab"));
  EXPECT_EQ(std::count(text->begin(), text->end(), '\n'), 3);
  EXPECT_EQ(*FormatConsents("[]"), "GRANTEE  SCOPE  CATEGORIES  EXPIRES AT  GRANTED BY  TX ID\n");
}

TEST(FormatRevocationTest, NamesTheRevokedConsent) {
  const std::string revocation = R"({"consent":)" + Consent(kDoctorGrantee, "[]") + R"(,"grantee":)" + kDoctorGrantee +
                                 R"(,"patientId":"P-2001","revokedAt":"T","revokedBy":)" + kBob +
                                 R"(,"txId":"tx-rev"})";
  absl::StatusOr<std::string> text = FormatRevocation(revocation);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_THAT(*text, HasSubstr("consent revoked: tx-grant\n"));
  EXPECT_THAT(*text, HasSubstr("grantee:         doctor D-2001 (Hospital2MSP)\n"));
}

TEST(FormatGuardianEntryTest, AddedOrRemoved) {
  const std::string added = std::string(R"({"addedAt":"T1","addedBy":)") + kBob +
                            R"(,"guardian":{"msp":"Hospital1MSP","personId":"G-1"},"patientId":"P-2001","txId":"x"})";
  EXPECT_THAT(*FormatGuardianEntry(added), HasSubstr("added at: T1\n"));
  const std::string removed = std::string(R"({"guardian":{"msp":"Hospital1MSP","personId":"G-1"},"patientId":"P",)") +
                              R"("removedAt":"T2","removedBy":)" + kBob + "}";
  EXPECT_THAT(*FormatGuardianEntry(removed), HasSubstr("removed by: patient P-2001 (Hospital1MSP)\n"));
}

std::string Version(int version) {
  return std::string(R"({"author":)") + kCarol +
         R"(,"authorisedBy":{"emergencyTxId":"tx-em","expiresAt":"T9","reason":"unconscious","type":"emergency"},)" +
         R"("category":"lab","location":"vault://r1/)" + std::to_string(version) +
         R"(","mediaType":"application/pdf","patientId":"P-2001","previousSha256":)" +
         (version == 1 ? "null" : R"("aa")") + R"(,"previousVersion":)" +
         (version == 1 ? "null" : std::to_string(version - 1)) +
         R"(,"recordId":"R-1","recordedAt":"T","sha256":"0123456789abcdef0123","size":42,"txId":"tx-v)" +
         std::to_string(version) + R"(","version":)" + std::to_string(version) + "}";
}

TEST(FormatRecordVersionTest, ShowsTheWholeHashAndWhyTheAuthorMayWrite) {
  absl::StatusOr<std::string> text = FormatRecordVersion(Version(2));
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_THAT(*text, HasSubstr("sha256:        0123456789abcdef0123\n"));
  EXPECT_THAT(*text, HasSubstr("size:          42 bytes\n"));
  EXPECT_THAT(*text, HasSubstr("authorised by: emergency access tx-em until T9\n"));
  EXPECT_THAT(*text, HasSubstr("previous:      version 1, sha256 aa\n"));
  EXPECT_THAT(*FormatRecordVersion(Version(1)), Not(HasSubstr("previous")));
}

TEST(FormatRecordHistoryTest, OneRowPerVersion) {
  const std::string history = R"([{"isDelete":false,"record":)" + Version(2) +
                              R"(,"timestamp":"T","txId":"tx-v2"},{"isDelete":false,"record":)" + Version(1) +
                              R"(,"timestamp":"T","txId":"tx-v1"}])";
  absl::StatusOr<std::string> text = FormatRecordHistory(history);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_THAT(*text, HasSubstr("0123456789ab..."));
  EXPECT_THAT(*text, HasSubstr("tx-v2\n"));
  EXPECT_EQ(std::count(text->begin(), text->end(), '\n'), 3);
}

TEST(FormatRecordListTest, OneRowPerRecord) {
  absl::StatusOr<std::string> text = FormatRecordList("[" + Version(1) + "]");
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_THAT(*text, HasSubstr("R-1     1        lab       application/pdf  42"));
}

constexpr char kEmergency[] =
    R"({"doctor":{"admin":false,"msp":"Hospital2MSP","personId":"D-2001","role":"doctor"},"durationSeconds":7200,)"
    R"("expiresAt":"T2","expiresAtUnix":2,"flaggedForReview":true,"openedAt":"T1","patientId":"P-2001",)"
    R"("reason":"unconscious in A&E","txId":"tx-em"})";

TEST(FormatEmergencyTest, OneAccessAndAList) {
  absl::StatusOr<std::string> one = FormatEmergencyAccess(kEmergency);
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_THAT(*one, HasSubstr("reason:             unconscious in A&E\n"));
  EXPECT_THAT(*one, HasSubstr("expires at:         T2 (7200 s)\n"));
  EXPECT_THAT(*one, HasSubstr("flagged for review: true\n"));
  absl::StatusOr<std::string> list = FormatEmergencyAccesses(std::string("[") + kEmergency + "]");
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_THAT(*list,
              HasSubstr("P-2001   doctor D-2001 (Hospital2MSP)  T1         T2          unconscious in A&E  tx-em"));
}

TEST(FormatAccessLogTest, AccessesAndEmergenciesOfAPatientOrADoctor) {
  const std::string access =
      std::string(R"({"accessedAt":"T3","accessor":)") + kCarol +
      R"(,"basis":{"expiresAt":"T9","grantTxId":"tx-grant","grantee":{},"type":"consent"},"category":"lab",)" +
      R"("patientId":"P-2001","recordId":"R-1","sha256":"00","txId":"tx-acc","version":1})";
  absl::StatusOr<std::string> text =
      FormatAccessLog(R"({"accesses":[)" + access + R"(],"emergencies":[)" + kEmergency + R"(],"patientId":"P-2001"})");
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_THAT(*text, HasSubstr("access log of patient P-2001\n"));
  EXPECT_THAT(*text, HasSubstr("accesses: 1\n"));
  EXPECT_THAT(*text, HasSubstr("consent tx-grant until T9"));
  EXPECT_THAT(*text, HasSubstr("emergency accesses: 1\n"));
  absl::StatusOr<std::string> doctor =
      FormatAccessLog(R"({"accesses":[],"doctor":{"msp":"Hospital2MSP","personId":"D-2001"},"emergencies":[]})");
  ASSERT_TRUE(doctor.ok()) << doctor.status();
  EXPECT_EQ(*doctor, "access log of doctor D-2001 (Hospital2MSP)\n\naccesses: 0\n\nemergency accesses: 0\n");
}

TEST(FormatTest, RefusesPayloadsOfAnotherShape) {
  EXPECT_EQ(FormatPatient("not json").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FormatPatient("[]").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FormatConsents("{}").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FormatConsents("[1,2]").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FormatAccessLog(R"({"accesses":[]})").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FormatAccessLog(R"({"accesses":[3],"emergencies":[]})").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(FormatRecordVersion("").status().message()), HasSubstr("record version is not JSON"));
}

TEST(FormatTest, FieldsOfUnexpectedTypesAreShownNotTrusted) {
  absl::StatusOr<std::string> text = FormatPatient(R"({"patientId":7,"registeredBy":"someone","guardians":[1]})");
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_THAT(*text, HasSubstr("patient:       7\n"));
  EXPECT_THAT(*text, HasSubstr("registered by: -\n"));
  EXPECT_THAT(*text, HasSubstr("guardians:     -\n"));
}

}  // namespace
}  // namespace careledger::healthcare
