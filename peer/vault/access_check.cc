#include "peer/vault/access_check.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/protoutil/envelope.h"
#include "common/protoutil/timestamp.h"
#include "common/protoutil/transaction.h"
#include "common/protoutil/unmarshal.h"
#include "common/status_macros.h"
#include "nlohmann/json.hpp"
#include "peer/chaincode_event.pb.h"
#include "peer/proposal.pb.h"
#include "peer/vault/utc_time.h"

namespace careledger::vault {
namespace {

// The committed transaction, waiting until `deadline` for it to commit: the ledger notifies when it does
// (Ledger::NotifyOnCommit), so the wait wakes for this transaction's block only.
absl::StatusOr<::protos::ProcessedTransaction> WaitForTransaction(const ledger::Ledger& ledger,
                                                                  std::string_view tx_id, absl::Time deadline) {
  // Shared with the notification, which may still be running when a timed-out wait returns.
  struct Commit {
    absl::Notification done;
    absl::Status status;
  };
  auto commit = std::make_shared<Commit>();
  const uint64_t ticket = ledger.NotifyOnCommit(tx_id, [commit](absl::StatusOr<ledger::TransactionStatus> status) {
    commit->status = status.status();
    commit->done.Notify();
  });
  if (!commit->done.WaitForNotificationWithDeadline(deadline)) {
    if (ledger.CancelNotifyOnCommit(tx_id, ticket)) {
      commit->status = absl::UnavailableError("not committed in time");
    } else {
      commit->done.WaitForNotification();  // it is running: it ends at once
    }
  }
  if (absl::IsUnavailable(commit->status)) {  // the deadline passed, or the ledger closed
    return absl::NotFoundError(absl::StrCat("access transaction ", AsAbsl(tx_id),
                                            " is not committed in this vault's ledger (waited up to its deadline)"));
  }
  RETURN_IF_ERROR(commit->status);
  return ledger.GetTransactionByID(tx_id);
}

absl::Status Refuse(std::string_view tx_id, std::string_view why) {
  return absl::PermissionDeniedError(absl::StrCat("access transaction ", AsAbsl(tx_id), " ", AsAbsl(why)));
}

}  // namespace

absl::StatusOr<GrantedAccess> CheckAccess(const ledger::Ledger& ledger, UsedAccessTransactions& used,
                                          const AccessRequest& request, absl::Time now,
                                          const AccessCheckOptions& options) {
  const std::string_view tx_id = request.access_tx_id;
  RETURN_IF_ERROR(CheckTxIdForm(tx_id));
  ASSIGN_OR_RETURN(const ::protos::ProcessedTransaction processed,
                   WaitForTransaction(ledger, tx_id, absl::Now() + options.commit_wait));
  ASSIGN_OR_RETURN(const ledger::TransactionStatus status, ledger.GetTransactionStatus(tx_id));

  if (status.code != ::protos::VALID) {
    return Refuse(tx_id, absl::StrCat("is invalid (", ::protos::TxValidationCode_Name(status.code),
                                      " in block ", status.block_number, "): it proves no access"));
  }
  absl::StatusOr<protoutil::ParsedEnvelope> envelope = protoutil::ParseEnvelope(processed.transactionenvelope());
  if (!envelope.ok() || envelope->channel_header.type() != ::common::ENDORSER_TRANSACTION) {
    return Refuse(tx_id, "is not an endorser transaction, so not a LogAccess");
  }
  absl::StatusOr<protoutil::ParsedEndorserTransaction> tx = protoutil::ParseEndorserTransaction(envelope->payload);
  absl::StatusOr<::protos::ChaincodeHeaderExtension> extension =
      protoutil::Unmarshal<::protos::ChaincodeHeaderExtension>(envelope->channel_header.extension(),
                                                               "ChaincodeHeaderExtension");
  if (!tx.ok() || tx->actions.size() != 1 || !extension.ok() ||
      extension->chaincode_id().name() != kHealthcareChaincode) {
    return Refuse(tx_id,
                  absl::StrCat("does not invoke the ", kHealthcareChaincode, " chaincode, so it is not a LogAccess"));
  }
  absl::StatusOr<::protos::ChaincodeEvent> event =
      protoutil::Unmarshal<::protos::ChaincodeEvent>(tx->actions[0].chaincode_action.events(), "ChaincodeEvent");
  if (!event.ok() || event->event_name() != kRecordAccessedEvent || event->chaincode_id() != kHealthcareChaincode) {
    return Refuse(tx_id, absl::StrCat("is not a LogAccess: its event is '", event.ok() ? event->event_name() : "",
                                      "', not ", kRecordAccessedEvent));
  }
  const nlohmann::json entry = nlohmann::json::parse(event->payload(), nullptr, /*allow_exceptions=*/false);
  if (!entry.is_object() || !entry.contains("recordId") || !entry["recordId"].is_string() ||
      !entry.contains("version") || !entry["version"].is_number_unsigned() || !entry.contains("sha256") ||
      !entry["sha256"].is_string()) {
    return Refuse(tx_id, "has a RecordAccessed event this vault cannot read");
  }
  const std::string logged_record = entry["recordId"].get<std::string>();
  const uint64_t logged_version = entry["version"].get<uint64_t>();
  const std::string logged_sha = entry["sha256"].get<std::string>();
  if (logged_record != request.record_id || logged_version != request.version) {
    return Refuse(tx_id, absl::StrCat("logged an access to record ", logged_record, " version ", logged_version,
                                      ", not to record ", AsAbsl(request.record_id), " version ", request.version));
  }
  if (logged_sha != request.sha256) {
    return Refuse(tx_id, absl::StrCat("logged an access to document ", logged_sha, ", not to document ",
                                      AsAbsl(request.sha256)));
  }
  if (envelope->signature_header.creator() != request.requester) {
    return Refuse(tx_id, "was signed by someone else than the requester: an access is personal");
  }
  const absl::Time accessed_at = protoutil::FromTimestamp(envelope->channel_header.timestamp());
  if (accessed_at < now - options.access_window) {
    return Refuse(tx_id, absl::StrCat("is older than the vault's access window of ",
                                      absl::FormatDuration(options.access_window), " (logged at ",
                                      FormatUtc(accessed_at), "): log a new access"));
  }
  if (accessed_at > now + options.access_window) {
    return Refuse(tx_id, absl::StrCat("has a timestamp ahead of the vault's clock by more than ",
                                      absl::FormatDuration(options.access_window), " (", FormatUtc(accessed_at),
                                      ")"));
  }
  const absl::Status claimed =
      used.Claim(tx_id, absl::StrCat(logged_record, " ", logged_version, " ", logged_sha, " ", FormatUtc(now)));
  if (absl::IsAlreadyExists(claimed)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "access transaction ", AsAbsl(tx_id), " was already used for a download at this vault: log a new access"));
  }
  RETURN_IF_ERROR(claimed);
  GrantedAccess granted;
  granted.block_number = status.block_number;
  if (entry.contains("patientId") && entry["patientId"].is_string()) {
    granted.patient_id = entry["patientId"].get<std::string>();
  }
  granted.accessed_at = accessed_at;
  return granted;
}

}  // namespace careledger::vault
