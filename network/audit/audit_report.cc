#include "network/audit/audit_report.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "common/strings.h"
#include "network/audit/event_json.h"
#include "nlohmann/json.hpp"

namespace careledger::audit {
namespace {

using Json = nlohmann::json;

constexpr struct {
  EntryKind kind;
  std::string_view name;
} kKinds[] = {
    {EntryKind::kPatientRegistered, "PatientRegistered"},
    {EntryKind::kGuardianAdded, "GuardianAdded"},
    {EntryKind::kGuardianRemoved, "GuardianRemoved"},
    {EntryKind::kConsentGranted, "ConsentGranted"},
    {EntryKind::kConsentRevoked, "ConsentRevoked"},
    {EntryKind::kEmergencyAccessOpened, "EmergencyAccessOpened"},
    {EntryKind::kRecordVersionAdded, "RecordVersionAdded"},
    {EntryKind::kRecordAccessed, "RecordAccessed"},
};

std::optional<EntryKind> KindNamed(std::string_view name) {
  for (const auto& [kind, kind_name] : kKinds) {
    if (kind_name == name) return kind;
  }
  return std::nullopt;
}

std::string ShortHash(std::string_view hex) {
  return hex.size() > 12 ? absl::StrCat(AsAbsl(hex.substr(0, 12)), "…") : std::string(hex);
}

// "consent <grant tx>" or "emergency <tx>: <reason>": why the doctor was allowed (the chaincode's basis).
absl::StatusOr<std::string> BasisText(const Json& basis) {
  ASSIGN_OR_RETURN(std::string type, event_json::String(basis, "type"));
  if (type == "emergency") {
    ASSIGN_OR_RETURN(std::string reason, event_json::String(basis, "reason"));
    return absl::StrCat("emergency access: ", reason);
  }
  ASSIGN_OR_RETURN(std::string grant, event_json::String(basis, "grantTxId"));
  return absl::StrCat("consent ", ShortHash(grant));
}

absl::Status ReadEntry(const Json& payload, AuditEntry& entry) {
  using event_json::Field;
  using event_json::IdentityOf;
  using event_json::String;
  switch (entry.kind) {
    case EntryKind::kPatientRegistered: {
      ASSIGN_OR_RETURN(entry.patient_id, String(payload, "patientId"));
      ASSIGN_OR_RETURN(entry.actor, IdentityOf(payload, "registeredBy"));
      ASSIGN_OR_RETURN(std::string hospital, String(payload, "hospital"));
      entry.summary = absl::StrCat("registered at ", hospital);
      return absl::OkStatus();
    }
    case EntryKind::kGuardianAdded:
    case EntryKind::kGuardianRemoved: {
      const bool added = entry.kind == EntryKind::kGuardianAdded;
      ASSIGN_OR_RETURN(entry.patient_id, String(payload, "patientId"));
      ASSIGN_OR_RETURN(entry.actor, IdentityOf(payload, added ? "addedBy" : "removedBy"));
      ASSIGN_OR_RETURN(Person guardian, event_json::PersonOf(payload, "guardian"));
      entry.summary = absl::StrCat(added ? "guardian added: " : "guardian removed: ", PersonName(guardian));
      return absl::OkStatus();
    }
    case EntryKind::kConsentGranted:
    case EntryKind::kConsentRevoked: {
      const bool granted = entry.kind == EntryKind::kConsentGranted;
      ASSIGN_OR_RETURN(entry.patient_id, String(payload, "patientId"));
      ASSIGN_OR_RETURN(entry.actor, IdentityOf(payload, granted ? "grantedBy" : "revokedBy"));
      const Json* consent = &payload;
      if (!granted) {
        ASSIGN_OR_RETURN(consent, Field(payload, "consent"));
      }
      ASSIGN_OR_RETURN(Person grantee, event_json::PersonOf(*consent, "grantee"));
      entry.doctor = grantee;
      ASSIGN_OR_RETURN(std::string scope, String(*consent, "scope"));
      ASSIGN_OR_RETURN(std::vector<std::string> categories, event_json::Categories(*consent));
      ASSIGN_OR_RETURN(std::string expires, String(*consent, "expiresAt"));
      entry.summary = absl::StrCat(granted ? "granted " : "revoked ", scope, " consent to ", PersonName(grantee),
                                   ", categories ", categories.empty() ? "all" : absl::StrJoin(categories, ","),
                                   granted ? ", until " : ", which ran until ", expires);
      return absl::OkStatus();
    }
    case EntryKind::kEmergencyAccessOpened: {
      ASSIGN_OR_RETURN(entry.patient_id, String(payload, "patientId"));
      ASSIGN_OR_RETURN(entry.actor, IdentityOf(payload, "doctor"));
      entry.doctor = entry.actor;
      ASSIGN_OR_RETURN(std::string reason, String(payload, "reason"));
      ASSIGN_OR_RETURN(std::string expires, String(payload, "expiresAt"));
      entry.summary = absl::StrCat("BREAK-GLASS until ", expires, ": ", reason);
      return absl::OkStatus();
    }
    case EntryKind::kRecordVersionAdded: {
      ASSIGN_OR_RETURN(entry.patient_id, String(payload, "patientId"));
      ASSIGN_OR_RETURN(entry.actor, IdentityOf(payload, "author"));
      entry.doctor = entry.actor;
      ASSIGN_OR_RETURN(std::string record, String(payload, "recordId"));
      ASSIGN_OR_RETURN(int64_t version, event_json::Integer(payload, "version"));
      ASSIGN_OR_RETURN(std::string category, String(payload, "category"));
      ASSIGN_OR_RETURN(std::string sha256, String(payload, "sha256"));
      ASSIGN_OR_RETURN(const Json* basis, Field(payload, "authorisedBy"));
      ASSIGN_OR_RETURN(std::string why, BasisText(*basis));
      entry.summary = absl::StrCat("record ", record, " v", version, " (", category, ", sha256 ", ShortHash(sha256),
                                   ") under ", why);
      return absl::OkStatus();
    }
    case EntryKind::kRecordAccessed: {
      ASSIGN_OR_RETURN(entry.patient_id, String(payload, "patientId"));
      ASSIGN_OR_RETURN(entry.actor, IdentityOf(payload, "accessor"));
      entry.doctor = entry.actor;
      ASSIGN_OR_RETURN(std::string record, String(payload, "recordId"));
      ASSIGN_OR_RETURN(int64_t version, event_json::Integer(payload, "version"));
      ASSIGN_OR_RETURN(const Json* basis, Field(payload, "basis"));
      ASSIGN_OR_RETURN(std::string why, BasisText(*basis));
      entry.summary = absl::StrCat("read record ", record, " v", version, " under ", why);
      return absl::OkStatus();
    }
  }
  return absl::InvalidArgumentError("unknown entry kind");
}

absl::StatusOr<absl::Time> ParseDate(std::string_view text) {
  absl::Time time;
  std::string error;
  if (text.size() == 10 && absl::ParseTime("%Y-%m-%d", AsAbsl(text), absl::UTCTimeZone(), &time, &error)) return time;
  return absl::InvalidArgumentError("not a date");
}

absl::StatusOr<absl::Time> ParseInstant(std::string_view flag, std::string_view text, bool* is_date) {
  *is_date = false;
  if (absl::StatusOr<absl::Time> date = ParseDate(text); date.ok()) {
    *is_date = true;
    return date;
  }
  absl::Time time;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, AsAbsl(text), &time, &error)) return time;
  return absl::InvalidArgumentError(absl::StrCat(AsAbsl(flag), " '", AsAbsl(text),
                                                 "' is neither an RFC 3339 time (2026-11-25T08:00:00Z) nor a date "
                                                 "(2026-11-25)"));
}

// Who acted: only a hospital admin writes without a person ID.
std::string ActorName(const Person& actor) {
  return actor.person_id.empty() ? absl::StrCat("admin of ", actor.msp) : PersonName(actor);
}

std::string Pad(std::string text, size_t width) {
  // Column widths count bytes; the summaries may hold UTF-8 ("…"), which only the last column carries.
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

}  // namespace

std::string_view EntryKindName(EntryKind kind) {
  for (const auto& [k, name] : kKinds) {
    if (k == kind) return name;
  }
  return "";
}

std::string PersonName(const Person& person) {
  if (person.person_id.empty()) return absl::StrCat("every doctor of ", person.msp);
  return absl::StrCat(person.person_id, " (", person.msp, ")");
}

absl::StatusOr<std::vector<AuditEntry>> ReadAuditEntries(const std::vector<ChainEvent>& events) {
  std::vector<AuditEntry> entries;
  entries.reserve(events.size());
  for (const ChainEvent& event : events) {
    const std::string where = absl::StrCat("block ", event.block_number, " tx ", event.tx_index, " (txid ",
                                           event.tx_id, ") event ", event.name);
    std::optional<EntryKind> kind = KindNamed(event.name);
    if (!kind) return absl::InvalidArgumentError(absl::StrCat(where, ": not an event of the healthcare chaincode"));
    const Json payload = Json::parse(event.payload, nullptr, /*allow_exceptions=*/false);
    if (!payload.is_object()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": the payload is not a JSON object"));
    }
    AuditEntry entry;
    entry.event = event;
    entry.kind = *kind;
    if (absl::Status read = ReadEntry(payload, entry); !read.ok()) return Annotate(read, where);
    entries.push_back(std::move(entry));
  }
  return entries;
}

bool Matches(const AuditEntry& entry, const ReportFilter& filter) {
  if (filter.patient_id && entry.patient_id != *filter.patient_id) return false;
  if (filter.from && entry.event.timestamp < *filter.from) return false;
  if (filter.until && entry.event.timestamp >= *filter.until) return false;
  if (filter.doctor) {
    const Person& doctor = *filter.doctor;
    const bool concerned = entry.doctor && (*entry.doctor == doctor ||
                                            (entry.doctor->person_id.empty() && entry.doctor->msp == doctor.msp));
    if (!concerned && !(entry.actor == doctor)) return false;
  }
  return true;
}

std::vector<AuditEntry> FilterEntries(std::vector<AuditEntry> entries, const ReportFilter& filter) {
  std::erase_if(entries, [&filter](const AuditEntry& entry) { return !Matches(entry, filter); });
  return entries;
}

absl::StatusOr<absl::Time> ParseFromTime(std::string_view flag, std::string_view text) {
  bool is_date = false;
  return ParseInstant(flag, text, &is_date);
}

absl::StatusOr<absl::Time> ParseUntilTime(std::string_view flag, std::string_view text) {
  bool is_date = false;
  ASSIGN_OR_RETURN(absl::Time time, ParseInstant(flag, text, &is_date));
  return is_date ? time + absl::Hours(24) : time + absl::Nanoseconds(1);
}

absl::StatusOr<Person> ParsePerson(std::string_view text) {
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size() ||
      text.find(':', colon + 1) != std::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", AsAbsl(text), "' is not MSP:PERSON_ID (e.g. Hospital1MSP:D-1001)"));
  }
  return Person{std::string(text.substr(0, colon)), std::string(text.substr(colon + 1))};
}

std::string FormatRfc3339(absl::Time time) {
  const absl::Duration since_second = time - absl::FromUnixSeconds(absl::ToUnixSeconds(time));
  if (since_second == absl::ZeroDuration() || since_second < absl::ZeroDuration()) {
    return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", time, absl::UTCTimeZone());
  }
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E9SZ", time, absl::UTCTimeZone());
}

std::string FormatTable(const std::vector<AuditEntry>& entries) {
  if (entries.empty()) return "no entries\n";
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"TIME", "BLOCK", "TX", "EVENT", "PATIENT", "BY", "DETAILS"});
  for (const AuditEntry& entry : entries) {
    rows.push_back({FormatRfc3339(entry.event.timestamp), absl::StrCat(entry.event.block_number),
                    entry.event.tx_id.substr(0, 12), std::string(EntryKindName(entry.kind)), entry.patient_id,
                    ActorName(entry.actor), entry.summary});
  }
  std::vector<size_t> widths(rows.front().size(), 0);
  for (const auto& row : rows) {
    for (size_t c = 0; c + 1 < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  std::string table;
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      absl::StrAppend(&table, c + 1 < row.size() ? Pad(row[c], widths[c] + 2) : row[c]);
    }
    absl::StrAppend(&table, "\n");
  }
  return table;
}

std::string FormatJson(const std::vector<AuditEntry>& entries, const ReportFilter& filter) {
  Json list = Json::array();
  for (const AuditEntry& entry : entries) {
    Json item;
    item["block"] = entry.event.block_number;
    item["txIndex"] = entry.event.tx_index;
    item["txId"] = entry.event.tx_id;
    item["timestamp"] = FormatRfc3339(entry.event.timestamp);
    item["event"] = std::string(EntryKindName(entry.kind));
    item["patientId"] = entry.patient_id;
    item["by"] = {{"msp", entry.actor.msp}, {"personId", entry.actor.person_id}};
    item["details"] = entry.summary;
    item["payload"] = Json::parse(entry.event.payload, nullptr, /*allow_exceptions=*/false);
    list.push_back(std::move(item));
  }
  Json filters = Json::object();
  if (filter.patient_id) filters["patientId"] = *filter.patient_id;
  if (filter.doctor) filters["doctor"] = {{"msp", filter.doctor->msp}, {"personId", filter.doctor->person_id}};
  if (filter.from) filters["from"] = FormatRfc3339(*filter.from);
  if (filter.until) filters["until"] = FormatRfc3339(*filter.until);
  Json report = {{"entries", std::move(list)}, {"filter", std::move(filters)}};
  return report.dump(2) + "\n";
}

}  // namespace careledger::audit
