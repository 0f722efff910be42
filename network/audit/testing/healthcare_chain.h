// Test-only: a chain carrying real healthcare events. The built-in `healthcare` chaincode runs through the
// chaincode runtime's harness (real chaincode, in-memory state); each successful invocation's event is put in
// a signed endorser transaction of the committer's test channel, in blocks whose TRANSACTIONS_FILTER marks
// them VALID, with the channel header's timestamp the invocation's (1700000000 + N seconds for call N).
//
// The story, one call per transaction:
//   1  RegisterPatient P-1001                       by patient P-1001 (Hospital1MSP)
//   2  GrantConsent P-1001 -> D-1001 (H1) readwrite lab   by the patient
//   3  GrantConsent P-1001 -> every doctor of Hospital2MSP, read imaging   by the patient
//   4  AddRecord R-1 (lab) v1                        by D-1001
//   5  AmendRecord R-1 -> v2                         by D-1001
//   6  LogAccess R-1                                 by D-1001
//   7  OpenEmergencyAccess P-1001 "unconscious in the emergency room", 3600 s   by D-2001 (Hospital2MSP)
//   8  LogAccess R-1                                 by D-2001 (under the emergency access: R-1 is lab)
//   9  RevokeConsent P-1001 -> D-1001 (H1)           by the patient
//   10 RegisterPatient P-1002                        by the admin of Hospital1MSP
//   11 GrantConsent P-1002 -> D-1001 (H1) read       by patient P-1002
// Blocks: 0 genesis; 1: calls 1-3; 2: calls 4-6 plus an `asset` transaction (no event counted); 3: calls 7-8
// plus a copy of call 9's transaction marked MVCC_READ_CONFLICT (its event must not count); 4: calls 9-11.
#ifndef CARELEDGER_NETWORK_AUDIT_TESTING_HEALTHCARE_CHAIN_H_
#define CARELEDGER_NETWORK_AUDIT_TESTING_HEALTHCARE_CHAIN_H_

#include <string>
#include <vector>

#include "common/common.pb.h"

namespace careledger::audit::testing {

inline constexpr int64_t kHealthcareEpoch = 1700000000;

struct HealthcareChain {
  std::vector<::common::Block> blocks;
  std::vector<std::string> tx_ids;  // the VALID healthcare transactions' IDs, call 1 to 11
};

// Builds the chain above. Fails the test (ADD_FAILURE) if a call does not succeed.
HealthcareChain BuildHealthcareChain();

// The SHA-256 values (hex) of record R-1's versions 1 and 2.
inline const std::string kRecordSha1(64, 'a');
inline const std::string kRecordSha2(64, 'b');

}  // namespace careledger::audit::testing

#endif  // CARELEDGER_NETWORK_AUDIT_TESTING_HEALTHCARE_CHAIN_H_
