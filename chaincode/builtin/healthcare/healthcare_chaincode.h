// The `healthcare` chaincode: patients, their consent, clinical record provenance, emergency (break-glass)
// access and the access log of a healthcare consortium. Documents never go on the ledger: a record version holds
// the document's SHA-256, size, media type and vault location, its author and the transaction's time.
//
// Authority comes only from the caller's verified identity (caller.h): the certificate attributes `role`
// (doctor | nurse | patient | guardian | regulator) and `person_id`, the MSP ID (the hospital), and the node OU
// admin (hospital admins). IDs passed as arguments only say what the call is about, never who may do it.
//
//   RegisterPatient PATIENT PROFILE_REF                            patient themself, or an admin of their hospital
//   GetPatient PATIENT                                             → the patient, with their guardians
//   AddGuardian / RemoveGuardian PATIENT MSP PERSON                the patient
//   GrantConsent PATIENT MSP PERSON|* SCOPE CATEGORIES EXPIRES     the patient or a guardian
//   RevokeConsent PATIENT MSP PERSON|*                             the patient or a guardian
//   ListConsents PATIENT                                           → current (unexpired) grants
//   OpenEmergencyAccess PATIENT REASON DURATION_SECONDS            a doctor; flagged for review
//   AddRecord PATIENT RECORD CATEGORY SHA256 SIZE MEDIA_TYPE LOCATION   a doctor with write consent or emergency
//   AmendRecord RECORD SHA256 SIZE MEDIA_TYPE LOCATION             idem; a new version linked to the previous
//   GetRecord RECORD [VERSION]  RecordHistory RECORD  ListRecords PATIENT     readers of the patient's records
//   VerifyRecord RECORD SHA256 [VERSION]                           anyone: registered or not, by whom, when
//   LogAccess RECORD [VERSION]                                     a doctor with read consent or emergency
//   AccessLogByPatient PATIENT  AccessLogByDoctor MSP PERSON  ListEmergencyAccesses    audit (regulator)
//
// Every refusal is status 500 with a stable reason text; times compare against the transaction's timestamp,
// never the clock. docs/healthcare-chaincode.md is the full contract: arguments, JSON results, key layout,
// rules, reason texts and events.
#ifndef CARELEDGER_CHAINCODE_BUILTIN_HEALTHCARE_HEALTHCARE_CHAINCODE_H_
#define CARELEDGER_CHAINCODE_BUILTIN_HEALTHCARE_HEALTHCARE_CHAINCODE_H_

#include "careledger/chaincode_abi.h"
#include "careledger/shim/chaincode.h"

namespace careledger::chaincode::builtin {

inline constexpr char kHealthcareChaincodeName[] = "healthcare";

class HealthcareChaincode : public shim::Chaincode {
 public:
  shim::Response Invoke(shim::ChaincodeStub& stub) override;
};

// The descriptor to register (ChaincodeRegistry::AddBuiltin(kHealthcareChaincodeName, ...)). Static.
const careledger_chaincode_descriptor* HealthcareChaincodeDescriptor();

}  // namespace careledger::chaincode::builtin

#endif  // CARELEDGER_CHAINCODE_BUILTIN_HEALTHCARE_HEALTHCARE_CHAINCODE_H_
