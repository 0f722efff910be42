// The audit report as HL7 FHIR R4 resources, for hospital systems to import: a Bundle of type "collection"
// (docs/audit.md has the mapping table).
//
//   ConsentGranted         -> Consent, status "active"
//   ConsentRevoked         -> Consent, status "inactive" (the revoked consent's terms)
//   RecordVersionAdded     -> DocumentReference (the document: attachment with its SHA-256 as base64, size,
//                             media type, vault location; relatesTo "replaces" the previous version)
//                             + Provenance (target that DocumentReference, recorded, agent author)
//   RecordAccessed         -> AuditEvent (type rest/read, action R, the accessor, the document and patient;
//                             purposeOfEvent ETREAT with the reason when the access was under break-glass)
//   EmergencyAccessOpened  -> AuditEvent (type Emergency Override Started, action R, period, purposeOfEvent
//                             ETREAT with the reason)
//   PatientRegistered, GuardianAdded/Removed: no resource (they are in the table and the JSON report).
//
// People are logical references by identifier — patients {system "urn:careledger:patient", value patient ID},
// others {system "urn:careledger:person:<MSP ID>", value person ID} — since the bundle carries no Patient or
// Practitioner resources. Resource ids are stable: derived from the transaction ID ("<type prefix>-" + its first
// 48 hex digits), and fullUrls are urn:uuid URNs derived from the same, so exporting the same chain twice gives
// the same resources and references inside the bundle resolve.
//
// Pure; thread-safe.
#ifndef CARELEDGER_NETWORK_AUDIT_FHIR_BUNDLE_H_
#define CARELEDGER_NETWORK_AUDIT_FHIR_BUNDLE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "network/audit/audit_report.h"

namespace careledger::audit {

struct FhirBundleOptions {
  std::string channel_id;  // names the ledger in AuditEvent.source.observer
  absl::Time generated;    // Bundle.timestamp: when the export was made (the caller's clock)
};

// The Bundle as JSON (two-space indentation, keys sorted). InvalidArgument naming the transaction if an entry's
// payload lacks a field a resource needs (ReadAuditEntries has already checked most of them).
absl::StatusOr<std::string> BuildFhirBundle(const std::vector<AuditEntry>& entries, const FhirBundleOptions& options);

}  // namespace careledger::audit

#endif  // CARELEDGER_NETWORK_AUDIT_FHIR_BUNDLE_H_
