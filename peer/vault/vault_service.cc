#include "peer/vault/vault_service.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/protoutil/timestamp.h"
#include "common/status_macros.h"
#include "peer/vault/healthcare_state.h"

namespace careledger::vault {
namespace {

using ::careledger::vault::DownloadResponse;
using ::careledger::vault::EraseResponse;
using ::careledger::vault::SignedVaultRequest;
using ::careledger::vault::UploadResponse;
using ::careledger::vault::VaultRequest;

// absl and gRPC share the canonical codes and their numbers.
grpc::Status ToGrpc(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

std::string RoleOf(const msp::Identity& identity) { return identity.Attribute("role").value_or(""); }

// A hospital admin as the chaincode sees one: the admin node OU and no role attribute.
bool IsAdminOf(const msp::Identity& identity, std::string_view msp_id) {
  return identity.role() == msp::NodeRole::kAdmin && !identity.Attribute("role").has_value() &&
         identity.msp_id() == msp_id;
}

// Who the identity is, for logs and tombstones: "doctor D-1001 (Hospital1MSP)" or "admin <client ID> (MSP)".
std::string Describe(const msp::Identity& identity) {
  const std::string role = RoleOf(identity);
  if (role.empty()) {
    return absl::StrCat(AsAbsl(msp::NodeRoleName(identity.role())), " ", identity.ClientId(), " (",
                        AsAbsl(identity.msp_id()), ")");
  }
  return absl::StrCat(role, " ", identity.Attribute("person_id").value_or("without a person_id"), " (",
                      AsAbsl(identity.msp_id()), ")");
}

}  // namespace

std::string DocumentLocation(std::string_view node_name, std::string_view sha256) {
  return absl::StrCat(kLocationScheme, AsAbsl(node_name), "/", AsAbsl(sha256));
}

VaultService::VaultService(const VaultChannels& channels, DocumentStore& store, UsedAccessTransactions& used,
                           VaultServiceOptions options)
    : channels_(channels), store_(store), used_(used), options_(std::move(options)) {}

absl::StatusOr<UploadResponse> VaultService::DoUpload(const SignedVaultRequest& signed_request) {
  const absl::Time now = options_.clock();
  ASSIGN_OR_RETURN(AuthenticatedRequest auth, AuthenticateRequest(channels_, signed_request, VaultRequest::kUpload,
                                                                  now, options_.request_time_window));
  const msp::Identity& creator = *auth.creator;
  const bool doctor = RoleOf(creator) == "doctor" && creator.msp_id() == options_.local_msp_id;
  if (!doctor && !IsAdminOf(creator, options_.local_msp_id)) {
    return absl::PermissionDeniedError(absl::StrCat("not authorised: ", Describe(creator),
                                                    " may not store documents in the vault of ",
                                                    options_.local_msp_id, " (its doctors and admins may)"));
  }
  const ::careledger::vault::UploadRequest& upload = auth.request.upload();
  ASSIGN_OR_RETURN(StoredDocument stored, store_.Put(upload.content(), upload.sha256()));
  UploadResponse response;
  response.set_sha256(stored.address);
  response.set_size(stored.size);
  response.set_location(DocumentLocation(options_.node_name, stored.address));
  response.set_already_stored(stored.already_stored);
  log_.Info("document stored", {{"sha256", stored.address},
                                {"size", stored.size},
                                {"by", Describe(creator)},
                                {"already_stored", stored.already_stored}});
  return response;
}

absl::StatusOr<DownloadResponse> VaultService::DoDownload(const SignedVaultRequest& signed_request) {
  const absl::Time now = options_.clock();
  ASSIGN_OR_RETURN(AuthenticatedRequest auth, AuthenticateRequest(channels_, signed_request,
                                                                  VaultRequest::kDownload, now,
                                                                  options_.request_time_window));
  const ::careledger::vault::DownloadRequest& download = auth.request.download();
  ASSIGN_OR_RETURN(const std::string sha256, NormalizeAddress(download.sha256()));
  if (download.record_id().empty() || download.version() == 0) {
    return absl::InvalidArgumentError("a download names a record ID and a version from 1");
  }
  // Refuse what this vault cannot give before the access is used up: the client may try the right vault.
  ASSIGN_OR_RETURN(std::optional<Tombstone> tombstone, store_.ErasedAt(sha256));
  if (!tombstone.has_value()) {
    ASSIGN_OR_RETURN(bool held, store_.Contains(sha256));
    if (!held) return absl::NotFoundError(absl::StrCat("document ", sha256, " is not in this vault"));
  }
  if (tombstone.has_value()) return store_.Get(sha256).status();  // "erased at ..."

  AccessRequest access;
  access.requester = auth.request.creator();
  access.record_id = download.record_id();
  access.version = download.version();
  access.sha256 = sha256;
  access.access_tx_id = download.access_tx_id();
  absl::StatusOr<GrantedAccess> granted = CheckAccess(*auth.channel.ledger, used_, access, now, options_.access);
  if (!granted.ok()) {
    log_.Warn("download refused", {{"record", download.record_id()},
                                   {"version", download.version()},
                                   {"by", Describe(*auth.creator)},
                                   {"reason", granted.status().message()}});
    return granted.status();
  }
  ASSIGN_OR_RETURN(std::string content, store_.Get(sha256));
  DownloadResponse response;
  response.set_content(std::move(content));
  response.set_sha256(sha256);
  log_.Info("document released", {{"record", download.record_id()},
                                  {"version", download.version()},
                                  {"sha256", sha256},
                                  {"access_tx", download.access_tx_id()},
                                  {"block", granted->block_number},
                                  {"by", Describe(*auth.creator)}});
  return response;
}

absl::StatusOr<EraseResponse> VaultService::DoErase(const SignedVaultRequest& signed_request) {
  const absl::Time now = options_.clock();
  ASSIGN_OR_RETURN(AuthenticatedRequest auth, AuthenticateRequest(channels_, signed_request, VaultRequest::kErase,
                                                                  now, options_.request_time_window));
  const msp::Identity& creator = *auth.creator;
  const std::string role = RoleOf(creator);
  // The caller's role first, so that a caller who may never erase learns nothing about which records exist.
  if (role != "patient" && role != "guardian" && !IsAdminOf(creator, options_.local_msp_id)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "not authorised: ", Describe(creator),
        " may not erase documents (the record's patient, a guardian or an admin of ", options_.local_msp_id, " may)"));
  }
  std::unique_ptr<ledger::StateSnapshot> state = auth.channel.ledger->NewSnapshot();
  ASSIGN_OR_RETURN(const RecordDocuments record, ReadRecordDocuments(*state, auth.request.erase().record_id()));
  const std::string person = creator.Attribute("person_id").value_or("");
  bool allowed = role.empty();  // an admin of this vault's organisation (checked above)
  if (role == "patient") {
    allowed = person == record.patient_id && creator.msp_id() == record.hospital_msp;
  } else if (role == "guardian" && !person.empty()) {
    ASSIGN_OR_RETURN(allowed, IsGuardian(*state, record.patient_id, creator.msp_id(), person));
  }
  if (!allowed) {
    return absl::PermissionDeniedError(absl::StrCat("not authorised: ", Describe(creator),
                                                    " is neither patient ", record.patient_id, " (",
                                                    record.hospital_msp, ") nor one of their guardians"));
  }
  EraseResponse response;
  const std::string who = Describe(creator);
  for (const RecordVersionDocument& version : record.versions) {
    absl::StatusOr<std::string> address = NormalizeAddress(version.sha256);
    if (!address.ok()) continue;  // a hash the chaincode would not have stored names nothing here
    ASSIGN_OR_RETURN(std::optional<Tombstone> before, store_.ErasedAt(*address));
    ASSIGN_OR_RETURN(bool held, store_.Contains(*address));
    if (!before.has_value() && !held) continue;
    ASSIGN_OR_RETURN(Tombstone tombstone, store_.Erase(*address, now, who));
    ::careledger::vault::ErasedDocument* erased = response.add_erased();
    erased->set_version(version.version);
    erased->set_sha256(*address);
    *erased->mutable_erased_at() = protoutil::ToTimestamp(tombstone.erased_at);
    erased->set_already_erased(before.has_value());
  }
  log_.Info("record erased", {{"record", record.record_id},
                              {"patient", record.patient_id},
                              {"documents", response.erased_size()},
                              {"by", who}});
  return response;
}

grpc::Status VaultService::Upload(grpc::ServerContext*, const SignedVaultRequest* request, UploadResponse* response) {
  absl::StatusOr<UploadResponse> result = DoUpload(*request);
  if (result.ok()) *response = *std::move(result);
  return ToGrpc(result.status());
}

grpc::Status VaultService::Download(grpc::ServerContext*, const SignedVaultRequest* request,
                                    DownloadResponse* response) {
  absl::StatusOr<DownloadResponse> result = DoDownload(*request);
  if (result.ok()) *response = *std::move(result);
  return ToGrpc(result.status());
}

grpc::Status VaultService::Erase(grpc::ServerContext*, const SignedVaultRequest* request, EraseResponse* response) {
  absl::StatusOr<EraseResponse> result = DoErase(*request);
  if (result.ok()) *response = *std::move(result);
  return ToGrpc(result.status());
}

}  // namespace careledger::vault
