#include "chaincode/builtin/healthcare/healthcare_chaincode.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "chaincode/runtime/registry.h"
#include "chaincode/runtime/testing/chaincode_harness.h"
#include "gtest/gtest.h"
#include "msp/testing/test_org.h"
#include "nlohmann/json.hpp"

namespace careledger::chaincode::builtin {
namespace {

using Json = nlohmann::json;
using msp::testing::TestOrg;
using testing::ChaincodeHarness;

constexpr int64_t kEpoch = 1700000000;  // the harness's call N runs at kEpoch + N
const std::string kSha1(64, 'a');
const std::string kSha2(64, 'b');
const std::string kSha3(64, 'c');

// A real certificate from a test PKI, reduced to what the endorser hands the chaincode.
CreatorInfo Issue(const TestOrg& org, const std::string& name, const std::string& ou, msp::Attributes attributes) {
  const msp::SigningIdentity identity = org.Issue(name, std::vector<std::string>{ou}, attributes);
  CreatorInfo creator;
  creator.msp_id = org.msp_id();
  creator.serialized_identity = identity.SerializedIdentity();
  creator.id = "x509::" + identity.certificate().subject().one_line + "::" + identity.certificate().issuer().one_line;
  creator.certificate_pem = identity.certificate().ToPem();
  creator.attributes.insert(attributes.begin(), attributes.end());
  return creator;
}

CreatorInfo Person(const TestOrg& org, const std::string& role, const std::string& person_id) {
  return Issue(org, person_id + "@" + org.msp_id(), "client", {{"role", role}, {"person_id", person_id}});
}

class HealthcareChaincodeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hospital1_ = new TestOrg("Hospital1MSP");
    hospital2_ = new TestOrg("Hospital2MSP");
    regulator_org_ = new TestOrg("RegulatorMSP");
  }
  static void TearDownTestSuite() {
    delete hospital1_;
    delete hospital2_;
    delete regulator_org_;
  }

  HealthcareChaincodeTest()
      : harness_(registry_.AddBuiltin(kHealthcareChaincodeName, HealthcareChaincodeDescriptor()).value(), "healthcare"),
        patient_(Person(*hospital1_, "patient", "P-1001")),
        other_patient_(Person(*hospital1_, "patient", "P-1002")),
        guardian_(Person(*hospital1_, "guardian", "G-1001")),
        doctor1_(Person(*hospital1_, "doctor", "D-1001")),
        doctor1b_(Person(*hospital1_, "doctor", "D-1002")),
        doctor2_(Person(*hospital2_, "doctor", "D-2001")),
        nurse_(Person(*hospital1_, "nurse", "N-1001")),
        regulator_(Person(*regulator_org_, "regulator", "R-1")),
        admin1_(Issue(*hospital1_, "Admin@Hospital1MSP", "admin", {})),
        admin2_(Issue(*hospital2_, "Admin@Hospital2MSP", "admin", {})) {}

  // The timestamp (seconds) of the next call.
  int64_t NextTime() const { return kEpoch + calls_ + 1; }

  InvocationResult Submit(const CreatorInfo& who, std::vector<std::string> args) {
    harness_.context().creator = who;
    ++calls_;
    absl::StatusOr<InvocationResult> result = harness_.Submit(std::move(args));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : InvocationResult();
  }

  // Submits and expects success; returns the payload as JSON.
  Json Ok(const CreatorInfo& who, std::vector<std::string> args) {
    const std::string function = args.empty() ? "" : args[0];
    const InvocationResult result = Submit(who, std::move(args));
    EXPECT_EQ(result.response.status(), 200) << function << ": " << result.response.message();
    last_event_ = result.event;
    return Json::parse(result.response.payload(), nullptr, /*allow_exceptions=*/false);
  }

  // Submits and expects a refusal (500, nothing written, no event); returns its reason.
  std::string Fails(const CreatorInfo& who, std::vector<std::string> args) {
    const std::string function = args.empty() ? "" : args[0];
    const size_t before = harness_.ledger().size();
    const InvocationResult result = Submit(who, std::move(args));
    EXPECT_EQ(result.response.status(), 500) << function;
    EXPECT_FALSE(result.event.has_value()) << function;
    EXPECT_EQ(harness_.ledger().size(), before) << function;
    return result.response.message();
  }

  std::string Expiry(int64_t seconds_from_next_call) { return std::to_string(NextTime() + seconds_from_next_call); }

  void RegisterPatient() { Ok(patient_, {"RegisterPatient", "P-1001", "vault://hospital1/profiles/P-1001"}); }
  void Grant(const CreatorInfo& who, const std::string& msp, const std::string& person, const std::string& scope,
             const std::string& categories = "", int64_t lifetime = 100000) {
    Ok(who, {"GrantConsent", "P-1001", msp, person, scope, categories, Expiry(lifetime)});
  }
  Json AddRecord(const CreatorInfo& doctor, const std::string& record_id, const std::string& category = "lab",
                 const std::string& sha = kSha1) {
    return Ok(doctor, {"AddRecord", "P-1001", record_id, category, sha, "1234", "application/pdf",
                       "vault://hospital1/" + record_id});
  }

  static TestOrg* hospital1_;
  static TestOrg* hospital2_;
  static TestOrg* regulator_org_;

  ChaincodeRegistry registry_;
  ChaincodeHarness harness_;
  int64_t calls_ = 0;
  std::optional<::protos::ChaincodeEvent> last_event_;
  CreatorInfo patient_, other_patient_, guardian_, doctor1_, doctor1b_, doctor2_, nurse_, regulator_, admin1_, admin2_;
};

TestOrg* HealthcareChaincodeTest::hospital1_ = nullptr;
TestOrg* HealthcareChaincodeTest::hospital2_ = nullptr;
TestOrg* HealthcareChaincodeTest::regulator_org_ = nullptr;

// ----- Patients -----

TEST_F(HealthcareChaincodeTest, APatientRegistersThemself) {
  const Json patient = Ok(patient_, {"RegisterPatient", "P-1001", "vault://hospital1/profiles/P-1001"});
  EXPECT_EQ(patient["patientId"], "P-1001");
  EXPECT_EQ(patient["hospital"], "Hospital1MSP");
  EXPECT_EQ(patient["profileRef"], "vault://hospital1/profiles/P-1001");
  EXPECT_EQ(patient["registeredBy"]["role"], "patient");
  EXPECT_EQ(patient["registeredAt"], "2023-11-14T22:13:21Z");
  EXPECT_EQ(patient["txId"], "tx1");
  ASSERT_TRUE(last_event_.has_value());
  EXPECT_EQ(last_event_->event_name(), "PatientRegistered");
  EXPECT_EQ(Json::parse(last_event_->payload()), patient);
  // Stored under the composite key ("patient", [P-1001]) as canonical JSON (sorted keys, no spaces).
  const std::optional<std::string> stored = harness_.ledger().Get(std::string("\x00patient\x00P-1001\x00", 16));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(*stored, patient.dump());
  EXPECT_EQ(stored->substr(0, 25), R"({"hospital":"Hospital1MSP)");

  Json read = Ok(patient_, {"GetPatient", "P-1001"});
  EXPECT_EQ(read["guardians"], Json::array());
  read.erase("guardians");
  EXPECT_EQ(read, patient);
}

TEST_F(HealthcareChaincodeTest, AHospitalAdminRegistersAPatientOfTheirHospital) {
  const Json patient = Ok(admin2_, {"RegisterPatient", "P-2001", "ref"});
  EXPECT_EQ(patient["hospital"], "Hospital2MSP");
  EXPECT_EQ(patient["registeredBy"]["admin"], true);
  EXPECT_EQ(Ok(admin2_, {"GetPatient", "P-2001"})["patientId"], "P-2001");
  EXPECT_EQ(Fails(admin1_, {"GetPatient", "P-2001"}),
            "not authorised: admin of Hospital1MSP is not an admin of patient P-2001's hospital");
  EXPECT_EQ(Fails(Person(*hospital2_, "nurse", "N-2001"), {"GetPatient", "P-2001"}),
            "wrong role: GetPatient requires role doctor, patient, guardian or regulator, or an admin of the "
            "patient's hospital, caller has nurse");
}

TEST_F(HealthcareChaincodeTest, RegistrationRefusals) {
  RegisterPatient();
  EXPECT_EQ(Fails(patient_, {"RegisterPatient", "P-1001", "ref"}), "patient P-1001 is already registered");
  EXPECT_EQ(Fails(patient_, {"RegisterPatient", "P-1009", "ref"}),
            "not authorised: a patient can only register themself, and the caller is patient P-1001 (Hospital1MSP), "
            "not P-1009");
  EXPECT_EQ(Fails(doctor1_, {"RegisterPatient", "P-1009", "ref"}),
            "wrong role: RegisterPatient requires role patient or a hospital admin, caller has doctor");
  EXPECT_EQ(Fails(nurse_, {"RegisterPatient", "P-1009", "ref"}),
            "wrong role: RegisterPatient requires role patient or a hospital admin, caller has nurse");
  EXPECT_EQ(Fails(regulator_, {"RegisterPatient", "P-1009", "ref"}),
            "regulators cannot write: RegisterPatient changes the ledger");
  EXPECT_EQ(Fails(admin1_, {"RegisterPatient", "bad id", "ref"}),
            "invalid patient ID 'bad id': expected 1 to 64 characters of A-Z a-z 0-9 . _ : -");
  EXPECT_EQ(Fails(admin1_, {"RegisterPatient", "P-1009", ""}), "invalid profile reference: must not be empty");
  EXPECT_EQ(Fails(admin1_, {"RegisterPatient", "P-1009"}),
            "incorrect number of arguments: RegisterPatient takes 2 (patientId, profileRef), got 1");
  const CreatorInfo no_person = Issue(*hospital1_, "x@Hospital1MSP", "client", {{"role", "patient"}});
  EXPECT_EQ(Fails(no_person, {"RegisterPatient", "P-1009", "ref"}),
            "caller has no person_id attribute: RegisterPatient needs the caller's person ID");
  EXPECT_EQ(Fails(patient_, {"GetPatient", "P-9"}), "unknown patient P-9");
  EXPECT_EQ(Fails(patient_, {"Prescribe", "P-1001"}), "unknown function: Prescribe");
}

TEST_F(HealthcareChaincodeTest, WhoMayReadAPatientProfile) {
  RegisterPatient();
  EXPECT_EQ(Ok(regulator_, {"GetPatient", "P-1001"})["patientId"], "P-1001");
  EXPECT_EQ(Ok(admin1_, {"GetPatient", "P-1001"})["patientId"], "P-1001");
  EXPECT_EQ(Fails(other_patient_, {"GetPatient", "P-1001"}),
            "not authorised: patient P-1002 (Hospital1MSP) is neither patient P-1001 nor one of their guardians");
  EXPECT_EQ(Fails(doctor2_, {"GetPatient", "P-1001"}),
            "no consent: doctor D-2001 (Hospital2MSP) has no consent from patient P-1001");
  EXPECT_EQ(Fails(nurse_, {"GetPatient", "P-1001"}),
            "wrong role: GetPatient requires role doctor, patient, guardian or regulator, or an admin of the "
            "patient's hospital, caller has nurse");
  Grant(patient_, "Hospital2MSP", "D-2001", "write");
  EXPECT_EQ(Ok(doctor2_, {"GetPatient", "P-1001"})["patientId"], "P-1001");
}

// ----- Guardians -----

TEST_F(HealthcareChaincodeTest, AGuardianActsForThePatientOnlyWhileDelegated) {
  RegisterPatient();
  EXPECT_EQ(Fails(guardian_, {"GrantConsent", "P-1001", "Hospital2MSP", "D-2001", "read", "", Expiry(100)}),
            "not authorised: guardian G-1001 (Hospital1MSP) is neither patient P-1001 nor one of their guardians");
  const Json added = Ok(patient_, {"AddGuardian", "P-1001", "Hospital1MSP", "G-1001"});
  EXPECT_EQ(added["guardian"], Json({{"msp", "Hospital1MSP"}, {"personId", "G-1001"}}));
  EXPECT_EQ(last_event_->event_name(), "GuardianAdded");
  EXPECT_EQ(Ok(guardian_, {"GetPatient", "P-1001"})["guardians"],
            Json::array({Json({{"msp", "Hospital1MSP"}, {"personId", "G-1001"}})}));

  const Json consent = Ok(guardian_, {"GrantConsent", "P-1001", "Hospital2MSP", "D-2001", "read", "", Expiry(100)});
  EXPECT_EQ(consent["grantedBy"]["role"], "guardian");
  EXPECT_EQ(Ok(guardian_, {"ListConsents", "P-1001"}).size(), 1u);

  EXPECT_EQ(Fails(guardian_, {"AddGuardian", "P-1001", "Hospital1MSP", "G-1002"}),
            "wrong role: AddGuardian requires role patient, caller has guardian");
  EXPECT_EQ(Fails(other_patient_, {"AddGuardian", "P-1001", "Hospital1MSP", "G-1002"}),
            "not authorised: patient P-1002 (Hospital1MSP) is not patient P-1001");
  EXPECT_EQ(Fails(patient_, {"AddGuardian", "P-1001", "Hospital1MSP", "G-1001"}),
            "G-1001 (Hospital1MSP) is already a guardian of patient P-1001");
  EXPECT_EQ(Fails(regulator_, {"AddGuardian", "P-1001", "Hospital1MSP", "G-1002"}),
            "regulators cannot write: AddGuardian changes the ledger");

  Ok(patient_, {"RemoveGuardian", "P-1001", "Hospital1MSP", "G-1001"});
  EXPECT_EQ(last_event_->event_name(), "GuardianRemoved");
  EXPECT_EQ(Fails(guardian_, {"RevokeConsent", "P-1001", "Hospital2MSP", "D-2001"}),
            "not authorised: guardian G-1001 (Hospital1MSP) is neither patient P-1001 nor one of their guardians");
  EXPECT_EQ(Fails(patient_, {"RemoveGuardian", "P-1001", "Hospital1MSP", "G-1001"}),
            "G-1001 (Hospital1MSP) is not a guardian of patient P-1001");
}

TEST_F(HealthcareChaincodeTest, AGuardianInTheWrongOrganisationIsNotTheDelegate) {
  RegisterPatient();
  Ok(patient_, {"AddGuardian", "P-1001", "Hospital2MSP", "G-1001"});
  // Same person ID, but issued by Hospital1MSP rather than the delegated Hospital2MSP.
  EXPECT_EQ(Fails(guardian_, {"ListConsents", "P-1001"}),
            "not authorised: guardian G-1001 (Hospital1MSP) is neither patient P-1001 nor one of their guardians");
}

// ----- Consent -----

TEST_F(HealthcareChaincodeTest, GrantListAndRevokeConsent) {
  RegisterPatient();
  const std::string expiry = Expiry(3600);
  const Json consent =
      Ok(patient_, {"GrantConsent", "P-1001", "Hospital2MSP", "D-2001", "readwrite", "lab,imaging,lab", expiry});
  EXPECT_EQ(consent["grantee"], Json({{"kind", "doctor"}, {"msp", "Hospital2MSP"}, {"personId", "D-2001"}}));
  EXPECT_EQ(consent["scope"], "readwrite");
  EXPECT_EQ(consent["read"], true);
  EXPECT_EQ(consent["write"], true);
  EXPECT_EQ(consent["categories"], Json::array({"imaging", "lab"}));
  EXPECT_EQ(consent["expiresAtUnix"], std::stoll(expiry));
  EXPECT_EQ(consent["expiresAt"], "2023-11-14T23:13:22Z");
  EXPECT_EQ(consent["replacesTxId"], nullptr);
  EXPECT_EQ(last_event_->event_name(), "ConsentGranted");
  EXPECT_EQ(Json::parse(last_event_->payload()), consent);

  Grant(patient_, "Hospital1MSP", "*", "read");
  const Json list = Ok(patient_, {"ListConsents", "P-1001"});
  ASSERT_EQ(list.size(), 2u);  // key order: Hospital1MSP before Hospital2MSP
  EXPECT_EQ(list[0]["grantee"], Json({{"kind", "hospital"}, {"msp", "Hospital1MSP"}, {"personId", nullptr}}));
  EXPECT_EQ(list[1], consent);
  EXPECT_EQ(Ok(regulator_, {"ListConsents", "P-1001"}), list);
  EXPECT_EQ(Fails(doctor2_, {"ListConsents", "P-1001"}),
            "wrong role: ListConsents requires role patient, guardian or regulator, caller has doctor");

  // Granting again replaces the grant.
  const Json replaced = Ok(patient_, {"GrantConsent", "P-1001", "Hospital2MSP", "D-2001", "read", "*", Expiry(10)});
  EXPECT_EQ(replaced["replacesTxId"], consent["txId"]);
  EXPECT_EQ(replaced["categories"], Json::array());

  const Json revoked = Ok(patient_, {"RevokeConsent", "P-1001", "Hospital2MSP", "D-2001"});
  EXPECT_EQ(revoked["consent"], replaced);
  EXPECT_EQ(revoked["revokedBy"]["personId"], "P-1001");
  EXPECT_EQ(last_event_->event_name(), "ConsentRevoked");
  EXPECT_EQ(Ok(patient_, {"ListConsents", "P-1001"}).size(), 1u);
  EXPECT_EQ(Fails(patient_, {"RevokeConsent", "P-1001", "Hospital2MSP", "D-2001"}),
            "no consent to revoke: patient P-1001 has granted nothing to doctor D-2001 (Hospital2MSP)");
  EXPECT_EQ(Fails(patient_, {"RevokeConsent", "P-1001", "Hospital2MSP", "*"}),
            "no consent to revoke: patient P-1001 has granted nothing to hospital Hospital2MSP");
}

TEST_F(HealthcareChaincodeTest, ConsentRefusals) {
  RegisterPatient();
  EXPECT_EQ(Fails(patient_, {"GrantConsent", "P-1001", "Hospital2MSP", "D-2001", "all", "", Expiry(10)}),
            "invalid scope 'all': expected read, write or readwrite");
  EXPECT_EQ(Fails(patient_, {"GrantConsent", "P-1001", "Hospital2MSP", "D 2001", "read", "", Expiry(10)}),
            "invalid grantee person ID 'D 2001': expected 1 to 64 characters of A-Z a-z 0-9 . _ : -");
  EXPECT_EQ(Fails(patient_, {"GrantConsent", "P-1001", "", "D-2001", "read", "", Expiry(10)}),
            "invalid grantee MSP ID '': expected 1 to 64 characters of A-Z a-z 0-9 . _ : -");
  EXPECT_EQ(Fails(patient_, {"GrantConsent", "P-1001", "Hospital2MSP", "D-2001", "read", "lab;x", Expiry(10)}),
            "invalid category 'lab;x': expected 1 to 64 characters of A-Z a-z 0-9 . _ : -");
  EXPECT_EQ(Fails(patient_, {"GrantConsent", "P-1001", "Hospital2MSP", "D-2001", "read", "", Expiry(0)}),
            "invalid expiry: 2023-11-14T22:13:26Z is not after the transaction time 2023-11-14T22:13:26Z");
  EXPECT_EQ(Fails(patient_, {"GrantConsent", "P-1001", "Hospital2MSP", "D-2001", "read", "", "2030-01-01"}),
            "invalid expiry '2030-01-01': expected an integer from 0 to 253402300799");
  EXPECT_EQ(Fails(patient_, {"GrantConsent", "P-9", "Hospital2MSP", "D-2001", "read", "", Expiry(10)}),
            "unknown patient P-9");
  EXPECT_EQ(Fails(other_patient_, {"GrantConsent", "P-1001", "Hospital2MSP", "D-2001", "read", "", Expiry(10)}),
            "not authorised: patient P-1002 (Hospital1MSP) is neither patient P-1001 nor one of their guardians");
  EXPECT_EQ(Fails(doctor1_, {"GrantConsent", "P-1001", "Hospital1MSP", "D-1001", "read", "", Expiry(10)}),
            "wrong role: GrantConsent requires role patient or guardian, caller has doctor");
  EXPECT_EQ(Fails(admin1_, {"GrantConsent", "P-1001", "Hospital1MSP", "D-1001", "read", "", Expiry(10)}),
            "wrong role: GrantConsent requires role patient or guardian, caller has none");
  EXPECT_EQ(Fails(patient_, {"GrantConsent", "P-1001", "Hospital2MSP", "D-2001", "read"}),
            "incorrect number of arguments: GrantConsent takes 6 (patientId, granteeMsp, granteePersonId or *, "
            "scope, categories, expiresAt), got 4");
  // A patient of the same person ID in another organisation is not the patient.
  const CreatorInfo impostor = Person(*hospital2_, "patient", "P-1001");
  EXPECT_EQ(Fails(impostor, {"GrantConsent", "P-1001", "Hospital2MSP", "D-2001", "read", "", Expiry(10)}),
            "not authorised: patient P-1001 (Hospital2MSP) is neither patient P-1001 nor one of their guardians");
}

// ----- Records and consent rules -----

TEST_F(HealthcareChaincodeTest, ADoctorNeedsWriteConsentToAddARecord) {
  RegisterPatient();
  EXPECT_EQ(Fails(doctor1_, {"AddRecord", "P-1001", "R-1", "lab", kSha1, "1234", "application/pdf", "vault://h1/R-1"}),
            "no consent: doctor D-1001 (Hospital1MSP) has no write consent from patient P-1001");
  Grant(patient_, "Hospital1MSP", "D-1001", "read");
  EXPECT_EQ(Fails(doctor1_, {"AddRecord", "P-1001", "R-1", "lab", kSha1, "1234", "application/pdf", "vault://h1/R-1"}),
            "no consent: doctor D-1001 (Hospital1MSP) has no write consent from patient P-1001");
  Grant(patient_, "Hospital1MSP", "D-1001", "write");
  const Json record = AddRecord(doctor1_, "R-1");
  EXPECT_EQ(record["recordId"], "R-1");
  EXPECT_EQ(record["patientId"], "P-1001");
  EXPECT_EQ(record["category"], "lab");
  EXPECT_EQ(record["sha256"], kSha1);
  EXPECT_EQ(record["size"], 1234);
  EXPECT_EQ(record["mediaType"], "application/pdf");
  EXPECT_EQ(record["location"], "vault://hospital1/R-1");
  EXPECT_EQ(record["version"], 1);
  EXPECT_EQ(record["previousVersion"], nullptr);
  EXPECT_EQ(record["author"]["personId"], "D-1001");
  EXPECT_EQ(record["author"]["msp"], "Hospital1MSP");
  EXPECT_EQ(record["authorisedBy"]["type"], "consent");
  EXPECT_EQ(record["recordedAt"], "2023-11-14T22:13:26Z");
  EXPECT_EQ(record["txId"], "tx6");
  EXPECT_EQ(last_event_->event_name(), "RecordVersionAdded");
  EXPECT_EQ(Json::parse(last_event_->payload()), record);
  // Write-only consent does not let the doctor read.
  EXPECT_EQ(Fails(doctor1_, {"GetRecord", "R-1"}),
            "no consent: doctor D-1001 (Hospital1MSP) has no read consent from patient P-1001");
  EXPECT_EQ(Ok(patient_, {"GetRecord", "R-1"}), record);
}

TEST_F(HealthcareChaincodeTest, RecordRefusals) {
  RegisterPatient();
  Grant(patient_, "Hospital1MSP", "D-1001", "readwrite");
  AddRecord(doctor1_, "R-1");
  const auto add = [&](const std::string& id, const std::string& sha, const std::string& size,
                       const std::string& media) {
    return Fails(doctor1_, {"AddRecord", "P-1001", id, "lab", sha, size, media, "vault://h1/x"});
  };
  EXPECT_EQ(add("R-1", kSha2, "1", "text/plain"), "record R-1 already exists");
  EXPECT_EQ(add("R-2", "abc", "1", "text/plain"), "invalid SHA-256 'abc': expected 64 hexadecimal digits");
  EXPECT_EQ(add("R-2", kSha2, "-1", "text/plain"), "invalid size '-1': expected an integer from 0 to 1099511627776");
  EXPECT_EQ(add("R-2", kSha2, "1", "pdf"), "invalid media type 'pdf': expected type/subtype");
  EXPECT_EQ(add("R 2", kSha2, "1", "text/plain"),
            "invalid record ID 'R 2': expected 1 to 64 characters of A-Z a-z 0-9 . _ : -");
  EXPECT_EQ(Fails(doctor1_, {"AddRecord", "P-9", "R-2", "lab", kSha2, "1", "text/plain", "vault://x"}),
            "unknown patient P-9");
  EXPECT_EQ(Fails(doctor1_, {"AddRecord", "P-1001", "R-2", "lab", kSha2, "1", "text/plain", ""}),
            "invalid vault location: must not be empty");
  EXPECT_EQ(Fails(nurse_, {"AddRecord", "P-1001", "R-2", "lab", kSha2, "1", "text/plain", "vault://x"}),
            "wrong role: AddRecord requires role doctor, caller has nurse");
  EXPECT_EQ(Fails(patient_, {"AmendRecord", "R-1", kSha2, "1", "text/plain", "vault://x"}),
            "wrong role: AmendRecord requires role doctor, caller has patient");
  EXPECT_EQ(Fails(doctor1_, {"AmendRecord", "R-9", kSha2, "1", "text/plain", "vault://x"}), "unknown record R-9");
  EXPECT_EQ(Fails(doctor1_, {"GetRecord", "R-9"}), "unknown record R-9");
  EXPECT_EQ(Fails(doctor1_, {"GetRecord", "R-1", "2"}), "unknown version 2 of record R-1 (latest is 1)");
  EXPECT_EQ(Fails(doctor1_, {"GetRecord", "R-1", "0"}),
            "invalid version '0': expected an integer from 1 to 9999999999");
  EXPECT_EQ(Fails(nurse_, {"GetRecord", "R-1"}),
            "wrong role: GetRecord requires role doctor, patient, guardian or regulator, caller has nurse");
  EXPECT_EQ(Fails(other_patient_, {"GetRecord", "R-1"}),
            "not authorised: patient P-1002 (Hospital1MSP) is neither patient P-1001 nor one of their guardians");
  EXPECT_EQ(Fails(doctor1_, {"GetRecord"}),
            "incorrect number of arguments: GetRecord takes 1 or 2 (recordId[, version]), got 0");
}

TEST_F(HealthcareChaincodeTest, RevokedConsentStopsTheNextRead) {
  RegisterPatient();
  Grant(patient_, "Hospital1MSP", "D-1001", "write");
  AddRecord(doctor1_, "R-1");
  EXPECT_EQ(Fails(doctor2_, {"GetRecord", "R-1"}),
            "no consent: doctor D-2001 (Hospital2MSP) has no read consent from patient P-1001");
  Grant(patient_, "Hospital2MSP", "D-2001", "read");
  EXPECT_EQ(Ok(doctor2_, {"GetRecord", "R-1"})["sha256"], kSha1);
  EXPECT_EQ(Ok(doctor2_, {"LogAccess", "R-1"})["basis"]["type"], "consent");
  Ok(patient_, {"RevokeConsent", "P-1001", "Hospital2MSP", "D-2001"});
  EXPECT_EQ(Fails(doctor2_, {"GetRecord", "R-1"}),
            "no consent: doctor D-2001 (Hospital2MSP) has no read consent from patient P-1001");
  EXPECT_EQ(Fails(doctor2_, {"LogAccess", "R-1"}),
            "no consent: doctor D-2001 (Hospital2MSP) has no read consent from patient P-1001");
}

TEST_F(HealthcareChaincodeTest, ExpiredConsentStopsAccessAtTheTransactionTime) {
  RegisterPatient();
  Grant(patient_, "Hospital1MSP", "D-1001", "write");
  AddRecord(doctor1_, "R-1");
  // Granted at call 4, expiring at call 7's time: valid for calls 5 and 6 only (the expiry is exclusive).
  const std::string expiry = Expiry(3);
  Ok(patient_, {"GrantConsent", "P-1001", "Hospital2MSP", "D-2001", "read", "", expiry});
  Ok(doctor2_, {"GetRecord", "R-1"});
  Ok(doctor2_, {"LogAccess", "R-1"});
  EXPECT_EQ(NextTime(), std::stoll(expiry));
  EXPECT_EQ(Fails(doctor2_, {"GetRecord", "R-1"}),
            "consent expired: the read consent of patient P-1001 for doctor D-2001 (Hospital2MSP) expired at "
            "2023-11-14T22:13:27Z");
  EXPECT_EQ(Fails(doctor2_, {"LogAccess", "R-1"}),
            "consent expired: the read consent of patient P-1001 for doctor D-2001 (Hospital2MSP) expired at "
            "2023-11-14T22:13:27Z");
  EXPECT_EQ(Ok(patient_, {"ListConsents", "P-1001"}).size(), 1u);  // only the unexpired write consent
}

TEST_F(HealthcareChaincodeTest, HospitalWideConsentCoversEveryDoctorOfThatHospitalOnly) {
  RegisterPatient();
  Grant(patient_, "Hospital1MSP", "*", "readwrite");
  const Json first = AddRecord(doctor1_, "R-1");
  EXPECT_EQ(first["authorisedBy"]["grantee"]["kind"], "hospital");
  AddRecord(doctor1b_, "R-2");
  EXPECT_EQ(Ok(doctor1b_, {"GetRecord", "R-1"})["recordId"], "R-1");
  EXPECT_EQ(Fails(doctor2_, {"GetRecord", "R-1"}),
            "no consent: doctor D-2001 (Hospital2MSP) has no read consent from patient P-1001");
  // A nurse of that hospital is not a doctor.
  EXPECT_EQ(Fails(nurse_, {"LogAccess", "R-1"}), "wrong role: LogAccess requires role doctor, caller has nurse");
}

TEST_F(HealthcareChaincodeTest, CategoryLimitedConsent) {
  RegisterPatient();
  Grant(patient_, "Hospital1MSP", "D-1001", "write");
  AddRecord(doctor1_, "R-lab", "lab");
  AddRecord(doctor1_, "R-psy", "psychiatry");
  Grant(patient_, "Hospital2MSP", "D-2001", "readwrite", "lab,imaging");
  EXPECT_EQ(Ok(doctor2_, {"GetRecord", "R-lab"})["category"], "lab");
  EXPECT_EQ(Fails(doctor2_, {"GetRecord", "R-psy"}),
            "no consent: doctor D-2001 (Hospital2MSP) has no read consent from patient P-1001 for category psychiatry");
  EXPECT_EQ(Fails(doctor2_, {"AddRecord", "P-1001", "R-x", "psychiatry", kSha2, "1", "text/plain", "vault://x"}),
            "no consent: doctor D-2001 (Hospital2MSP) has no write consent from patient P-1001 for category "
            "psychiatry");
  Ok(doctor2_, {"AddRecord", "P-1001", "R-img", "imaging", kSha2, "1", "image/png", "vault://h2/R-img"});
  // ListRecords shows a doctor only what they may read.
  const Json listed = Ok(doctor2_, {"ListRecords", "P-1001"});
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0]["recordId"], "R-img");
  EXPECT_EQ(listed[1]["recordId"], "R-lab");
  EXPECT_EQ(Ok(patient_, {"ListRecords", "P-1001"}).size(), 3u);
  EXPECT_EQ(Ok(regulator_, {"ListRecords", "P-1001"}).size(), 3u);
}

TEST_F(HealthcareChaincodeTest, AmendingKeepsEveryVersion) {
  RegisterPatient();
  Grant(patient_, "Hospital1MSP", "*", "readwrite");
  const Json v1 = AddRecord(doctor1_, "R-1");
  const Json v2 = Ok(doctor1b_, {"AmendRecord", "R-1", kSha2, "2000", "application/pdf", "vault://hospital1/R-1.v2"});
  EXPECT_EQ(v2["version"], 2);
  EXPECT_EQ(v2["previousVersion"], 1);
  EXPECT_EQ(v2["previousSha256"], kSha1);
  EXPECT_EQ(v2["author"]["personId"], "D-1002");
  EXPECT_EQ(v2["category"], "lab");
  EXPECT_EQ(last_event_->event_name(), "RecordVersionAdded");
  const Json v3 = Ok(doctor1_, {"AmendRecord", "R-1", std::string(64, 'C'), "10", "text/plain", "vault://h1/R-1.v3"});
  EXPECT_EQ(v3["sha256"], kSha3);

  EXPECT_EQ(Ok(doctor1_, {"GetRecord", "R-1"}), v3);
  EXPECT_EQ(Ok(doctor1_, {"GetRecord", "R-1", "1"}), v1);
  EXPECT_EQ(Ok(doctor1_, {"GetRecord", "R-1", "2"}), v2);
  EXPECT_EQ(Ok(doctor1_, {"GetRecord", "R-1", "3"}), v3);

  // Each version also under its own key ("recordVersion", [R-1, 10-digit version]).
  using ::std::string_literals::operator""s;
  EXPECT_EQ(harness_.ledger().Get("\x00recordVersion\x00R-1\x00"
                                  "0000000001\x00"s),
            v1.dump());
  EXPECT_EQ(harness_.ledger().Get("\x00recordVersion\x00R-1\x00"
                                  "0000000003\x00"s),
            v3.dump());
  EXPECT_EQ(harness_.ledger().Get("\x00record\x00R-1\x00"s), v3.dump());

  const Json history = Ok(regulator_, {"RecordHistory", "R-1"});
  ASSERT_EQ(history.size(), 3u);  // newest first
  EXPECT_EQ(history[0]["record"], v3);
  EXPECT_EQ(history[1]["record"], v2);
  EXPECT_EQ(history[2]["record"], v1);
  EXPECT_EQ(history[2]["txId"], v1["txId"]);
  EXPECT_EQ(history[2]["isDelete"], false);
  EXPECT_EQ(history[2]["timestamp"], v1["recordedAt"]);
  EXPECT_EQ(Fails(doctor2_, {"RecordHistory", "R-1"}),
            "no consent: doctor D-2001 (Hospital2MSP) has no read consent from patient P-1001");
}

TEST_F(HealthcareChaincodeTest, VerifySaysWhetherAHashIsTheRegisteredDocument) {
  RegisterPatient();
  Grant(patient_, "Hospital1MSP", "D-1001", "write");
  const Json v1 = AddRecord(doctor1_, "R-1");
  Ok(doctor1_, {"AmendRecord", "R-1", kSha2, "5", "text/plain", "vault://h1/R-1.v2"});

  // Anyone on the channel may verify, even without consent.
  Json verdict = Ok(nurse_, {"VerifyRecord", "R-1", kSha2});
  EXPECT_EQ(verdict["matches"], true);
  EXPECT_EQ(verdict["version"], 2);
  EXPECT_EQ(verdict["matchesVersion"], 2);
  verdict = Ok(doctor2_, {"VerifyRecord", "R-1", std::string(64, 'A')});
  EXPECT_EQ(verdict["matches"], false);  // an outdated copy: version 1's document
  EXPECT_EQ(verdict["matchesVersion"], 1);
  verdict = Ok(doctor2_, {"VerifyRecord", "R-1", kSha1, "1"});
  EXPECT_EQ(verdict["matches"], true);
  EXPECT_EQ(verdict["author"], v1["author"]);
  EXPECT_EQ(verdict["recordedAt"], v1["recordedAt"]);
  EXPECT_EQ(verdict["txId"], v1["txId"]);
  verdict = Ok(doctor2_, {"VerifyRecord", "R-1", kSha3});
  EXPECT_EQ(verdict["matches"], false);
  EXPECT_EQ(verdict["matchesVersion"], nullptr);
  EXPECT_EQ(Fails(doctor2_, {"VerifyRecord", "R-9", kSha3}), "unknown record R-9");
  EXPECT_EQ(Fails(doctor2_, {"VerifyRecord", "R-1", "xyz"}), "invalid SHA-256 'xyz': expected 64 hexadecimal digits");
}

// ----- Emergency access -----

TEST_F(HealthcareChaincodeTest, EmergencyAccessIsBoundedFlaggedAndAudited) {
  RegisterPatient();
  Grant(patient_, "Hospital1MSP", "D-1001", "write");
  AddRecord(doctor1_, "R-1");
  EXPECT_EQ(Fails(doctor2_, {"LogAccess", "R-1"}),
            "no consent: doctor D-2001 (Hospital2MSP) has no read consent from patient P-1001");
  const Json opened = Ok(doctor2_, {"OpenEmergencyAccess", "P-1001", "unconscious in ER, allergies unknown", "4"});
  EXPECT_EQ(opened["flaggedForReview"], true);
  EXPECT_EQ(opened["reason"], "unconscious in ER, allergies unknown");
  EXPECT_EQ(opened["doctor"]["personId"], "D-2001");
  EXPECT_EQ(opened["durationSeconds"], 4);
  EXPECT_EQ(last_event_->event_name(), "EmergencyAccessOpened");
  EXPECT_EQ(Json::parse(last_event_->payload()), opened);

  const Json access = Ok(doctor2_, {"LogAccess", "R-1"});
  EXPECT_EQ(access["basis"]["type"], "emergency");
  EXPECT_EQ(access["basis"]["emergencyTxId"], opened["txId"]);
  const Json added = Ok(doctor2_, {"AddRecord", "P-1001", "R-2", "er", kSha2, "9", "text/plain", "vault://h2/R-2"});
  EXPECT_EQ(added["authorisedBy"]["type"], "emergency");
  EXPECT_EQ(Ok(doctor2_, {"GetPatient", "P-1001"})["patientId"], "P-1001");
  // Four seconds after opening, it is over.
  EXPECT_EQ(Fails(doctor2_, {"GetRecord", "R-1"}),
            "no consent: doctor D-2001 (Hospital2MSP) has no read consent from patient P-1001");

  const Json emergencies = Ok(regulator_, {"ListEmergencyAccesses"});
  ASSERT_EQ(emergencies.size(), 1u);
  EXPECT_EQ(emergencies[0], opened);
  EXPECT_EQ(Ok(regulator_, {"AccessLogByPatient", "P-1001"})["emergencies"], emergencies);
  EXPECT_EQ(Ok(regulator_, {"AccessLogByDoctor", "Hospital2MSP", "D-2001"})["emergencies"], emergencies);
  EXPECT_EQ(Ok(patient_, {"AccessLogByPatient", "P-1001"})["emergencies"], emergencies);
  EXPECT_EQ(Fails(doctor2_, {"ListEmergencyAccesses"}),
            "wrong role: ListEmergencyAccesses requires role regulator, caller has doctor");
}

TEST_F(HealthcareChaincodeTest, EmergencyAccessRefusals) {
  RegisterPatient();
  EXPECT_EQ(Fails(doctor2_, {"OpenEmergencyAccess", "P-1001", "", "60"}),
            "an emergency access needs a reason: the reason must not be empty");
  EXPECT_EQ(Fails(doctor2_, {"OpenEmergencyAccess", "P-1001", "   ", "60"}),
            "an emergency access needs a reason: the reason must not be empty");
  EXPECT_EQ(Fails(doctor2_, {"OpenEmergencyAccess", "P-1001", "trauma", "0"}),
            "invalid duration '0': expected an integer from 1 to 86400");
  EXPECT_EQ(Fails(doctor2_, {"OpenEmergencyAccess", "P-1001", "trauma", "86401"}),
            "invalid duration '86401': expected an integer from 1 to 86400");
  EXPECT_EQ(Fails(doctor2_, {"OpenEmergencyAccess", "P-9", "trauma", "60"}), "unknown patient P-9");
  EXPECT_EQ(Fails(nurse_, {"OpenEmergencyAccess", "P-1001", "trauma", "60"}),
            "wrong role: OpenEmergencyAccess requires role doctor, caller has nurse");
  EXPECT_EQ(Fails(patient_, {"OpenEmergencyAccess", "P-1001", "trauma", "60"}),
            "wrong role: OpenEmergencyAccess requires role doctor, caller has patient");
  EXPECT_EQ(Fails(doctor2_, {"OpenEmergencyAccess", "P-1001", "trauma"}),
            "incorrect number of arguments: OpenEmergencyAccess takes 3 (patientId, reason, durationSeconds), got 2");
}

// ----- Access log -----

TEST_F(HealthcareChaincodeTest, EveryReadIsLoggedAndAuditable) {
  RegisterPatient();
  Grant(patient_, "Hospital1MSP", "D-1001", "readwrite");
  AddRecord(doctor1_, "R-1");
  Ok(doctor1_, {"AmendRecord", "R-1", kSha2, "5", "text/plain", "vault://h1/R-1.v2"});
  Grant(patient_, "Hospital2MSP", "*", "read");

  const Json first = Ok(doctor2_, {"LogAccess", "R-1", "1"});
  EXPECT_EQ(first["recordId"], "R-1");
  EXPECT_EQ(first["version"], 1);
  EXPECT_EQ(first["sha256"], kSha1);
  EXPECT_EQ(first["patientId"], "P-1001");
  EXPECT_EQ(first["accessor"]["personId"], "D-2001");
  EXPECT_EQ(first["basis"]["type"], "consent");
  EXPECT_EQ(first["basis"]["grantee"]["kind"], "hospital");
  EXPECT_EQ(last_event_->event_name(), "RecordAccessed");
  const Json second = Ok(doctor1_, {"LogAccess", "R-1"});
  EXPECT_EQ(second["version"], 2);

  const Json by_patient = Ok(regulator_, {"AccessLogByPatient", "P-1001"});
  EXPECT_EQ(by_patient["patientId"], "P-1001");
  EXPECT_EQ(by_patient["accesses"], Json::array({first, second}));  // in time order
  EXPECT_EQ(by_patient["emergencies"], Json::array());
  const Json by_doctor = Ok(regulator_, {"AccessLogByDoctor", "Hospital2MSP", "D-2001"});
  EXPECT_EQ(by_doctor["accesses"], Json::array({first}));
  EXPECT_EQ(Ok(doctor2_, {"AccessLogByDoctor", "Hospital2MSP", "D-2001"}), by_doctor);
  EXPECT_EQ(Ok(patient_, {"AccessLogByPatient", "P-1001"}), by_patient);

  EXPECT_EQ(Fails(doctor2_, {"AccessLogByDoctor", "Hospital1MSP", "D-1001"}),
            "not authorised: doctor D-2001 (Hospital2MSP) may read only their own access log");
  EXPECT_EQ(Fails(doctor2_, {"AccessLogByPatient", "P-1001"}),
            "wrong role: AccessLogByPatient requires role patient, guardian or regulator, caller has doctor");
  EXPECT_EQ(Fails(nurse_, {"AccessLogByDoctor", "Hospital2MSP", "D-2001"}),
            "wrong role: AccessLogByDoctor requires role regulator or doctor, caller has nurse");
  EXPECT_EQ(Fails(patient_, {"LogAccess", "R-1"}), "wrong role: LogAccess requires role doctor, caller has patient");
  EXPECT_EQ(Fails(doctor2_, {"LogAccess", "R-1", "3"}), "unknown version 3 of record R-1 (latest is 2)");
}

TEST_F(HealthcareChaincodeTest, TheRoleIsCheckedBeforeWhatTheArgumentsName) {
  // A caller of the wrong role learns nothing about which patients or records exist.
  EXPECT_EQ(Fails(doctor1_, {"GrantConsent", "P-9", "Hospital1MSP", "D-1001", "read", "", "1"}),
            "wrong role: GrantConsent requires role patient or guardian, caller has doctor");
  EXPECT_EQ(Fails(doctor1_, {"RevokeConsent", "P-9", "Hospital1MSP", "D-1001"}),
            "wrong role: RevokeConsent requires role patient or guardian, caller has doctor");
  EXPECT_EQ(Fails(nurse_, {"GetRecord", "R-9"}),
            "wrong role: GetRecord requires role doctor, patient, guardian or regulator, caller has nurse");
  EXPECT_EQ(Fails(nurse_, {"RecordHistory", "R-9"}),
            "wrong role: RecordHistory requires role doctor, patient, guardian or regulator, caller has nurse");
  EXPECT_EQ(Fails(nurse_, {"ListRecords", "P-9"}),
            "wrong role: ListRecords requires role doctor, patient, guardian or regulator, caller has nurse");
  EXPECT_EQ(Fails(nurse_, {"AccessLogByPatient", "P-9"}),
            "wrong role: AccessLogByPatient requires role patient, guardian or regulator, caller has nurse");
  EXPECT_EQ(Fails(nurse_, {"LogAccess", "R-9"}), "wrong role: LogAccess requires role doctor, caller has nurse");
  EXPECT_EQ(Fails(doctor1_, {"AddGuardian", "P-9", "Hospital1MSP", "G-1"}),
            "wrong role: AddGuardian requires role patient, caller has doctor");
  EXPECT_EQ(Fails(admin1_, {"ListEmergencyAccesses"}),
            "wrong role: ListEmergencyAccesses requires role regulator, caller has none");
}

// ----- The regulator -----

TEST_F(HealthcareChaincodeTest, TheRegulatorCannotWriteAnything) {
  RegisterPatient();
  Grant(patient_, "Hospital1MSP", "D-1001", "readwrite");
  AddRecord(doctor1_, "R-1");
  const std::vector<std::vector<std::string>> writes = {
      {"RegisterPatient", "R-1", "ref"},
      {"AddGuardian", "P-1001", "RegulatorMSP", "R-1"},
      {"RemoveGuardian", "P-1001", "RegulatorMSP", "R-1"},
      {"GrantConsent", "P-1001", "RegulatorMSP", "R-1", "readwrite", "", Expiry(100)},
      {"RevokeConsent", "P-1001", "Hospital1MSP", "D-1001"},
      {"OpenEmergencyAccess", "P-1001", "audit", "60"},
      {"AddRecord", "P-1001", "R-2", "lab", kSha2, "1", "text/plain", "vault://x"},
      {"AmendRecord", "R-1", kSha2, "1", "text/plain", "vault://x"},
      {"LogAccess", "R-1"},
      {"RegisterPatient"},  // even with the wrong arguments, the refusal is the same
  };
  // Even a regulator certificate that also claims admin, or a regulator-role identity from a hospital.
  const CreatorInfo regulator_admin = Issue(*regulator_org_, "Admin@RegulatorMSP", "admin", {{"role", "regulator"}});
  const CreatorInfo hospital_regulator = Person(*hospital1_, "regulator", "R-2");
  for (const CreatorInfo* who : std::vector<const CreatorInfo*>{&regulator_, &regulator_admin, &hospital_regulator}) {
    for (const std::vector<std::string>& args : writes) {
      EXPECT_EQ(Fails(*who, args), "regulators cannot write: " + args[0] + " changes the ledger");
    }
  }
  // Reads are allowed.
  EXPECT_EQ(Ok(regulator_, {"GetRecord", "R-1"})["recordId"], "R-1");
  EXPECT_EQ(Ok(regulator_, {"GetPatient", "P-1001"})["patientId"], "P-1001");
}

TEST_F(HealthcareChaincodeTest, ReadOnlyFunctionsWriteNothing) {
  RegisterPatient();
  Grant(patient_, "Hospital1MSP", "D-1001", "readwrite");
  AddRecord(doctor1_, "R-1");
  const std::vector<std::vector<std::string>> reads = {
      {"GetPatient", "P-1001"},
      {"ListConsents", "P-1001"},
      {"GetRecord", "R-1"},
      {"RecordHistory", "R-1"},
      {"ListRecords", "P-1001"},
      {"VerifyRecord", "R-1", kSha1},
      {"AccessLogByPatient", "P-1001"},
      {"AccessLogByDoctor", "Hospital1MSP", "D-1001"},
      {"ListEmergencyAccesses"},
  };
  for (const std::vector<std::string>& args : reads) {
    Ok(regulator_, args);
    EXPECT_TRUE(harness_.last_writes().empty()) << args[0];
    EXPECT_FALSE(last_event_.has_value()) << args[0];
  }
}

}  // namespace
}  // namespace careledger::chaincode::builtin
