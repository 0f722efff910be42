#include "peer/vault/request_auth.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/protoutil/timestamp.h"
#include "common/strings.h"
#include "peer/vault/utc_time.h"

namespace careledger::vault {
namespace {

using ::careledger::vault::VaultRequest;

std::string_view OperationName(VaultRequest::OperationCase operation) {
  switch (operation) {
    case VaultRequest::kUpload: return "upload";
    case VaultRequest::kDownload: return "download";
    case VaultRequest::kErase: return "erase";
    case VaultRequest::OPERATION_NOT_SET: break;
  }
  return "no operation";
}

}  // namespace

absl::StatusOr<AuthenticatedRequest> AuthenticateRequest(const VaultChannels& channels,
                                                         const ::careledger::vault::SignedVaultRequest& signed_request,
                                                         VaultRequest::OperationCase expected, absl::Time now,
                                                         absl::Duration window) {
  AuthenticatedRequest out;
  if (!out.request.ParseFromString(signed_request.request())) {
    return absl::InvalidArgumentError("the signed vault request does not hold a careledger.vault.VaultRequest");
  }
  const VaultRequest& request = out.request;
  if (request.operation_case() != expected) {
    return absl::InvalidArgumentError(absl::StrCat("the request was signed for ",
                                                   AsAbsl(OperationName(request.operation_case())), ", not for ",
                                                   AsAbsl(OperationName(expected))));
  }
  if (request.channel_id().empty()) return absl::InvalidArgumentError("the request names no channel");
  if (request.nonce().empty()) return absl::InvalidArgumentError("the request has no nonce");
  std::optional<VaultChannel> channel = channels.Find(request.channel_id());
  if (!channel.has_value()) {
    return absl::NotFoundError(absl::StrCat("this peer has not joined channel '", request.channel_id(), "'"));
  }
  out.channel = *std::move(channel);
  const std::string& channel_id = request.channel_id();
  absl::StatusOr<std::shared_ptr<const msp::Identity>> creator = out.channel.msps->Deserialize(request.creator());
  if (!creator.ok()) {
    return absl::PermissionDeniedError(absl::StrCat("the request's creator is not a valid identity of channel '",
                                                    channel_id, "': ", creator.status().message()));
  }
  if (absl::Status valid = (*creator)->CheckValidAt(now); !valid.ok()) {
    return absl::PermissionDeniedError(absl::StrCat("the request's creator (", AsAbsl((*creator)->msp_id()),
                                                    ") is not valid now: ", valid.message()));
  }
  if (absl::Status verified = (*creator)->Verify(signed_request.request(), signed_request.signature());
      !verified.ok()) {
    return absl::PermissionDeniedError(absl::StrCat("the request's signature does not verify for its creator (",
                                                    AsAbsl((*creator)->msp_id()), "): ", verified.message()));
  }
  if (!request.has_timestamp()) return absl::PermissionDeniedError("the request has no timestamp");
  const absl::Time sent = protoutil::FromTimestamp(request.timestamp());
  if (sent < now - window || sent > now + window) {
    return absl::PermissionDeniedError(absl::StrCat("the request's timestamp ", FormatUtc(sent), " is more than ",
                                                    absl::FormatDuration(window), " from the vault's clock (",
                                                    FormatUtc(now), ")"));
  }
  out.creator = *std::move(creator);
  return out;
}

}  // namespace careledger::vault
