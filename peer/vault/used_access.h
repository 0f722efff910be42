// UsedAccessTransactions: the access-log transactions this vault has already released a document for, one
// marker file each, so that one committed LogAccess opens one download and no more (a copied request, or the
// same doctor asking twice, needs a new access on the ledger, which the patient's audit log then shows).
//
// Format: <dir>/<transaction ID> (64 hex digits), holding "<record ID> <version> <sha256> <RFC 3339 time>\n"
// for the curious; only its existence counts. Markers are never removed.
//
// Thread-safe, and safe between processes: a marker is created with O_CREAT|O_EXCL, so of two concurrent
// claims exactly one wins; it is fsynced with its folder before the claim returns, so a crash cannot give a
// second download.
#ifndef CARELEDGER_PEER_VAULT_USED_ACCESS_H_
#define CARELEDGER_PEER_VAULT_USED_ACCESS_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace careledger::vault {

class UsedAccessTransactions {
 public:
  // Opens (creating if missing) the markers in `dir`. The folder's creation errors.
  static absl::StatusOr<std::unique_ptr<UsedAccessTransactions>> Open(const std::string& dir);

  // Claims `tx_id` for one download, recording `note` (one line) in its marker. OK if this call created the
  // marker; AlreadyExists if it was claimed before; InvalidArgument unless `tx_id` is 64 lower-case hex digits;
  // Internal for I/O errors, naming the file (the claim then did not happen, or its marker may be incomplete:
  // either way it is not used again).
  absl::Status Claim(std::string_view tx_id, std::string_view note);

  // Whether `tx_id` was claimed. InvalidArgument as Claim.
  absl::StatusOr<bool> IsClaimed(std::string_view tx_id) const;

 private:
  explicit UsedAccessTransactions(std::string dir) : dir_(std::move(dir)) {}
  const std::string dir_;
};

// OK if `tx_id` has the form of a Fabric transaction ID (64 lower-case hex digits); InvalidArgument otherwise.
absl::Status CheckTxIdForm(std::string_view tx_id);

}  // namespace careledger::vault

#endif  // CARELEDGER_PEER_VAULT_USED_ACCESS_H_
