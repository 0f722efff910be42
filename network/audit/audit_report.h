// `careledger audit report`: the healthcare chaincode's events (audit_events.h) read as audit entries — who did
// what to which patient's consent, records and access log — filtered by patient, doctor and time, and printed as
// a table or as JSON. The FHIR export (fhir_bundle.h) builds on the same entries.
//
// Pure functions; thread-safe.
#ifndef CARELEDGER_NETWORK_AUDIT_AUDIT_REPORT_H_
#define CARELEDGER_NETWORK_AUDIT_AUDIT_REPORT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "network/audit/audit_events.h"

namespace careledger::audit {

// The events of the healthcare chaincode (docs/healthcare-chaincode.md, "Events").
enum class EntryKind {
  kPatientRegistered,
  kGuardianAdded,
  kGuardianRemoved,
  kConsentGranted,
  kConsentRevoked,
  kEmergencyAccessOpened,
  kRecordVersionAdded,
  kRecordAccessed,
};

// "ConsentGranted" for kConsentGranted: the event's name.
std::string_view EntryKindName(EntryKind kind);

// A person of the consortium: (MSP, person ID). A hospital-wide consent's grantee has an empty person_id.
struct Person {
  std::string msp;
  std::string person_id;

  friend bool operator==(const Person&, const Person&) = default;
};

// "D-1001 (Hospital1MSP)", "every doctor of Hospital1MSP" for an empty person ID.
std::string PersonName(const Person& person);

// One event, read.
struct AuditEntry {
  ChainEvent event;
  EntryKind kind = EntryKind::kPatientRegistered;
  std::string patient_id;
  Person actor;  // who submitted it: registeredBy, addedBy, grantedBy, revokedBy, doctor, author, accessor
  std::optional<Person> doctor;  // the doctor it concerns: a consent's grantee, the emergency's doctor, the
                                 // record's author, the accessor
  std::string summary;          // one line for the table
};

// Reads `events` (the healthcare chaincode's, as CollectEvents returns them) into entries, in the same order.
// InvalidArgument naming the block, transaction and event if a payload is not the JSON object the chaincode
// writes for that event (a field missing or of the wrong type), or the event's name is not one of EntryKind.
absl::StatusOr<std::vector<AuditEntry>> ReadAuditEntries(const std::vector<ChainEvent>& events);

struct ReportFilter {
  std::optional<std::string> patient_id;
  // Entries the doctor acted in or that concern them: consents granted to them or to every doctor of their
  // hospital (and the revocations of those), their emergency accesses, record versions they wrote, their accesses.
  std::optional<Person> doctor;
  std::optional<absl::Time> from;   // inclusive: the transaction's timestamp >= from
  std::optional<absl::Time> until;  // exclusive: the transaction's timestamp < until
};

bool Matches(const AuditEntry& entry, const ReportFilter& filter);
std::vector<AuditEntry> FilterEntries(std::vector<AuditEntry> entries, const ReportFilter& filter);

// --from/--to values: RFC 3339 ("2026-11-25T08:00:00Z", any offset) or a date ("2026-11-25", UTC). For --from
// the instant itself (a date: its start); for --to the instant just after it (a date: the start of the next
// day), so that `--to` is inclusive and ReportFilter::until exclusive. InvalidArgument naming `flag` otherwise.
absl::StatusOr<absl::Time> ParseFromTime(std::string_view flag, std::string_view text);
absl::StatusOr<absl::Time> ParseUntilTime(std::string_view flag, std::string_view text);

// "Hospital1MSP:D-1001". InvalidArgument unless there is exactly one ':' with text on both sides.
absl::StatusOr<Person> ParsePerson(std::string_view text);

// A fixed-width table with a header line: TIME, BLOCK, TX (first 12 hex digits of the ID), EVENT, PATIENT,
// BY, DETAILS; "no entries" when empty.
std::string FormatTable(const std::vector<AuditEntry>& entries);

// {"entries":[{"block","details","event","patientId","payload","timestamp","txId","txIndex","by"}...],
//  "filter":{...}} with keys sorted; "payload" is the event's JSON object as the chaincode wrote it.
std::string FormatJson(const std::vector<AuditEntry>& entries, const ReportFilter& filter);

// RFC 3339 UTC with nanoseconds only when not zero, as the chaincode writes times.
std::string FormatRfc3339(absl::Time time);

}  // namespace careledger::audit

#endif  // CARELEDGER_NETWORK_AUDIT_AUDIT_REPORT_H_
