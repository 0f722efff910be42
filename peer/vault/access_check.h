// The vault's decision to release a document: does the requester hold a committed access of the ledger for
// exactly this record version and this document, fresh and not used before?
//
// WHY A COMMITTED LogAccess TRANSACTION IS THE PROOF. The `healthcare` chaincode's LogAccess succeeds exactly
// when the calling doctor may read the record (a consent of the right scope and category, unexpired at the
// transaction's time, or an open emergency access); otherwise it is refused and never reaches the ledger. Its
// endorsement read the consent and emergency keys, so MVCC invalidates it if any of them changed (a revocation,
// a new grant) before it committed: a transaction the committer marked VALID is the ledger's proof that the
// consent held when it committed. And it is signed by its creator, which the vault cannot forge: the client
// submits the access-log transaction itself, and the vault only checks it. The vault requires, in its own
// peer's ledger:
//   1. the transaction is committed (waiting up to a few seconds: the requester's peer may be ahead of ours);
//   2. its validation code is VALID;
//   3. it invokes the `healthcare` chaincode and its event is `RecordAccessed`, whose payload names this record,
//      this version and a sha256 equal to the document asked for;
//   4. its creator is exactly the requester (the same serialized identity: the request's signature then proves
//      the requester holds the key that signed the access);
//   5. its timestamp lies within the access window of the vault's clock (an access logged last month does not
//      open a download today: the consent may have been revoked since);
//   6. it was not used for a download at this vault before (UsedAccessTransactions): one access, one download.
// The claim of step 6 is the last step, so a refused request does not use the access up.
//
// Thread-safe (the ledger and the markers are).
#ifndef CARELEDGER_PEER_VAULT_ACCESS_CHECK_H_
#define CARELEDGER_PEER_VAULT_ACCESS_CHECK_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "peer/ledger/ledger.h"
#include "peer/vault/used_access.h"

namespace careledger::vault {

inline constexpr char kHealthcareChaincode[] = "healthcare";
inline constexpr char kRecordAccessedEvent[] = "RecordAccessed";
inline constexpr absl::Duration kDefaultAccessWindow = absl::Minutes(5);
inline constexpr absl::Duration kDefaultCommitWait = absl::Seconds(5);

// A download request, as the vault has authenticated it.
struct AccessRequest {
  std::string_view requester;  // serialized msp.SerializedIdentity that signed the request
  std::string_view record_id;
  uint64_t version = 0;
  std::string_view sha256;      // lower-case hex
  std::string_view access_tx_id;
};

struct AccessCheckOptions {
  absl::Duration access_window = kDefaultAccessWindow;
  absl::Duration commit_wait = kDefaultCommitWait;  // how long to wait for the transaction to commit here
};

// What the ledger proves.
struct GrantedAccess {
  uint64_t block_number = 0;
  std::string patient_id;
  absl::Time accessed_at;  // the transaction's timestamp
};

// Decides `request` against `ledger` at `now` (the vault's clock), claiming the transaction in `used` on
// success. Errors, each naming the transaction:
//   InvalidArgument: a malformed transaction ID;
//   NotFound: not committed in this peer's ledger within options.commit_wait;
//   PermissionDenied: committed with code X (not VALID); not an endorser transaction of the healthcare
//     chaincode; its event is not RecordAccessed, or names another record, version or document; signed by
//     someone else; its timestamp is outside the access window ("older than" / "ahead of");
//   FailedPrecondition: already used for a download at this vault;
//   DataLoss, Internal: the ledger's or the markers' storage errors.
absl::StatusOr<GrantedAccess> CheckAccess(const ledger::Ledger& ledger, UsedAccessTransactions& used,
                                          const AccessRequest& request, absl::Time now,
                                          const AccessCheckOptions& options = {});

}  // namespace careledger::vault

#endif  // CARELEDGER_PEER_VAULT_ACCESS_CHECK_H_
