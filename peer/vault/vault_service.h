// The Vault gRPC service (proto/careledger/vault.proto) a hospital peer hosts when vault.enabled is set: the
// front of the document store (document_store.h), with the ledger as the judge of who may have what.
//
//   Upload   a doctor (certificate attribute role=doctor) or an admin (node OU admin, no role attribute) of the
//            vault's own organisation stores a document; the vault checks the claimed SHA-256 and returns it
//            with the size and the location vault://<node name>/<sha256>, which the client then records with
//            AddRecord or AmendRecord. Doctors of other organisations store at their own hospital's vault.
//   Download anyone holding a committed LogAccess for the record version and document (access_check.h) gets
//            the document, once per access. A document not held here, or erased, is refused before the access
//            is used up.
//   Erase    the record's patient (role=patient, person_id and MSP as the chaincode's committed patient state
//            says), one of their guardians (as the chaincode lets guardians act for a patient), or an admin of
//            the vault's organisation destroys every version's document of the record held here. The hashes and
//            history stay on the ledger.
// Every request is authenticated first (request_auth.h). Errors become gRPC statuses of the same code, with the
// message; each call is logged (module "peer.vault") with its outcome, never with document content.
//
// Thread-safety: gRPC's synchronous API runs calls on its threads; everything the service uses is thread-safe.
// A Download may block up to AccessCheckOptions::commit_wait waiting for its access to commit here.
#ifndef CARELEDGER_PEER_VAULT_VAULT_SERVICE_H_
#define CARELEDGER_PEER_VAULT_VAULT_SERVICE_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "careledger/vault.grpc.pb.h"
#include "common/logging/logger.h"
#include "peer/vault/access_check.h"
#include "peer/vault/document_store.h"
#include "peer/vault/request_auth.h"
#include "peer/vault/used_access.h"
#include "peer/vault/vault_channels.h"

namespace careledger::vault {

// The scheme of document locations; vault://<node name>/<sha256>.
inline constexpr char kLocationScheme[] = "vault://";

struct VaultServiceOptions {
  std::string node_name;     // this peer's peer.id: the host part of the locations it hands out
  std::string local_msp_id;  // the vault's organisation
  absl::Duration request_time_window = kDefaultRequestTimeWindow;
  AccessCheckOptions access;
  std::function<absl::Time()> clock = [] { return absl::Now(); };
};

// The location of document `sha256` at vault `node_name`.
std::string DocumentLocation(std::string_view node_name, std::string_view sha256);

class VaultService final : public ::careledger::vault::Vault::Service {
 public:
  // `channels`, `store` and `used` must outlive the service and the server it is registered with.
  VaultService(const VaultChannels& channels, DocumentStore& store, UsedAccessTransactions& used,
               VaultServiceOptions options);

  grpc::Status Upload(grpc::ServerContext* context, const ::careledger::vault::SignedVaultRequest* request,
                      ::careledger::vault::UploadResponse* response) override;
  grpc::Status Download(grpc::ServerContext* context, const ::careledger::vault::SignedVaultRequest* request,
                        ::careledger::vault::DownloadResponse* response) override;
  grpc::Status Erase(grpc::ServerContext* context, const ::careledger::vault::SignedVaultRequest* request,
                     ::careledger::vault::EraseResponse* response) override;

  // The same operations without gRPC (what the handlers call), for tests and in-process callers.
  absl::StatusOr<::careledger::vault::UploadResponse> DoUpload(const ::careledger::vault::SignedVaultRequest& request);
  absl::StatusOr<::careledger::vault::DownloadResponse> DoDownload(
      const ::careledger::vault::SignedVaultRequest& request);
  absl::StatusOr<::careledger::vault::EraseResponse> DoErase(const ::careledger::vault::SignedVaultRequest& request);

 private:
  const VaultChannels& channels_;
  DocumentStore& store_;
  UsedAccessTransactions& used_;
  const VaultServiceOptions options_;
  const logging::Logger log_{"peer.vault"};
};

}  // namespace careledger::vault

#endif  // CARELEDGER_PEER_VAULT_VAULT_SERVICE_H_
