#include "peer/vault/testing/health_ledger.h"

#include <cstdlib>
#include <iostream>
#include <utility>

#include "absl/strings/str_format.h"
#include "common/protoutil/timestamp.h"
#include "nlohmann/json.hpp"
#include "peer/chaincode_event.pb.h"
#include "peer/committer/testing/test_transaction.h"
#include "peer/vault/healthcare_state.h"

namespace careledger::vault::testing {
namespace {

template <typename T>
T OrDie(absl::StatusOr<T> value, std::string_view what) {
  if (!value.ok()) {
    std::cerr << what << ": " << value.status() << "\n";
    std::abort();
  }
  return *std::move(value);
}

void OrDie(const absl::Status& status, std::string_view what) {
  if (!status.ok()) {
    std::cerr << what << ": " << status << "\n";
    std::abort();
  }
}

}  // namespace

HealthLedger::HealthLedger(const std::string& dir, std::string channel)
    : channel_(channel), ledger_(OrDie(ledger::Ledger::Open(dir), "Ledger::Open")), builder_(std::move(channel)) {
  OrDie(ledger_->Commit(builder_.NextConfigBlock()), "commit config block");
}

ledger::testing::TestEnvelope HealthLedger::AccessEnvelope(const AccessSpec& spec) {
  committer::testing::EndorserTransactionSpec tx = committer::testing::DefaultEndorserTransaction(
      channel_, spec.chaincode, *spec.creator, {spec.creator}, ++nonce_seed_);
  *tx.channel_header.mutable_timestamp() = protoutil::ToTimestamp(spec.timestamp);
  nlohmann::json entry = {{"recordId", spec.record_id},
                          {"version", spec.version},
                          {"sha256", spec.sha256},
                          {"patientId", spec.patient_id},
                          {"txId", tx.channel_header.tx_id()}};
  ::protos::ChaincodeEvent event;
  event.set_chaincode_id(spec.chaincode);
  event.set_tx_id(tx.channel_header.tx_id());
  event.set_event_name(spec.event_name);
  event.set_payload(entry.dump());
  tx.chaincode_action.set_events(event.SerializeAsString());
  return {committer::testing::BuildEndorserTransaction(tx), tx.channel_header.tx_id()};
}

void HealthLedger::CommitEnvelope(const ledger::testing::TestEnvelope& envelope, ::protos::TxValidationCode code) {
  OrDie(ledger_->Commit(builder_.NextBlockWithEntries({envelope.bytes}, std::string(1, static_cast<char>(code)))),
        "commit access block");
}

std::string HealthLedger::CommitAccess(const AccessSpec& spec) {
  ledger::testing::TestEnvelope envelope = AccessEnvelope(spec);
  CommitEnvelope(envelope, spec.code);
  return envelope.tx_id;
}

void HealthLedger::CommitPatient(std::string_view patient_id, std::string_view hospital_msp) {
  nlohmann::json patient = {{"patientId", patient_id}, {"hospital", hospital_msp}};
  OrDie(ledger_->Commit(builder_.NextBlock({ledger::testing::TxWriting(
            {ledger::testing::Put("healthcare", CompositeKey("patient", {patient_id}), patient.dump())})})),
        "commit patient");
}

void HealthLedger::CommitGuardian(std::string_view patient_id, std::string_view msp, std::string_view person_id) {
  nlohmann::json guardian = {{"patientId", patient_id}, {"guardian", {{"msp", msp}, {"personId", person_id}}}};
  OrDie(ledger_->Commit(builder_.NextBlock({ledger::testing::TxWriting({ledger::testing::Put(
            "healthcare", CompositeKey("guardian", {patient_id, msp, person_id}), guardian.dump())})})),
        "commit guardian");
}

void HealthLedger::CommitRecordVersion(std::string_view record_id, std::string_view patient_id, uint64_t version,
                                       std::string_view sha256) {
  nlohmann::json record = {{"recordId", record_id}, {"patientId", patient_id}, {"version", version},
                           {"sha256", sha256}, {"category", "lab"}};
  const std::string digits = absl::StrFormat("%010d", version);
  OrDie(ledger_->Commit(builder_.NextBlock({ledger::testing::TxWriting(
            {ledger::testing::Put("healthcare", CompositeKey("record", {record_id}), record.dump()),
             ledger::testing::Put("healthcare", CompositeKey("recordVersion", {record_id, digits}),
                                  record.dump())})})),
        "commit record version");
}

}  // namespace careledger::vault::testing
