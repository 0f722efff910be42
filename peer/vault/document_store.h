// DocumentStore: the vault's documents on disk, each encrypted under a key of its own, that key wrapped by the
// vault's master key. A document's address is the SHA-256 of its plaintext (64 lower-case hex digits): what the
// `healthcare` chaincode records, so a reader can check what the vault returns against the ledger.
//
// FORMAT (docs/vault.md). Under the store's folder:
//   documents/<address>   version byte 1 || nonce (12) || AES-256-GCM(document key, plaintext), associated data
//                         "careledger-vault/document/v1/<address>"
//   keys/<address>        version byte 1 || nonce (12) || AES-256-GCM(master key, document key), associated data
//                         "careledger-vault/key/v1/<address>"
//   erased/<address>      tombstone: "careledger-vault/tombstone/v1\n<RFC 3339 time>\n<who>\n"
// The associated data binds each file to its address, so a file moved under another name does not open.
//
// NEVER HALF-STORED. Put writes the ciphertext, then the wrapped key, each atomically and fsynced
// (file::WriteFileAtomic); a document is there exactly when its wrapped key is. A crash between the two writes
// leaves a ciphertext nobody can decrypt and Get reports NotFound; the next Put of that content replaces it.
//
// ERASURE (a patient's right to be forgotten). Erase writes the tombstone, then unlinks the wrapped key and
// fsyncs its folder (from then on the document is unrecoverable, even with the master key and a copy of the
// ciphertext), then unlinks the ciphertext. The hash and the history stay on the ledger as proof of what
// existed. An erased address stays erased: Put refuses the same content again, since it would bring the
// document back for every record that names it.
//
// THREAD-SAFETY. Thread-safe: writers (Put, Erase) of the store are serialised by a mutex, the encryption is
// done outside it; Get runs concurrently. One process per folder (the peer's).
#ifndef CARELEDGER_PEER_VAULT_DOCUMENT_STORE_H_
#define CARELEDGER_PEER_VAULT_DOCUMENT_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "peer/vault/master_key.h"

namespace careledger::vault {

inline constexpr uint64_t kDefaultMaxDocumentBytes = uint64_t{32} << 20;  // 32 MiB

struct DocumentStoreOptions {
  uint64_t max_document_bytes = kDefaultMaxDocumentBytes;
  // Test-only: called by Put after the ciphertext is written and before the wrapped key is; an error stops Put
  // there, as a crash would.
  std::function<absl::Status()> before_key_write;
};

// What Put stored.
struct StoredDocument {
  std::string address;  // SHA-256 of the plaintext, lower-case hex
  uint64_t size = 0;    // plaintext bytes
  bool already_stored = false;  // the same content was stored before; nothing was written
};

// Why an address is gone.
struct Tombstone {
  absl::Time erased_at;
  std::string erased_by;
};

// InvalidArgument unless `address` is 64 hexadecimal digits; returns it in lower case.
absl::StatusOr<std::string> NormalizeAddress(std::string_view address);

class DocumentStore {
 public:
  // Opens (creating if missing) the store in `dir`, with `master_key`. InvalidArgument for a zero size limit;
  // the folders' creation errors.
  static absl::StatusOr<std::unique_ptr<DocumentStore>> Open(const std::string& dir, MasterKey master_key,
                                                            DocumentStoreOptions options = {});

  // Stores `plaintext`, whose SHA-256 the caller claims is `claimed_sha256` (hex, either case). Errors, with
  // nothing stored: InvalidArgument for a malformed claim, a claim that is not the plaintext's hash (both
  // named) or a plaintext larger than the limit; FailedPrecondition if that content was erased; Internal if the
  // CSPRNG fails; I/O errors naming the file. The same content stored again is OK (already_stored) after checking
  // that the stored copy still opens; a copy that does not (DataLoss) is replaced.
  absl::StatusOr<StoredDocument> Put(std::string_view plaintext, std::string_view claimed_sha256);

  // The plaintext at `address`, checked against it. Errors: InvalidArgument for a malformed address; NotFound
  // if it is not stored; FailedPrecondition "document <address> was erased at <time>" after Erase; DataLoss
  // naming the address if the ciphertext or the wrapped key was altered, or the master key is not the one it
  // was stored with; I/O errors naming the file.
  absl::StatusOr<std::string> Get(std::string_view address) const;

  // Whether a document is stored at `address` (its wrapped key exists). InvalidArgument for a malformed address.
  absl::StatusOr<bool> Contains(std::string_view address) const;

  // The tombstone of an erased address, or nullopt. DataLoss for a tombstone this build cannot read.
  absl::StatusOr<std::optional<Tombstone>> ErasedAt(std::string_view address) const;

  // Erases the document at `address` as described above, recording `when` and `who` (one line; line breaks are
  // replaced). Errors: InvalidArgument for a malformed address; NotFound if nothing was ever stored there;
  // I/O errors naming the file (an Erase that failed part-way may be called again). Erasing an erased address
  // is OK and returns its first tombstone.
  absl::StatusOr<Tombstone> Erase(std::string_view address, absl::Time when, std::string_view who);

  const std::string& dir() const { return dir_; }
  uint64_t max_document_bytes() const { return options_.max_document_bytes; }

 private:
  DocumentStore(std::string dir, MasterKey master_key, DocumentStoreOptions options);
  std::string DocumentPath(std::string_view address) const;
  std::string KeyPath(std::string_view address) const;
  std::string TombstonePath(std::string_view address) const;
  absl::StatusOr<std::string> Decrypt(const std::string& address) const;

  const std::string dir_;
  const MasterKey master_key_;
  const DocumentStoreOptions options_;
  std::mutex write_mu_;  // serialises Put and Erase
};

}  // namespace careledger::vault

#endif  // CARELEDGER_PEER_VAULT_DOCUMENT_STORE_H_
