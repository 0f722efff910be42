#include "peer/vault/healthcare_state.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status_macros.h"
#include "nlohmann/json.hpp"
#include "peer/vault/access_check.h"

namespace careledger::vault {
namespace {

// The chaincode records IDs of at most 64 characters; anything longer cannot name one.
constexpr size_t kMaxIdLength = 64;
// A record has at most this many versions as far as the vault is concerned (the chaincode allows 10 digits;
// scanning billions of keys on request would be a denial of service).
constexpr uint64_t kMaxVersions = 100000;

absl::StatusOr<std::optional<nlohmann::json>> LoadObject(const ledger::StateSnapshot& state, std::string_view key,
                                                         std::string_view what) {
  ASSIGN_OR_RETURN(std::optional<ledger::VersionedValue> value, state.Get(kHealthcareChaincode, key));
  if (!value.has_value()) return std::optional<nlohmann::json>();
  nlohmann::json json = nlohmann::json::parse(value->value, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) {
    return absl::DataLossError(absl::StrCat("the healthcare chaincode's ", AsAbsl(what), " is not a JSON object"));
  }
  return std::optional<nlohmann::json>(std::move(json));
}

absl::StatusOr<std::string> StringField(const nlohmann::json& object, const char* field, std::string_view what) {
  auto it = object.find(field);
  if (it == object.end() || !it->is_string()) {
    return absl::DataLossError(absl::StrCat("the healthcare chaincode's ", AsAbsl(what), " has no string ", field));
  }
  return it->get<std::string>();
}

}  // namespace

std::string CompositeKey(std::string_view type, std::initializer_list<std::string_view> attributes) {
  std::string key(1, '\0');
  key += type;
  key += '\0';
  for (std::string_view attribute : attributes) {
    key += attribute;
    key += '\0';
  }
  return key;
}

absl::StatusOr<RecordDocuments> ReadRecordDocuments(const ledger::StateSnapshot& state, std::string_view record_id) {
  const std::string unknown = absl::StrCat("unknown record ", AsAbsl(record_id.substr(0, kMaxIdLength)));
  if (record_id.empty() || record_id.size() > kMaxIdLength) return absl::NotFoundError(unknown);
  const std::string what = absl::StrCat("record ", AsAbsl(record_id));
  ASSIGN_OR_RETURN(std::optional<nlohmann::json> current,
                   LoadObject(state, CompositeKey("record", {record_id}), what));
  if (!current.has_value()) return absl::NotFoundError(unknown);
  RecordDocuments out;
  out.record_id = std::string(record_id);
  ASSIGN_OR_RETURN(out.patient_id, StringField(*current, "patientId", what));
  auto latest = current->find("version");
  if (latest == current->end() || !latest->is_number_unsigned() || latest->get<uint64_t>() < 1 ||
      latest->get<uint64_t>() > kMaxVersions) {
    return absl::DataLossError(absl::StrCat("the healthcare chaincode's ", what, " has no usable version"));
  }
  const std::string patient_what = absl::StrCat("patient ", out.patient_id);
  ASSIGN_OR_RETURN(std::optional<nlohmann::json> patient,
                   LoadObject(state, CompositeKey("patient", {out.patient_id}), patient_what));
  if (!patient.has_value()) {
    return absl::DataLossError(absl::StrCat(what, " names patient ", out.patient_id, ", who is not registered"));
  }
  ASSIGN_OR_RETURN(out.hospital_msp, StringField(*patient, "hospital", patient_what));
  for (uint64_t version = 1; version <= latest->get<uint64_t>(); ++version) {
    const std::string version_what = absl::StrCat(what, " version ", version);
    ASSIGN_OR_RETURN(std::optional<nlohmann::json> entry,
                     LoadObject(state, CompositeKey("recordVersion", {record_id, absl::StrFormat("%010d", version)}),
                                version_what));
    if (!entry.has_value()) return absl::DataLossError(absl::StrCat("the healthcare chaincode has no ", version_what));
    ASSIGN_OR_RETURN(std::string sha256, StringField(*entry, "sha256", version_what));
    out.versions.push_back({version, std::move(sha256)});
  }
  return out;
}

absl::StatusOr<bool> IsGuardian(const ledger::StateSnapshot& state, std::string_view patient_id, std::string_view msp,
                                std::string_view person_id) {
  ASSIGN_OR_RETURN(std::optional<ledger::VersionedValue> value,
                   state.Get(kHealthcareChaincode, CompositeKey("guardian", {patient_id, msp, person_id})));
  return value.has_value();
}

}  // namespace careledger::vault
