#include "peer/vault/request_signing.h"

#include <utility>

#include "common/protoutil/timestamp.h"
#include "common/protoutil/txid.h"
#include "common/status_macros.h"

namespace careledger::vault {

absl::StatusOr<::careledger::vault::SignedVaultRequest> SignVaultRequest(::careledger::vault::VaultRequest request,
                                                                         std::string_view channel_id,
                                                                         const protoutil::Signer& signer,
                                                                         absl::Time now) {
  request.set_channel_id(std::string(channel_id));
  request.set_creator(signer.SerializedIdentity());
  *request.mutable_timestamp() = protoutil::ToTimestamp(now);
  ASSIGN_OR_RETURN(std::string nonce, protoutil::CreateNonce());
  request.set_nonce(std::move(nonce));
  ::careledger::vault::SignedVaultRequest signed_request;
  signed_request.set_request(request.SerializeAsString());
  absl::StatusOr<std::string> signature = signer.Sign(signed_request.request());
  if (!signature.ok()) return Annotate(signature.status(), "signing the vault request");
  signed_request.set_signature(*std::move(signature));
  return signed_request;
}

}  // namespace careledger::vault
