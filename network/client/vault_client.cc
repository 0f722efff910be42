#include "network/client/vault_client.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "careledger/vault.grpc.pb.h"
#include "common/crypto/sha256.h"
#include "common/encoding/hex.h"
#include "common/protoutil/timestamp.h"
#include "common/status_macros.h"
#include "grpcpp/grpcpp.h"
#include "network/client/gateway_error.h"
#include "peer/vault/request_signing.h"

namespace careledger::client {
namespace {

constexpr std::string_view kScheme = "vault://";

bool IsLowerHexSha256(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<VaultLocation> ParseVaultLocation(std::string_view location) {
  const absl::Status invalid = absl::InvalidArgumentError(absl::StrCat(
      "invalid vault location '", AsAbsl(location.substr(0, 200)), "': expected vault://<node name>/<sha256>"));
  if (location.substr(0, kScheme.size()) != kScheme) return invalid;
  const std::string_view rest = location.substr(kScheme.size());
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) return invalid;
  VaultLocation out{std::string(rest.substr(0, slash)), std::string(rest.substr(slash + 1))};
  if (!IsLowerHexSha256(out.sha256)) return invalid;
  return out;
}

std::string DocumentSha256(std::string_view content) { return HexEncode(crypto::Sha256Bytes(content)); }

struct VaultClient::Impl {
  std::string address;
  std::shared_ptr<const msp::SigningIdentity> signer;
  std::unique_ptr<::careledger::vault::Vault::Stub> stub;

  absl::StatusOr<::careledger::vault::SignedVaultRequest> Sign(::careledger::vault::VaultRequest request,
                                                               std::string_view channel_id) const {
    return vault::SignVaultRequest(std::move(request), channel_id, *signer, absl::Now());
  }
};

VaultClient::VaultClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
VaultClient::VaultClient(VaultClient&&) noexcept = default;
VaultClient& VaultClient::operator=(VaultClient&&) noexcept = default;
VaultClient::~VaultClient() = default;

const std::string& VaultClient::address() const { return impl_->address; }

absl::StatusOr<VaultClient> VaultClient::Connect(const GatewayEndpoint& endpoint,
                                                 std::shared_ptr<const msp::SigningIdentity> signer) {
  if (signer == nullptr) return absl::InvalidArgumentError("a vault client needs a signing identity");
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel, DialGateway(endpoint));
  auto impl = std::make_unique<Impl>();
  impl->address = endpoint.address;
  impl->signer = std::move(signer);
  impl->stub = ::careledger::vault::Vault::NewStub(channel);
  return VaultClient(std::move(impl));
}

absl::StatusOr<UploadedDocument> VaultClient::Upload(std::string_view channel_id, std::string_view content,
                                                     absl::Duration timeout) const {
  const std::string sha256 = DocumentSha256(content);
  ::careledger::vault::VaultRequest request;
  request.mutable_upload()->set_content(std::string(content));
  request.mutable_upload()->set_sha256(sha256);
  ASSIGN_OR_RETURN(::careledger::vault::SignedVaultRequest signed_request, impl_->Sign(std::move(request), channel_id));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  ::careledger::vault::UploadResponse response;
  RETURN_IF_ERROR(StatusFromGrpc(impl_->stub->Upload(&context, signed_request, &response),
                                 absl::StrCat("vault Upload at ", impl_->address)));
  if (response.sha256() != sha256) {
    return absl::DataLossError(absl::StrCat("the vault at ", impl_->address, " stored the document as ",
                                            response.sha256(), ", but its SHA-256 is ", sha256));
  }
  return UploadedDocument{response.sha256(), response.size(), response.location(), response.already_stored()};
}

absl::StatusOr<std::string> VaultClient::Download(std::string_view channel_id, std::string_view record_id,
                                                  uint64_t version, std::string_view sha256,
                                                  std::string_view access_tx_id, absl::Duration timeout) const {
  ::careledger::vault::VaultRequest request;
  ::careledger::vault::DownloadRequest* download = request.mutable_download();
  download->set_record_id(std::string(record_id));
  download->set_version(version);
  download->set_sha256(std::string(sha256));
  download->set_access_tx_id(std::string(access_tx_id));
  ASSIGN_OR_RETURN(::careledger::vault::SignedVaultRequest signed_request, impl_->Sign(std::move(request), channel_id));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  ::careledger::vault::DownloadResponse response;
  RETURN_IF_ERROR(StatusFromGrpc(impl_->stub->Download(&context, signed_request, &response),
                                 absl::StrCat("vault Download at ", impl_->address)));
  const std::string actual = DocumentSha256(response.content());
  if (actual != sha256) {
    return absl::DataLossError(absl::StrCat("the vault at ", impl_->address, " returned a document whose SHA-256 is ",
                                            actual, ", not the ledger's ", AsAbsl(sha256)));
  }
  return std::move(*response.mutable_content());
}

absl::StatusOr<std::vector<ErasedDocument>> VaultClient::Erase(std::string_view channel_id,
                                                               std::string_view record_id,
                                                               absl::Duration timeout) const {
  ::careledger::vault::VaultRequest request;
  request.mutable_erase()->set_record_id(std::string(record_id));
  ASSIGN_OR_RETURN(::careledger::vault::SignedVaultRequest signed_request, impl_->Sign(std::move(request), channel_id));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  ::careledger::vault::EraseResponse response;
  RETURN_IF_ERROR(StatusFromGrpc(impl_->stub->Erase(&context, signed_request, &response),
                                 absl::StrCat("vault Erase at ", impl_->address)));
  std::vector<ErasedDocument> erased;
  for (const ::careledger::vault::ErasedDocument& document : response.erased()) {
    erased.push_back({document.version(), document.sha256(), protoutil::FromTimestamp(document.erased_at()),
                      document.already_erased()});
  }
  return erased;
}

}  // namespace careledger::client
