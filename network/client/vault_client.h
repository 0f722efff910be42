// A client of a hospital peer's document vault (careledger.vault.Vault, docs/vault.md), signing every request as
// a user. It dials like GatewayClient (the same endpoint description, TLS and message limits).
//
//   ASSIGN_OR_RETURN(VaultClient vault, VaultClient::Connect(endpoint, signer));
//   ASSIGN_OR_RETURN(StoredDocument stored, vault.Upload("healthchannel", pdf_bytes));
//   ... Submit AddRecord with stored.sha256, stored.size, media type, stored.location ...
//   ... Submit LogAccess, then:
//   ASSIGN_OR_RETURN(std::string pdf, vault.Download("healthchannel", "R-1", 1, sha256, log_access_tx_id));
//
// The client never trusts the vault with integrity: Upload checks that the vault reports the hash the client
// computed, and Download that the bytes returned hash to the SHA-256 asked for (the one on the ledger).
//
// Errors: the vault's gRPC status with its code and message, prefixed "<call> at <address>: " (UNAVAILABLE when
// the peer is unreachable, UNIMPLEMENTED when it hosts no vault, PERMISSION_DENIED, NOT_FOUND,
// FAILED_PRECONDITION for erased documents or used accesses, DATA_LOSS for a damaged document); DataLoss when
// the vault's answer does not match the hash; the signer's errors.
//
// Thread-safety: a VaultClient may be used by many threads at once.
#ifndef CARELEDGER_NETWORK_CLIENT_VAULT_CLIENT_H_
#define CARELEDGER_NETWORK_CLIENT_VAULT_CLIENT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "msp/signing_identity.h"
#include "network/client/gateway_client.h"

namespace careledger::client {

// Where a document lives: "vault://<node name>/<sha256>".
struct VaultLocation {
  std::string node_name;
  std::string sha256;  // lower-case hex
};

// Parses a location. InvalidArgument quoting it if it is not vault://<node name>/<64 hex digits>.
absl::StatusOr<VaultLocation> ParseVaultLocation(std::string_view location);

// SHA-256 of `content`, lower-case hex: a document's address.
std::string DocumentSha256(std::string_view content);

struct UploadedDocument {
  std::string sha256;
  uint64_t size = 0;
  std::string location;
  bool already_stored = false;
};

struct ErasedDocument {
  uint64_t version = 0;
  std::string sha256;
  absl::Time erased_at;
  bool already_erased = false;
};

class VaultClient {
 public:
  // A client of the vault at `endpoint` (as GatewayClient::Connect: lazy, the same InvalidArgument errors),
  // signing as `signer` (must not be null).
  static absl::StatusOr<VaultClient> Connect(const GatewayEndpoint& endpoint,
                                             std::shared_ptr<const msp::SigningIdentity> signer);
  VaultClient(VaultClient&&) noexcept;
  VaultClient& operator=(VaultClient&&) noexcept;
  ~VaultClient();

  const std::string& address() const;

  // Stores `content`; the vault checks the hash the client computed. DataLoss if the vault reports another.
  absl::StatusOr<UploadedDocument> Upload(std::string_view channel_id, std::string_view content,
                                          absl::Duration timeout = absl::Minutes(1)) const;

  // The document `sha256` of version `version` of `record_id`, released against the committed LogAccess
  // transaction `access_tx_id` of the signer. DataLoss if the bytes do not hash to `sha256`.
  absl::StatusOr<std::string> Download(std::string_view channel_id, std::string_view record_id, uint64_t version,
                                       std::string_view sha256, std::string_view access_tx_id,
                                       absl::Duration timeout = absl::Minutes(1)) const;

  // Erases every version's document of `record_id` held by this vault.
  absl::StatusOr<std::vector<ErasedDocument>> Erase(std::string_view channel_id, std::string_view record_id,
                                                    absl::Duration timeout = absl::Minutes(1)) const;

 private:
  struct Impl;
  explicit VaultClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace careledger::client

#endif  // CARELEDGER_NETWORK_CLIENT_VAULT_CLIENT_H_
