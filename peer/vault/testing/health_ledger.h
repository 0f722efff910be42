// Test-only: a real ledger on disk holding what the vault reads: committed LogAccess transactions (with the
// RecordAccessed event the healthcare chaincode emits, signed by a chosen creator) and the chaincode's patient,
// guardian and record state; and a VaultChannels of one channel over it. Failures abort the test binary.
#ifndef CARELEDGER_PEER_VAULT_TESTING_HEALTH_LEDGER_H_
#define CARELEDGER_PEER_VAULT_TESTING_HEALTH_LEDGER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/time/time.h"
#include "common/protoutil/signer.h"
#include "peer/ledger/ledger.h"
#include "peer/ledger/testing/test_blocks.h"
#include "peer/transaction.pb.h"
#include "peer/vault/vault_channels.h"

namespace careledger::vault::testing {

// One LogAccess to commit; the defaults make a valid one.
struct AccessSpec {
  const protoutil::Signer* creator = nullptr;  // required
  std::string record_id = "R-1";
  uint64_t version = 1;
  std::string sha256;
  std::string patient_id = "P-2001";
  absl::Time timestamp;
  std::string chaincode = "healthcare";
  std::string event_name = "RecordAccessed";
  ::protos::TxValidationCode code = ::protos::VALID;
};

class HealthLedger {
 public:
  // A ledger in `dir` on channel `channel`, with a config block 0.
  HealthLedger(const std::string& dir, std::string channel);

  // The envelope of `spec` (not committed) and its transaction ID.
  ledger::testing::TestEnvelope AccessEnvelope(const AccessSpec& spec);
  // Commits `envelope` alone in a block with validation code `code`.
  void CommitEnvelope(const ledger::testing::TestEnvelope& envelope, ::protos::TxValidationCode code);
  // Builds and commits `spec`; returns its transaction ID.
  std::string CommitAccess(const AccessSpec& spec);

  // Commits the state the chaincode writes for patient `patient_id` of `hospital_msp`.
  void CommitPatient(std::string_view patient_id, std::string_view hospital_msp);
  // Commits a guardian entry of the patient.
  void CommitGuardian(std::string_view patient_id, std::string_view msp, std::string_view person_id);
  // Commits version `version` of record `record_id` (its version key and the current-version key).
  void CommitRecordVersion(std::string_view record_id, std::string_view patient_id, uint64_t version,
                           std::string_view sha256);

  ledger::Ledger& ledger() { return *ledger_; }
  const std::string& channel() const { return channel_; }

 private:
  std::string channel_;
  std::unique_ptr<ledger::Ledger> ledger_;
  ledger::testing::TestBlockBuilder builder_;
  int nonce_seed_ = 0;
};

// The one channel `channel_id`, over MSPs and a ledger the test owns (they must outlive this).
class OneChannel final : public VaultChannels {
 public:
  OneChannel(std::string channel_id, const msp::MspManager& msps, const ledger::Ledger& ledger)
      : channel_id_(std::move(channel_id)), msps_(msps), ledger_(ledger) {}
  std::optional<VaultChannel> Find(std::string_view channel_id) const override {
    if (channel_id != channel_id_) return std::nullopt;
    return VaultChannel{nullptr, &msps_, &ledger_};
  }

 private:
  std::string channel_id_;
  const msp::MspManager& msps_;
  const ledger::Ledger& ledger_;
};

}  // namespace careledger::vault::testing

#endif  // CARELEDGER_PEER_VAULT_TESTING_HEALTH_LEDGER_H_
