// Internal to network/audit: reading the fields of the healthcare chaincode's event payloads (JSON objects,
// docs/healthcare-chaincode.md) with errors that name the field, for audit_report.cc and fhir_bundle.cc.
#ifndef CARELEDGER_NETWORK_AUDIT_EVENT_JSON_H_
#define CARELEDGER_NETWORK_AUDIT_EVENT_JSON_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "network/audit/audit_report.h"
#include "nlohmann/json.hpp"

namespace careledger::audit::event_json {

// The member `key` of `object`, present and not null. InvalidArgument "field 'key' is missing" otherwise.
absl::StatusOr<const nlohmann::json*> Field(const nlohmann::json& object, std::string_view key);
// A string member. InvalidArgument if missing or not a string.
absl::StatusOr<std::string> String(const nlohmann::json& object, std::string_view key);
// A string member that may be null or absent (nullopt). InvalidArgument if present and not a string.
absl::StatusOr<std::optional<std::string>> OptionalString(const nlohmann::json& object, std::string_view key);
// An integer member. InvalidArgument if missing or not an integer.
absl::StatusOr<int64_t> Integer(const nlohmann::json& object, std::string_view key);
// An identity object ({"msp","personId"|null,...}) or a person ({"msp","personId"|null}) in member `key`.
absl::StatusOr<Person> PersonOf(const nlohmann::json& object, std::string_view key);
// The identity who acted; the same as PersonOf (kept apart for the reader: identities carry role and admin).
absl::StatusOr<Person> IdentityOf(const nlohmann::json& object, std::string_view key);
// A consent's "categories" (empty: every category).
absl::StatusOr<std::vector<std::string>> Categories(const nlohmann::json& consent);

}  // namespace careledger::audit::event_json

#endif  // CARELEDGER_NETWORK_AUDIT_EVENT_JSON_H_
