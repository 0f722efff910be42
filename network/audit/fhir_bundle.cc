#include "network/audit/fhir_bundle.h"

#include <cstdint>
#include <map>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/crypto/sha256.h"
#include "common/encoding/hex.h"
#include "common/status_macros.h"
#include "common/strings.h"
#include "network/audit/event_json.h"
#include "nlohmann/json.hpp"

namespace careledger::audit {
namespace {

using Json = nlohmann::json;

constexpr char kPatientSystem[] = "urn:careledger:patient";
constexpr char kRecordSystem[] = "urn:careledger:record";
constexpr char kCategorySystem[] = "urn:careledger:category";
constexpr char kActReason[] = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
// FHIR R4 Attachment.size is an unsignedInt: at most 2^31 - 1.
constexpr int64_t kMaxAttachmentSize = 2147483647;

Json Coding(std::string_view system, std::string_view code, std::string_view display = "") {
  Json coding = {{"system", system}, {"code", code}};
  if (!display.empty()) coding["display"] = display;
  return coding;
}

Json Concept(std::string_view system, std::string_view code, std::string_view display = "") {
  return {{"coding", Json::array({Coding(system, code, display)})}};
}

Json PatientReference(const std::string& patient_id) {
  return {{"identifier", {{"system", kPatientSystem}, {"value", patient_id}}}, {"display", "patient " + patient_id}};
}

// A person by identifier; one without a person ID (a hospital-wide grantee, an admin) by their organisation's.
Json PersonReference(const Person& person) {
  if (person.person_id.empty()) {
    return {{"identifier", {{"system", "urn:careledger:msp"}, {"value", person.msp}}}, {"display", PersonName(person)}};
  }
  return {{"identifier", {{"system", absl::StrCat("urn:careledger:person:", person.msp)}, {"value", person.person_id}}},
          {"display", PersonName(person)}};
}

// A stable resource id: "<prefix>-" and the first 48 hex digits of the transaction ID (FHIR ids have at most 64
// characters of [A-Za-z0-9-.]), falling back to a hash for an ID that is not hex.
std::string ResourceId(std::string_view prefix, const std::string& tx_id) {
  std::string id_part = tx_id;
  const bool hex = !tx_id.empty() && tx_id.find_first_not_of("0123456789abcdef") == std::string::npos;
  if (!hex) id_part = HexEncode(crypto::Sha256Bytes(tx_id));
  return absl::StrCat(AsAbsl(prefix), "-", id_part.substr(0, 48));
}

// A urn:uuid derived from the resource id (SHA-256, shaped as an RFC 9562 version 8 UUID).
std::string FullUrl(const std::string& resource_type, const std::string& id) {
  std::string bytes = crypto::Sha256Bytes(absl::StrCat("careledger:", resource_type, "/", id)).substr(0, 16);
  bytes[6] = static_cast<char>((static_cast<uint8_t>(bytes[6]) & 0x0f) | 0x80);
  bytes[8] = static_cast<char>((static_cast<uint8_t>(bytes[8]) & 0x3f) | 0x80);
  const std::string hex = HexEncode(bytes);
  return absl::StrCat("urn:uuid:", hex.substr(0, 8), "-", hex.substr(8, 4), "-", hex.substr(12, 4), "-",
                      hex.substr(16, 4), "-", hex.substr(20, 12));
}

Json Reference(const std::string& resource_type, const std::string& id, std::string display) {
  return {{"reference", FullUrl(resource_type, id)}, {"display", std::move(display)}};
}

class BundleBuilder {
 public:
  explicit BundleBuilder(const FhirBundleOptions& options) : options_(options) {}

  // First pass: where each record version's DocumentReference is, and which versions were superseded.
  void Index(const std::vector<AuditEntry>& entries) {
    for (const AuditEntry& entry : entries) {
      if (entry.kind != EntryKind::kRecordVersionAdded) continue;
      const Json payload = Json::parse(entry.event.payload, nullptr, false);
      absl::StatusOr<std::string> record = event_json::String(payload, "recordId");
      absl::StatusOr<int64_t> version = event_json::Integer(payload, "version");
      if (!record.ok() || !version.ok()) continue;
      documents_[{*record, *version}] = ResourceId("doc", entry.event.tx_id);
      int64_t& latest = latest_version_[*record];
      latest = std::max(latest, *version);
    }
  }

  absl::Status Add(const AuditEntry& entry) {
    const Json payload = Json::parse(entry.event.payload, nullptr, false);
    switch (entry.kind) {
      case EntryKind::kConsentGranted:
      case EntryKind::kConsentRevoked:
        return AddConsent(entry, payload);
      case EntryKind::kRecordVersionAdded:
        return AddDocument(entry, payload);
      case EntryKind::kRecordAccessed:
        return AddAccess(entry, payload);
      case EntryKind::kEmergencyAccessOpened:
        return AddEmergency(entry, payload);
      case EntryKind::kPatientRegistered:
      case EntryKind::kGuardianAdded:
      case EntryKind::kGuardianRemoved:
        return absl::OkStatus();
    }
    return absl::OkStatus();
  }

  std::string Finish(const std::vector<AuditEntry>& entries) {
    std::string tx_ids;
    for (const AuditEntry& entry : entries) absl::StrAppend(&tx_ids, entry.event.tx_id, ",");
    Json bundle = {{"resourceType", "Bundle"},
                   {"id", ResourceId("audit", HexEncode(crypto::Sha256Bytes(tx_ids)))},
                   {"type", "collection"},
                   {"timestamp", FormatRfc3339(options_.generated)},
                   {"entry", std::move(entries_)}};
    return bundle.dump(2) + "\n";
  }

 private:
  void Emit(Json resource) {
    const std::string type = resource["resourceType"];
    const std::string id = resource["id"];
    entries_.push_back({{"fullUrl", FullUrl(type, id)}, {"resource", std::move(resource)}});
  }

  // The reference to record `record` version `version`: inside the bundle if its DocumentReference is there,
  // by identifier otherwise.
  Json DocumentTarget(const std::string& record, int64_t version) const {
    const auto found = documents_.find({record, version});
    if (found != documents_.end()) {
      return Reference("DocumentReference", found->second, absl::StrCat("record ", record, " v", version));
    }
    return {{"identifier", {{"system", kRecordSystem}, {"value", absl::StrCat(record, "/v", version)}}},
            {"display", absl::StrCat("record ", record, " v", version)}};
  }

  static absl::StatusOr<Json> PurposeOf(const Json& basis) {
    ASSIGN_OR_RETURN(std::string type, event_json::String(basis, "type"));
    if (type == "emergency") {
      ASSIGN_OR_RETURN(std::string reason, event_json::String(basis, "reason"));
      Json purpose = Concept(kActReason, "ETREAT", "Emergency Treatment");
      purpose["text"] = reason;
      return purpose;
    }
    return Concept(kActReason, "TREAT", "treatment");
  }

  absl::Status AddConsent(const AuditEntry& entry, const Json& payload) {
    const bool granted = entry.kind == EntryKind::kConsentGranted;
    const Json* consent = &payload;
    if (!granted) {
      ASSIGN_OR_RETURN(consent, event_json::Field(payload, "consent"));
    }
    ASSIGN_OR_RETURN(Person grantee, event_json::PersonOf(*consent, "grantee"));
    ASSIGN_OR_RETURN(std::string expires, event_json::String(*consent, "expiresAt"));
    ASSIGN_OR_RETURN(std::vector<std::string> categories, event_json::Categories(*consent));
    ASSIGN_OR_RETURN(std::string when, event_json::String(payload, granted ? "grantedAt" : "revokedAt"));
    const auto read = consent->find("read");
    const auto write = consent->find("write");
    if (read == consent->end() || write == consent->end() || !read->is_boolean() || !write->is_boolean()) {
      return absl::InvalidArgumentError("consent fields 'read' and 'write' must be booleans");
    }
    Json actions = Json::array();
    if (read->get<bool>()) actions.push_back(Concept("http://terminology.hl7.org/CodeSystem/consentaction", "access"));
    if (write->get<bool>()) {
      actions.push_back(Concept("http://terminology.hl7.org/CodeSystem/consentaction", "correct"));
    }
    Json provision = {
        {"type", "permit"},
        {"period", {{"end", expires}}},
        {"actor", Json::array({{{"role", Concept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "PRCP",
                                                 "primary information recipient")},
                                {"reference", PersonReference(grantee)}}})},
        {"action", std::move(actions)}};
    if (!categories.empty()) {
      Json codes = Json::array();
      for (const std::string& category : categories) codes.push_back(Concept(kCategorySystem, category));
      provision["code"] = std::move(codes);
    }
    Json resource = {
        {"resourceType", "Consent"},
        {"id", ResourceId(granted ? "consent" : "revocation", entry.event.tx_id)},
        {"identifier", Json::array({{{"system", "urn:careledger:tx"}, {"value", entry.event.tx_id}}})},
        {"status", granted ? "active" : "inactive"},
        {"scope", Concept("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", "Privacy Consent")},
        {"category", Json::array({Concept("http://loinc.org", "59284-0", "Patient Consent")})},
        {"patient", PatientReference(entry.patient_id)},
        {"dateTime", when},
        {"performer", Json::array({PersonReference(entry.actor)})},
        {"policyRule", Concept("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN", "opt-in")},
        {"provision", std::move(provision)}};
    Emit(std::move(resource));
    return absl::OkStatus();
  }

  absl::Status AddDocument(const AuditEntry& entry, const Json& payload) {
    ASSIGN_OR_RETURN(std::string record, event_json::String(payload, "recordId"));
    ASSIGN_OR_RETURN(int64_t version, event_json::Integer(payload, "version"));
    ASSIGN_OR_RETURN(std::string category, event_json::String(payload, "category"));
    ASSIGN_OR_RETURN(std::string sha256_hex, event_json::String(payload, "sha256"));
    ASSIGN_OR_RETURN(int64_t size, event_json::Integer(payload, "size"));
    ASSIGN_OR_RETURN(std::string media_type, event_json::String(payload, "mediaType"));
    ASSIGN_OR_RETURN(std::string location, event_json::String(payload, "location"));
    ASSIGN_OR_RETURN(std::string recorded, event_json::String(payload, "recordedAt"));
    absl::StatusOr<std::string> sha256 = HexDecode(sha256_hex);
    if (!sha256.ok() || sha256->size() != crypto::kSha256Size) {
      return absl::InvalidArgumentError(absl::StrCat("field 'sha256' is not a SHA-256 in hex: '", sha256_hex, "'"));
    }
    const std::string id = ResourceId("doc", entry.event.tx_id);
    Json attachment = {{"contentType", media_type}, {"url", location}, {"hash", absl::Base64Escape(*sha256)}};
    if (size >= 0 && size <= kMaxAttachmentSize) attachment["size"] = size;
    Json document = {
        {"resourceType", "DocumentReference"},
        {"id", id},
        {"masterIdentifier", {{"system", kRecordSystem}, {"value", absl::StrCat(record, "/v", version)}}},
        {"identifier", Json::array({{{"system", kRecordSystem}, {"value", record}}})},
        {"status", version < latest_version_[record] ? "superseded" : "current"},
        {"category", Json::array({Concept(kCategorySystem, category)})},
        {"subject", PatientReference(entry.patient_id)},
        {"date", recorded},
        {"author", Json::array({PersonReference(entry.actor)})},
        {"content", Json::array({{{"attachment", std::move(attachment)}}})}};
    if (version > 1) {
      document["relatesTo"] = Json::array({{{"code", "replaces"}, {"target", DocumentTarget(record, version - 1)}}});
    }
    Emit(std::move(document));

    Json provenance = {
        {"resourceType", "Provenance"},
        {"id", ResourceId("prov", entry.event.tx_id)},
        {"target", Json::array({Reference("DocumentReference", id, absl::StrCat("record ", record, " v", version))})},
        {"recorded", recorded},
        {"activity",
         Concept("http://terminology.hl7.org/CodeSystem/v3-DataOperation", version > 1 ? "UPDATE" : "CREATE")},
        {"agent", Json::array({{{"type", Concept("http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                                                 "author", "Author")},
                                {"who", PersonReference(entry.actor)}}})}};
    if (const auto basis = payload.find("authorisedBy"); basis != payload.end() && basis->is_object()) {
      ASSIGN_OR_RETURN(Json purpose, PurposeOf(*basis));
      provenance["reason"] = Json::array({std::move(purpose)});
    }
    if (version > 1) {
      provenance["entity"] = Json::array({{{"role", "revision"}, {"what", DocumentTarget(record, version - 1)}}});
    }
    Emit(std::move(provenance));
    return absl::OkStatus();
  }

  Json Source() const {
    return {{"observer", {{"display", absl::StrCat("CareLedger channel ", options_.channel_id)}}},
            {"type", Json::array({Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4",
                                         "Application Server")})}};
  }

  absl::Status AddAccess(const AuditEntry& entry, const Json& payload) {
    ASSIGN_OR_RETURN(std::string record, event_json::String(payload, "recordId"));
    ASSIGN_OR_RETURN(int64_t version, event_json::Integer(payload, "version"));
    ASSIGN_OR_RETURN(std::string accessed, event_json::String(payload, "accessedAt"));
    ASSIGN_OR_RETURN(const Json* basis, event_json::Field(payload, "basis"));
    ASSIGN_OR_RETURN(Json purpose, PurposeOf(*basis));
    Json resource = {
        {"resourceType", "AuditEvent"},
        {"id", ResourceId("access", entry.event.tx_id)},
        {"type", Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation")},
        {"subtype", Json::array({Coding("http://hl7.org/fhir/restful-interaction", "read", "read")})},
        {"action", "R"},
        {"recorded", accessed},
        {"outcome", "0"},
        {"purposeOfEvent", Json::array({std::move(purpose)})},
        {"agent", Json::array({{{"who", PersonReference(entry.actor)}, {"requestor", true}}})},
        {"source", Source()},
        {"entity", Json::array({{{"what", DocumentTarget(record, version)},
                                 {"type", Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2",
                                                 "System Object")}},
                                {{"what", PatientReference(entry.patient_id)},
                                 {"type", Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1",
                                                 "Person")}}})}};
    Emit(std::move(resource));
    return absl::OkStatus();
  }

  absl::Status AddEmergency(const AuditEntry& entry, const Json& payload) {
    ASSIGN_OR_RETURN(std::string reason, event_json::String(payload, "reason"));
    ASSIGN_OR_RETURN(std::string opened, event_json::String(payload, "openedAt"));
    ASSIGN_OR_RETURN(std::string expires, event_json::String(payload, "expiresAt"));
    Json purpose = Concept(kActReason, "ETREAT", "Emergency Treatment");
    purpose["text"] = reason;
    Json resource = {
        {"resourceType", "AuditEvent"},
        {"id", ResourceId("breakglass", entry.event.tx_id)},
        {"type", Coding("http://dicom.nema.org/resources/ontology/DCM", "110113", "Security Alert")},
        {"subtype", Json::array({Coding("http://dicom.nema.org/resources/ontology/DCM", "110127",
                                        "Emergency Override Started")})},
        {"action", "R"},
        {"period", {{"start", opened}, {"end", expires}}},
        {"recorded", opened},
        {"outcome", "0"},
        {"outcomeDesc", absl::StrCat("break-glass access to patient ", entry.patient_id, "'s records opened")},
        {"purposeOfEvent", Json::array({std::move(purpose)})},
        {"agent", Json::array({{{"who", PersonReference(entry.actor)}, {"requestor", true}}})},
        {"source", Source()},
        {"entity", Json::array({{{"what", PatientReference(entry.patient_id)},
                                 {"type", Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1",
                                                 "Person")}}})}};
    Emit(std::move(resource));
    return absl::OkStatus();
  }

  const FhirBundleOptions& options_;
  std::map<std::pair<std::string, int64_t>, std::string> documents_;  // (record, version) -> resource id
  std::map<std::string, int64_t> latest_version_;
  Json entries_ = Json::array();
};

}  // namespace

absl::StatusOr<std::string> BuildFhirBundle(const std::vector<AuditEntry>& entries, const FhirBundleOptions& options) {
  BundleBuilder builder(options);
  builder.Index(entries);
  for (const AuditEntry& entry : entries) {
    if (absl::Status added = builder.Add(entry); !added.ok()) {
      return Annotate(added, absl::StrCat("FHIR export of block ", entry.event.block_number, " tx ",
                                          entry.event.tx_index, " (txid ", entry.event.tx_id, ")"));
    }
  }
  return builder.Finish(entries);
}

}  // namespace careledger::audit
