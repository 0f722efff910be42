#include "chaincode/builtin/healthcare/healthcare_chaincode.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "careledger/shim/chaincode_export.h"
#include "chaincode/builtin/healthcare/caller.h"
#include "chaincode/builtin/healthcare/values.h"
#include "nlohmann/json.hpp"

namespace careledger::chaincode::builtin {
namespace {

using healthcare::Caller;
using healthcare::CheckId;
using healthcare::CheckText;
using healthcare::FormatTime;
using healthcare::Require;
using Json = nlohmann::json;
using shim::ChaincodeStub;
using shim::Response;
using shim::Success;

// Composite-key object types (docs/healthcare-chaincode.md, "Key layout").
constexpr char kPatientKey[] = "patient";                      // [patient]
constexpr char kGuardianKey[] = "guardian";                    // [patient, msp, person]
constexpr char kConsentKey[] = "consent";                      // [patient, msp, person | "*"]
constexpr char kEmergencyGrantKey[] = "emergencyGrant";        // [patient, msp, person]: the latest opening
constexpr char kEmergencyKey[] = "emergency";                  // [patient, time, txid]: every opening
constexpr char kEmergencyByDoctorKey[] = "emergencyByDoctor";  // [msp, person, time, txid]
constexpr char kRecordKey[] = "record";                        // [record]: the current version
constexpr char kRecordVersionKey[] = "recordVersion";          // [record, version as 10 digits]
constexpr char kPatientRecordKey[] = "patientRecord";          // [patient, record]
constexpr char kAccessKey[] = "access";                        // [patient, time, txid]
constexpr char kAccessByDoctorKey[] = "accessByDoctor";        // [msp, person, time, txid]

constexpr char kWholeHospital[] = "*";
constexpr int64_t kMaxEmergencySeconds = 24 * 3600;
constexpr int64_t kMaxDocumentSize = int64_t{1} << 40;  // 1 TiB: anything larger is a mistake
constexpr size_t kMaxTextBytes = 1024;

using Args = std::vector<std::string>;

// One invocation: the stub, the verified caller, and the transaction's time every rule compares against.
struct Call {
  ChaincodeStub& stub;
  const std::string& function;
  const Args& args;
  Caller caller;
  shim::Timestamp now;

  std::string Now() const { return FormatTime(now); }
  // A time that sorts as text: the key component of log entries, so that ranges come out in time order.
  std::string SortableNow() const {
    std::string seconds = std::to_string(now.seconds < 0 ? 0 : now.seconds);
    std::string nanos = std::to_string(now.nanos);
    return std::string(20 - std::min<size_t>(20, seconds.size()), '0') + seconds + "." +
           std::string(9 - std::min<size_t>(9, nanos.size()), '0') + nanos;
  }
};

// ----- Arguments and roles -----

void CheckArgumentCount(const Call& call, size_t min, size_t max, const char* names) {
  const std::string count = min == max ? std::to_string(min) : std::to_string(min) + " or " + std::to_string(max);
  Require(call.args.size() >= min && call.args.size() <= max, "incorrect number of arguments: " + call.function +
                                                                  " takes " + count + " (" + names + "), got " +
                                                                  std::to_string(call.args.size()));
}

// Every function that writes calls this first, before even looking at its arguments: a regulator's identity
// cannot change the ledger through any path.
void ForbidRegulatorWrite(const Call& call) {
  Require(call.caller.role != "regulator", "regulators cannot write: " + call.function + " changes the ledger");
}

std::string CallerRoleName(const Caller& caller) { return caller.role.empty() ? "none" : caller.role; }

[[noreturn]] void WrongRole(const Call& call, const std::string& required) {
  throw shim::ShimError("wrong role: " + call.function + " requires " + required + ", caller has " +
                        CallerRoleName(call.caller));
}

// The caller's role is one of `roles`, or the caller is a hospital admin (no role) and `admin` names them.
void RequireRole(const Call& call, std::initializer_list<std::string_view> roles, const char* admin = nullptr) {
  if (std::find(roles.begin(), roles.end(), call.caller.role) != roles.end()) return;
  if (admin != nullptr && call.caller.admin && call.caller.role.empty()) return;
  std::string required = "role";
  size_t i = 0;
  for (std::string_view role : roles) {
    required += (i == 0 ? " " : i + 1 == roles.size() ? " or " : ", ") + std::string(role);
    ++i;
  }
  if (admin != nullptr) required += (roles.size() == 1 ? " or " : ", or ") + std::string(admin);
  WrongRole(call, required);
}

void RequirePersonId(const Call& call) {
  Require(!call.caller.person_id.empty(),
          "caller has no person_id attribute: " + call.function + " needs the caller's person ID");
  CheckId("person_id attribute", call.caller.person_id);
}

void RequireDoctor(const Call& call) {
  if (call.caller.role != "doctor") WrongRole(call, "role doctor");
  RequirePersonId(call);
}

// ----- Values on the ledger -----

Json IdentityJson(const Caller& caller) {
  Json identity = Json::object();
  identity["msp"] = caller.msp_id;
  identity["role"] = caller.role;
  identity["personId"] = caller.person_id;
  identity["admin"] = caller.admin;
  identity["clientId"] = caller.client_id;
  return identity;
}

std::string Key(const Call& call, const char* type, const std::vector<std::string>& attributes) {
  return call.stub.CreateCompositeKey(type, attributes);
}

// A value this chaincode stored: a JSON object, or the proposal is refused (the state was written by
// something else).
Json ParseStored(std::string_view text, const std::string& what) {
  Json json = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  Require(json.is_object(), "corrupt state: " + what + " is not a JSON object");
  return json;
}

std::optional<Json> LoadJson(const Call& call, const std::string& key) {
  std::optional<std::string> stored = call.stub.GetState(key);
  if (!stored.has_value()) return std::nullopt;
  return ParseStored(*stored, "a value of " + call.stub.SplitCompositeKey(key).object_type);
}

// Every value under the composite keys of `type` starting with `attributes`, in key order.
Json Entries(const Call& call, const char* type, const std::vector<std::string>& attributes) {
  Json entries = Json::array();
  auto it = call.stub.GetStateByPartialCompositeKey(type, attributes);
  while (it->HasNext()) entries.push_back(ParseStored(it->Next().value, std::string("an entry of ") + type));
  return entries;
}

void PutJson(const Call& call, const std::string& key, const Json& value) { call.stub.PutState(key, value.dump()); }

void Emit(const Call& call, const char* name, const Json& payload) { call.stub.SetEvent(name, payload.dump()); }

std::string PersonName(const std::string& msp, const std::string& person) {
  return person == kWholeHospital ? "hospital " + msp : person + " (" + msp + ")";
}

Json MustLoadPatient(const Call& call, const std::string& patient_id) {
  CheckId("patient ID", patient_id);
  std::optional<Json> patient = LoadJson(call, Key(call, kPatientKey, {patient_id}));
  Require(patient.has_value(), "unknown patient " + patient_id);
  return std::move(*patient);
}

// ----- Who acts for a patient -----

bool IsThePatient(const Caller& caller, const Json& patient) {
  return caller.role == "patient" && caller.person_id == patient.value("patientId", "") &&
         caller.msp_id == patient.value("hospital", "");
}

bool IsGuardianOf(const Call& call, const std::string& patient_id) {
  if (call.caller.role != "guardian" || call.caller.person_id.empty()) return false;
  CheckId("person_id attribute", call.caller.person_id);
  return call.stub.GetState(Key(call, kGuardianKey, {patient_id, call.caller.msp_id, call.caller.person_id}))
      .has_value();
}

// The patient themself or one of their guardians (the caller's role was checked before).
void RequirePatientOrGuardian(const Call& call, const Json& patient) {
  const std::string patient_id = patient.value("patientId", "");
  RequirePersonId(call);
  Require(IsThePatient(call.caller, patient) || IsGuardianOf(call, patient_id),
          "not authorised: " + call.caller.Describe() + " is neither patient " + patient_id +
              " nor one of their guardians");
}

// ----- Access to a patient's records -----

// Why a doctor may read or write: {"type":"consent",...} or {"type":"emergency",...}.
Json FindDoctorAccess(const Call& call, const std::string& patient_id, bool write, const std::string& category) {
  const Caller& caller = call.caller;
  const std::string scope = write ? "write" : "read";
  std::optional<std::string> expired;
  bool other_category = false;
  for (const std::string& person : {caller.person_id, std::string(kWholeHospital)}) {
    std::optional<Json> consent = LoadJson(call, Key(call, kConsentKey, {patient_id, caller.msp_id, person}));
    if (!consent.has_value()) continue;
    if (!consent->value(scope, false)) continue;
    const Json categories = consent->value("categories", Json::array());
    if (!categories.empty() && std::find(categories.begin(), categories.end(), category) == categories.end()) {
      other_category = true;
      continue;
    }
    if (call.now.seconds >= consent->value("expiresAtUnix", int64_t{0})) {
      expired = consent->value("expiresAt", "");
      continue;
    }
    Json basis = Json::object();
    basis["type"] = "consent";
    basis["grantee"] = consent->value("grantee", Json::object());
    basis["grantTxId"] = consent->value("txId", "");
    basis["expiresAt"] = consent->value("expiresAt", "");
    return basis;
  }
  std::optional<Json> emergency =
      LoadJson(call, Key(call, kEmergencyGrantKey, {patient_id, caller.msp_id, caller.person_id}));
  if (emergency.has_value() && call.now.seconds < emergency->value("expiresAtUnix", int64_t{0})) {
    Json basis = Json::object();
    basis["type"] = "emergency";
    basis["emergencyTxId"] = emergency->value("txId", "");
    basis["reason"] = emergency->value("reason", "");
    basis["expiresAt"] = emergency->value("expiresAt", "");
    return basis;
  }
  const std::string doctor = "doctor " + PersonName(caller.msp_id, caller.person_id);
  Require(!expired.has_value(), "consent expired: the " + scope + " consent of patient " + patient_id + " for " +
                                    doctor + " expired at " + expired.value_or(""));
  throw shim::ShimError("no consent: " + doctor + " has no " + scope + " consent from patient " + patient_id +
                        (other_category ? " for category " + category : ""));
}

// A doctor with any current consent (read or write, any category) or emergency access to the patient.
void RequireAnyDoctorAccess(const Call& call, const std::string& patient_id) {
  const Caller& caller = call.caller;
  RequirePersonId(call);
  bool any = false;
  for (const std::string& person : {caller.person_id, std::string(kWholeHospital)}) {
    std::optional<Json> consent = LoadJson(call, Key(call, kConsentKey, {patient_id, caller.msp_id, person}));
    any = any || (consent.has_value() && call.now.seconds < consent->value("expiresAtUnix", int64_t{0}));
  }
  std::optional<Json> emergency =
      LoadJson(call, Key(call, kEmergencyGrantKey, {patient_id, caller.msp_id, caller.person_id}));
  any = any || (emergency.has_value() && call.now.seconds < emergency->value("expiresAtUnix", int64_t{0}));
  Require(any, "no consent: doctor " + PersonName(caller.msp_id, caller.person_id) + " has no consent from patient " +
                   patient_id);
}

// The roles that may read a patient's records (each still subject to AuthoriseRead).
void RequireReaderRole(const Call& call, const char* admin = nullptr) {
  RequireRole(call, {"doctor", "patient", "guardian", "regulator"}, admin);
}

// Who may read a patient's records: the patient, a guardian, a regulator, or a doctor with read consent for
// `category` or an open emergency access. Returns the basis ({"type":"patient"|"guardian"|"regulator"} or
// what FindDoctorAccess returns).
Json AuthoriseRead(const Call& call, const Json& patient, const std::string& category) {
  const std::string patient_id = patient.value("patientId", "");
  const std::string& role = call.caller.role;
  Json basis = Json::object();
  if (role == "regulator") {
    basis["type"] = "regulator";
    return basis;
  }
  if (role == "doctor") {
    RequirePersonId(call);
    return FindDoctorAccess(call, patient_id, /*write=*/false, category);
  }
  RequireReaderRole(call);
  RequirePatientOrGuardian(call, patient);
  basis["type"] = role;
  return basis;
}

// ----- Patients -----

Json PatientWithGuardians(const Call& call, Json patient) {
  Json guardians = Json::array();
  for (const Json& entry : Entries(call, kGuardianKey, {patient.value("patientId", "")})) {
    guardians.push_back(entry.value("guardian", Json::object()));
  }
  patient["guardians"] = std::move(guardians);
  return patient;
}

Response RegisterPatient(Call& call) {
  ForbidRegulatorWrite(call);
  CheckArgumentCount(call, 2, 2, "patientId, profileRef");
  const std::string& patient_id = call.args[0];
  const Caller& caller = call.caller;
  if (caller.role == "patient") {
    RequirePersonId(call);
    Require(caller.person_id == patient_id, "not authorised: a patient can only register themself, and the caller is " +
                                                caller.Describe() + ", not " + patient_id);
  } else {
    RequireRole(call, {"patient"}, "a hospital admin");
  }
  CheckId("patient ID", patient_id);
  CheckText("profile reference", call.args[1], kMaxTextBytes);
  const std::string key = Key(call, kPatientKey, {patient_id});
  Require(!call.stub.GetState(key).has_value(), "patient " + patient_id + " is already registered");
  Json patient = Json::object();
  patient["patientId"] = patient_id;
  patient["hospital"] = caller.msp_id;
  patient["profileRef"] = call.args[1];
  patient["registeredBy"] = IdentityJson(caller);
  patient["registeredAt"] = call.Now();
  patient["txId"] = call.stub.GetTxID();
  PutJson(call, key, patient);
  Emit(call, "PatientRegistered", patient);
  return Success(patient.dump());
}

Response GetPatient(Call& call) {
  CheckArgumentCount(call, 1, 1, "patientId");
  RequireReaderRole(call, "an admin of the patient's hospital");
  const Json patient = MustLoadPatient(call, call.args[0]);
  const Caller& caller = call.caller;
  if (caller.role == "doctor") {
    RequireAnyDoctorAccess(call, call.args[0]);
  } else if (caller.role == "patient" || caller.role == "guardian") {
    RequirePatientOrGuardian(call, patient);
  } else if (caller.role != "regulator") {
    Require(caller.msp_id == patient.value("hospital", ""),
            "not authorised: " + caller.Describe() + " is not an admin of patient " + call.args[0] + "'s hospital");
  }
  return Success(PatientWithGuardians(call, patient).dump());
}

// ----- Guardians -----

Response ChangeGuardian(Call& call, bool add) {
  ForbidRegulatorWrite(call);
  CheckArgumentCount(call, 3, 3, "patientId, guardianMsp, guardianPersonId");
  RequireRole(call, {"patient"});
  RequirePersonId(call);
  const Json patient = MustLoadPatient(call, call.args[0]);
  Require(IsThePatient(call.caller, patient),
          "not authorised: " + call.caller.Describe() + " is not patient " + call.args[0]);
  CheckId("guardian MSP ID", call.args[1]);
  CheckId("guardian person ID", call.args[2]);
  const std::string key = Key(call, kGuardianKey, {call.args[0], call.args[1], call.args[2]});
  const bool exists = call.stub.GetState(key).has_value();
  const std::string name = PersonName(call.args[1], call.args[2]);
  Json entry = Json::object();
  entry["patientId"] = call.args[0];
  entry["guardian"] = Json::object({{"msp", call.args[1]}, {"personId", call.args[2]}});
  entry["txId"] = call.stub.GetTxID();
  if (add) {
    Require(!exists, name + " is already a guardian of patient " + call.args[0]);
    entry["addedBy"] = IdentityJson(call.caller);
    entry["addedAt"] = call.Now();
    PutJson(call, key, entry);
    Emit(call, "GuardianAdded", entry);
  } else {
    Require(exists, name + " is not a guardian of patient " + call.args[0]);
    entry["removedBy"] = IdentityJson(call.caller);
    entry["removedAt"] = call.Now();
    call.stub.DelState(key);
    Emit(call, "GuardianRemoved", entry);
  }
  return Success(entry.dump());
}

Response AddGuardian(Call& call) { return ChangeGuardian(call, /*add=*/true); }
Response RemoveGuardian(Call& call) { return ChangeGuardian(call, /*add=*/false); }

// ----- Consent -----

Json GranteeJson(const std::string& msp, const std::string& person) {
  Json grantee = Json::object();
  grantee["kind"] = person == kWholeHospital ? "hospital" : "doctor";
  grantee["msp"] = msp;
  grantee["personId"] = person == kWholeHospital ? Json(nullptr) : Json(person);
  return grantee;
}

void CheckGrantee(const Args& args) {
  CheckId("grantee MSP ID", args[1]);
  if (args[2] != kWholeHospital) CheckId("grantee person ID", args[2]);
}

Response GrantConsent(Call& call) {
  ForbidRegulatorWrite(call);
  CheckArgumentCount(call, 6, 6, "patientId, granteeMsp, granteePersonId or *, scope, categories, expiresAt");
  RequireRole(call, {"patient", "guardian"});
  const Json patient = MustLoadPatient(call, call.args[0]);
  CheckGrantee(call.args);
  RequirePatientOrGuardian(call, patient);
  const healthcare::Scope scope = healthcare::ParseScope(call.args[3]);
  const std::vector<std::string> categories = healthcare::ParseCategories(call.args[4]);
  const int64_t expires = healthcare::ParseInteger("expiry", call.args[5], 0, 253402300799);  // 9999-12-31
  Require(expires > call.now.seconds,
          "invalid expiry: " + FormatTime(expires) + " is not after the transaction time " + call.Now());
  const std::string key = Key(call, kConsentKey, {call.args[0], call.args[1], call.args[2]});
  Json consent = Json::object();
  consent["patientId"] = call.args[0];
  consent["grantee"] = GranteeJson(call.args[1], call.args[2]);
  consent["scope"] = healthcare::ScopeName(scope);
  consent["read"] = scope.read;
  consent["write"] = scope.write;
  consent["categories"] = categories;
  consent["expiresAt"] = FormatTime(expires);
  consent["expiresAtUnix"] = expires;
  consent["grantedBy"] = IdentityJson(call.caller);
  consent["grantedAt"] = call.Now();
  consent["txId"] = call.stub.GetTxID();
  consent["replacesTxId"] = nullptr;
  if (std::optional<Json> previous = LoadJson(call, key); previous.has_value()) {
    consent["replacesTxId"] = previous->value("txId", "");
  }
  PutJson(call, key, consent);
  Emit(call, "ConsentGranted", consent);
  return Success(consent.dump());
}

Response RevokeConsent(Call& call) {
  ForbidRegulatorWrite(call);
  CheckArgumentCount(call, 3, 3, "patientId, granteeMsp, granteePersonId or *");
  RequireRole(call, {"patient", "guardian"});
  const Json patient = MustLoadPatient(call, call.args[0]);
  CheckGrantee(call.args);
  RequirePatientOrGuardian(call, patient);
  const std::string key = Key(call, kConsentKey, {call.args[0], call.args[1], call.args[2]});
  std::optional<Json> consent = LoadJson(call, key);
  Require(consent.has_value(), "no consent to revoke: patient " + call.args[0] + " has granted nothing to " +
                                   (call.args[2] == kWholeHospital ? "" : "doctor ") +
                                   PersonName(call.args[1], call.args[2]));
  Json revocation = Json::object();
  revocation["patientId"] = call.args[0];
  revocation["grantee"] = GranteeJson(call.args[1], call.args[2]);
  revocation["revokedBy"] = IdentityJson(call.caller);
  revocation["revokedAt"] = call.Now();
  revocation["txId"] = call.stub.GetTxID();
  revocation["consent"] = std::move(*consent);
  call.stub.DelState(key);
  Emit(call, "ConsentRevoked", revocation);
  return Success(revocation.dump());
}

// The patient args[0], for the patient, a guardian or a regulator.
Json MustLoadPatientForAudit(const Call& call) {
  CheckArgumentCount(call, 1, 1, "patientId");
  RequireRole(call, {"patient", "guardian", "regulator"});
  Json patient = MustLoadPatient(call, call.args[0]);
  if (call.caller.role != "regulator") RequirePatientOrGuardian(call, patient);
  return patient;
}

Response ListConsents(Call& call) {
  MustLoadPatientForAudit(call);
  Json consents = Json::array();
  for (Json& consent : Entries(call, kConsentKey, {call.args[0]})) {
    if (call.now.seconds < consent.value("expiresAtUnix", int64_t{0})) consents.push_back(std::move(consent));
  }
  return Success(consents.dump());
}

// ----- Emergency access -----

Response OpenEmergencyAccess(Call& call) {
  ForbidRegulatorWrite(call);
  CheckArgumentCount(call, 3, 3, "patientId, reason, durationSeconds");
  RequireDoctor(call);
  const Json patient = MustLoadPatient(call, call.args[0]);
  Require(call.args[1].find_first_not_of(" \t") != std::string::npos,
          "an emergency access needs a reason: the reason must not be empty");
  CheckText("reason", call.args[1], kMaxTextBytes);
  const int64_t duration = healthcare::ParseInteger("duration", call.args[2], 1, kMaxEmergencySeconds);
  const Caller& caller = call.caller;
  const int64_t expires = call.now.seconds + duration;
  Json emergency = Json::object();
  emergency["patientId"] = call.args[0];
  emergency["doctor"] = IdentityJson(caller);
  emergency["reason"] = call.args[1];
  emergency["durationSeconds"] = duration;
  emergency["openedAt"] = call.Now();
  emergency["expiresAt"] = FormatTime(expires);
  emergency["expiresAtUnix"] = expires;
  emergency["flaggedForReview"] = true;
  emergency["txId"] = call.stub.GetTxID();
  const std::string time = call.SortableNow();
  PutJson(call, Key(call, kEmergencyGrantKey, {call.args[0], caller.msp_id, caller.person_id}), emergency);
  PutJson(call, Key(call, kEmergencyKey, {call.args[0], time, call.stub.GetTxID()}), emergency);
  PutJson(call, Key(call, kEmergencyByDoctorKey, {caller.msp_id, caller.person_id, time, call.stub.GetTxID()}),
          emergency);
  Emit(call, "EmergencyAccessOpened", emergency);
  return Success(emergency.dump());
}

// ----- Records -----

std::string VersionKey(const Call& call, const std::string& record_id, int64_t version) {
  std::string digits = std::to_string(version);
  return Key(call, kRecordVersionKey, {record_id, std::string(10 - std::min<size_t>(10, digits.size()), '0') + digits});
}

Json MustLoadRecord(const Call& call, const std::string& record_id) {
  CheckId("record ID", record_id);
  std::optional<Json> record = LoadJson(call, Key(call, kRecordKey, {record_id}));
  Require(record.has_value(), "unknown record " + record_id);
  return std::move(*record);
}

// The latest version, or `version_text` of it when given.
Json MustLoadVersion(const Call& call, const std::string& record_id, const std::string* version_text) {
  Json latest = MustLoadRecord(call, record_id);
  if (version_text == nullptr) return latest;
  const int64_t latest_version = latest.value("version", int64_t{0});
  const int64_t version = healthcare::ParseInteger("version", *version_text, 1, 9999999999);
  Require(version <= latest_version, "unknown version " + std::to_string(version) + " of record " + record_id +
                                         " (latest is " + std::to_string(latest_version) + ")");
  if (version == latest_version) return latest;
  std::optional<Json> record = LoadJson(call, VersionKey(call, record_id, version));
  Require(record.has_value(),
          "corrupt state: version " + std::to_string(version) + " of record " + record_id + " is missing");
  return std::move(*record);
}

// The document of a new version: SHA256 SIZE MEDIA_TYPE LOCATION starting at args[first].
Json Document(const Call& call, size_t first) {
  Json record = Json::object();
  record["sha256"] = healthcare::ParseSha256(call.args[first]);
  record["size"] = healthcare::ParseInteger("size", call.args[first + 1], 0, kMaxDocumentSize);
  CheckText("media type", call.args[first + 2], 255);
  Require(call.args[first + 2].find('/') != std::string::npos,
          "invalid media type '" + call.args[first + 2] + "': expected type/subtype");
  record["mediaType"] = call.args[first + 2];
  CheckText("vault location", call.args[first + 3], kMaxTextBytes);
  record["location"] = call.args[first + 3];
  return record;
}

// Completes and stores `record` (a Document) as the version after `previous` (nullptr: version 1), authored by
// the caller now, if the caller may write the patient's records of `category`.
Json StoreNewVersion(const Call& call, Json record, const std::string& record_id, const std::string& patient_id,
                     const std::string& category, const Json* previous) {
  record["authorisedBy"] = FindDoctorAccess(call, patient_id, /*write=*/true, category);
  record["recordId"] = record_id;
  record["patientId"] = patient_id;
  record["category"] = category;
  record["version"] = previous == nullptr ? 1 : previous->value("version", int64_t{0}) + 1;
  record["previousVersion"] = previous == nullptr ? Json(nullptr) : Json(previous->value("version", int64_t{0}));
  record["previousSha256"] = previous == nullptr ? Json(nullptr) : Json(previous->value("sha256", ""));
  record["author"] = IdentityJson(call.caller);
  record["recordedAt"] = call.Now();
  record["txId"] = call.stub.GetTxID();
  // The current-version key's history is the version chain; the version's own key finds it directly.
  PutJson(call, Key(call, kRecordKey, {record_id}), record);
  PutJson(call, VersionKey(call, record_id, record.value("version", int64_t{0})), record);
  Emit(call, "RecordVersionAdded", record);
  return record;
}

Response AddRecord(Call& call) {
  ForbidRegulatorWrite(call);
  CheckArgumentCount(call, 7, 7, "patientId, recordId, category, sha256, size, mediaType, location");
  RequireDoctor(call);
  const std::string& patient_id = call.args[0];
  const std::string& record_id = call.args[1];
  const std::string& category = call.args[2];
  CheckId("record ID", record_id);
  CheckId("category", category);
  Json document = Document(call, 3);
  MustLoadPatient(call, patient_id);
  Require(!call.stub.GetState(Key(call, kRecordKey, {record_id})).has_value(),
          "record " + record_id + " already exists");
  const Json record = StoreNewVersion(call, std::move(document), record_id, patient_id, category, nullptr);
  call.stub.PutState(Key(call, kPatientRecordKey, {patient_id, record_id}), record_id);
  return Success(record.dump());
}

Response AmendRecord(Call& call) {
  ForbidRegulatorWrite(call);
  CheckArgumentCount(call, 5, 5, "recordId, sha256, size, mediaType, location");
  RequireDoctor(call);
  const Json previous = MustLoadRecord(call, call.args[0]);
  const Json record = StoreNewVersion(call, Document(call, 1), call.args[0], previous.value("patientId", ""),
                                      previous.value("category", ""), &previous);
  return Success(record.dump());
}

Response GetRecord(Call& call) {
  CheckArgumentCount(call, 1, 2, "recordId[, version]");
  RequireReaderRole(call);
  const Json record = MustLoadVersion(call, call.args[0], call.args.size() == 2 ? &call.args[1] : nullptr);
  AuthoriseRead(call, MustLoadPatient(call, record.value("patientId", "")), record.value("category", ""));
  return Success(record.dump());
}

Response RecordHistory(Call& call) {
  CheckArgumentCount(call, 1, 1, "recordId");
  RequireReaderRole(call);
  const Json latest = MustLoadRecord(call, call.args[0]);
  AuthoriseRead(call, MustLoadPatient(call, latest.value("patientId", "")), latest.value("category", ""));
  Json history = Json::array();
  auto it = call.stub.GetHistoryForKey(Key(call, kRecordKey, {call.args[0]}));
  while (it->HasNext()) {
    const shim::KeyModification modification = it->Next();
    Json entry = Json::object();
    entry["txId"] = modification.tx_id;
    entry["timestamp"] = FormatTime(modification.timestamp);
    entry["isDelete"] = modification.is_delete;
    entry["record"] = nullptr;
    if (!modification.is_delete) {
      entry["record"] = ParseStored(modification.value, "a version of record " + call.args[0]);
    }
    history.push_back(std::move(entry));
  }
  return Success(history.dump());
}

Response ListRecords(Call& call) {
  CheckArgumentCount(call, 1, 1, "patientId");
  RequireReaderRole(call);
  const Json patient = MustLoadPatient(call, call.args[0]);
  // Doctors see the records of the categories they may read; the others (AuthoriseRead) see every record.
  const bool doctor = call.caller.role == "doctor";
  if (doctor) {
    RequireAnyDoctorAccess(call, call.args[0]);
  } else {
    AuthoriseRead(call, patient, "");
  }
  Json records = Json::array();
  auto it = call.stub.GetStateByPartialCompositeKey(kPatientRecordKey, {call.args[0]});
  while (it->HasNext()) {
    const Json record = MustLoadRecord(call, it->Next().value);
    if (doctor) {
      try {
        AuthoriseRead(call, patient, record.value("category", ""));
      } catch (const shim::ShimError&) {
        continue;
      }
    }
    records.push_back(record);
  }
  return Success(records.dump());
}

Response VerifyRecord(Call& call) {
  CheckArgumentCount(call, 2, 3, "recordId, sha256[, version]");
  const std::string sha256 = healthcare::ParseSha256(call.args[1]);
  const Json record = MustLoadVersion(call, call.args[0], call.args.size() == 3 ? &call.args[2] : nullptr);
  Json result = Json::object();
  result["recordId"] = call.args[0];
  result["version"] = record.value("version", int64_t{0});
  result["sha256"] = sha256;
  result["matches"] = record.value("sha256", "") == sha256;
  result["author"] = record.value("author", Json::object());
  result["recordedAt"] = record.value("recordedAt", "");
  result["txId"] = record.value("txId", "");
  // A hash that is not this version's may still be another version's (an outdated copy).
  result["matchesVersion"] = nullptr;
  for (int64_t version = record.value("version", int64_t{0}); version >= 1; --version) {
    std::optional<Json> candidate = LoadJson(call, VersionKey(call, call.args[0], version));
    if (candidate.has_value() && candidate->value("sha256", "") == sha256) {
      result["matchesVersion"] = version;
      break;
    }
  }
  return Success(result.dump());
}

// ----- Access log -----

Response LogAccess(Call& call) {
  ForbidRegulatorWrite(call);
  CheckArgumentCount(call, 1, 2, "recordId[, version]");
  RequireDoctor(call);
  const Json record = MustLoadVersion(call, call.args[0], call.args.size() == 2 ? &call.args[1] : nullptr);
  const std::string patient_id = record.value("patientId", "");
  Json entry = Json::object();
  entry["basis"] = FindDoctorAccess(call, patient_id, /*write=*/false, record.value("category", ""));
  entry["accessor"] = IdentityJson(call.caller);
  entry["recordId"] = call.args[0];
  entry["version"] = record.value("version", int64_t{0});
  entry["patientId"] = patient_id;
  entry["category"] = record.value("category", "");
  entry["sha256"] = record.value("sha256", "");
  entry["accessedAt"] = call.Now();
  entry["txId"] = call.stub.GetTxID();
  const std::string time = call.SortableNow();
  PutJson(call, Key(call, kAccessKey, {patient_id, time, call.stub.GetTxID()}), entry);
  PutJson(call, Key(call, kAccessByDoctorKey, {call.caller.msp_id, call.caller.person_id, time, call.stub.GetTxID()}),
          entry);
  Emit(call, "RecordAccessed", entry);
  return Success(entry.dump());
}

Response AccessLogByPatient(Call& call) {
  MustLoadPatientForAudit(call);
  Json log = Json::object();
  log["patientId"] = call.args[0];
  log["accesses"] = Entries(call, kAccessKey, {call.args[0]});
  log["emergencies"] = Entries(call, kEmergencyKey, {call.args[0]});
  return Success(log.dump());
}

Response AccessLogByDoctor(Call& call) {
  CheckArgumentCount(call, 2, 2, "doctorMsp, doctorPersonId");
  RequireRole(call, {"regulator", "doctor"});
  CheckId("doctor MSP ID", call.args[0]);
  CheckId("doctor person ID", call.args[1]);
  const Caller& caller = call.caller;
  if (caller.role == "doctor") {
    RequirePersonId(call);
    Require(caller.msp_id == call.args[0] && caller.person_id == call.args[1],
            "not authorised: " + caller.Describe() + " may read only their own access log");
  }
  Json log = Json::object();
  log["doctor"] = Json::object({{"msp", call.args[0]}, {"personId", call.args[1]}});
  log["accesses"] = Entries(call, kAccessByDoctorKey, {call.args[0], call.args[1]});
  log["emergencies"] = Entries(call, kEmergencyByDoctorKey, {call.args[0], call.args[1]});
  return Success(log.dump());
}

Response ListEmergencyAccesses(Call& call) {
  CheckArgumentCount(call, 0, 0, "none");
  RequireRole(call, {"regulator"});
  return Success(Entries(call, kEmergencyKey, {}).dump());
}

// ----- Dispatch -----

using Function = Response (*)(Call&);

const std::map<std::string, Function, std::less<>>& Functions() {
  static const auto* functions = new std::map<std::string, Function, std::less<>>{
      {"RegisterPatient", &RegisterPatient},
      {"GetPatient", &GetPatient},
      {"AddGuardian", &AddGuardian},
      {"RemoveGuardian", &RemoveGuardian},
      {"GrantConsent", &GrantConsent},
      {"RevokeConsent", &RevokeConsent},
      {"ListConsents", &ListConsents},
      {"OpenEmergencyAccess", &OpenEmergencyAccess},
      {"AddRecord", &AddRecord},
      {"AmendRecord", &AmendRecord},
      {"GetRecord", &GetRecord},
      {"RecordHistory", &RecordHistory},
      {"ListRecords", &ListRecords},
      {"VerifyRecord", &VerifyRecord},
      {"LogAccess", &LogAccess},
      {"AccessLogByPatient", &AccessLogByPatient},
      {"AccessLogByDoctor", &AccessLogByDoctor},
      {"ListEmergencyAccesses", &ListEmergencyAccesses},
  };
  return *functions;
}

}  // namespace

Response HealthcareChaincode::Invoke(ChaincodeStub& stub) {
  const shim::FunctionAndParameters parameters = stub.GetFunctionAndParameters();
  const auto it = Functions().find(parameters.function);
  if (it == Functions().end()) return shim::Error("unknown function: " + parameters.function);
  Call call{stub, parameters.function, parameters.parameters, healthcare::ReadCaller(stub.GetClientIdentity()),
            stub.GetTxTimestamp()};
  return it->second(call);
}

const careledger_chaincode_descriptor* HealthcareChaincodeDescriptor() {
  static constexpr careledger_chaincode_descriptor kDescriptor =
      shim::MakeChaincodeDescriptor<HealthcareChaincode>(kHealthcareChaincodeName);
  return &kDescriptor;
}

}  // namespace careledger::chaincode::builtin
