// The ledger as a running chaincode sees it during endorsement: chaincode::LedgerAccess over the
// transaction simulator, scoped to one namespace (the invoked chaincode's, or "_lifecycle"), so that every
// read and write lands in the proposal's read-write set. History queries go to the channel's history index
// and are not recorded (Fabric does not record them either: they cannot be re-validated at commit).
#ifndef CARELEDGER_PEER_ENDORSER_SIMULATED_LEDGER_ACCESS_H_
#define CARELEDGER_PEER_ENDORSER_SIMULATED_LEDGER_ACCESS_H_

#include <string>

#include "chaincode/runtime/ledger_access.h"
#include "peer/endorser/endorser_channel.h"
#include "peer/ledger/txsim/tx_simulator.h"

namespace careledger::endorser {

// Not thread-safe (one invocation, one thread at a time, as the LedgerAccess contract says). `simulator` and
// `channel` must outlive it.
class SimulatedLedgerAccess final : public chaincode::LedgerAccess {
 public:
  SimulatedLedgerAccess(std::string ns, ledger::TxSimulator& simulator, const EndorserChannel& channel)
      : ns_(std::move(ns)), simulator_(simulator), channel_(channel) {}

  absl::StatusOr<std::optional<std::string>> GetState(std::string_view key) override;
  absl::Status PutState(std::string_view key, std::string_view value) override;
  absl::Status DelState(std::string_view key) override;
  absl::StatusOr<std::unique_ptr<chaincode::ResultIterator<chaincode::KeyValue>>> GetStateByRange(
      std::string_view start_key, std::string_view end_key) override;
  absl::StatusOr<std::unique_ptr<chaincode::ResultIterator<chaincode::KeyModification>>> GetHistoryForKey(
      std::string_view key) override;

 private:
  const std::string ns_;
  ledger::TxSimulator& simulator_;
  const EndorserChannel& channel_;
};

}  // namespace careledger::endorser

#endif  // CARELEDGER_PEER_ENDORSER_SIMULATED_LEDGER_ACCESS_H_
