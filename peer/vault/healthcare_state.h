// What the vault reads of the healthcare chaincode's committed state (docs/healthcare-chaincode.md, "Key
// layout"): a record's patient and every version's document hash, the patient's hospital, and guardians. Read
// from one snapshot, so the answers agree with each other.
#ifndef CARELEDGER_PEER_VAULT_HEALTHCARE_STATE_H_
#define CARELEDGER_PEER_VAULT_HEALTHCARE_STATE_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "peer/ledger/state/state_snapshot.h"

namespace careledger::vault {

struct RecordVersionDocument {
  uint64_t version = 0;
  std::string sha256;
};

struct RecordDocuments {
  std::string record_id;
  std::string patient_id;
  std::string hospital_msp;  // the MSP the patient was registered at
  std::vector<RecordVersionDocument> versions;  // 1 .. latest
};

// The chaincode's composite key of `type` and `attributes` (Fabric's "\0type\0attr1\0attr2\0").
std::string CompositeKey(std::string_view type, std::initializer_list<std::string_view> attributes);

// The record's patient, their hospital and every version's hash. NotFound "unknown record R"; DataLoss if a
// stored value is not what the chaincode writes (naming the key); the snapshot's storage errors.
absl::StatusOr<RecordDocuments> ReadRecordDocuments(const ledger::StateSnapshot& state, std::string_view record_id);

// Whether (msp, person_id) is a guardian of the patient. The snapshot's storage errors.
absl::StatusOr<bool> IsGuardian(const ledger::StateSnapshot& state, std::string_view patient_id, std::string_view msp,
                                std::string_view person_id);

}  // namespace careledger::vault

#endif  // CARELEDGER_PEER_VAULT_HEALTHCARE_STATE_H_
