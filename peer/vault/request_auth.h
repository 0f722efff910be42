// Who sent a vault request, proven: every Upload, Download and Erase is a SignedVaultRequest whose creator must
// be a valid identity of the named channel's MSPs (as the Gateway checks a signed request), whose certificate is
// valid now, whose signature verifies over the request's bytes, and whose timestamp lies within the vault's
// window of its clock (a captured request cannot be replayed later). The operation must be the one of the RPC,
// so a request signed for Upload cannot be sent to Erase.
//
// Pure but for the MSPs' validation cache: a function of the channels, the request and `now`. Thread-safe.
#ifndef CARELEDGER_PEER_VAULT_REQUEST_AUTH_H_
#define CARELEDGER_PEER_VAULT_REQUEST_AUTH_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "careledger/vault.pb.h"
#include "msp/identity.h"
#include "peer/vault/vault_channels.h"

namespace careledger::vault {

inline constexpr absl::Duration kDefaultRequestTimeWindow = absl::Minutes(5);

struct AuthenticatedRequest {
  ::careledger::vault::VaultRequest request;
  std::shared_ptr<const msp::Identity> creator;
  VaultChannel channel;
};

// Authenticates `signed_request` for operation `expected`. Errors: InvalidArgument for a request that does not
// parse, names no channel, has no nonce, or carries another operation than `expected`; NotFound if this peer
// has not joined the channel; PermissionDenied if the creator is not a valid identity of the channel's MSPs, its
// certificate is not valid at `now`, the signature does not verify, or the timestamp is missing or more than
// `window` away from `now`. Messages name the channel and the creator's MSP, never the certificate.
absl::StatusOr<AuthenticatedRequest> AuthenticateRequest(
    const VaultChannels& channels, const ::careledger::vault::SignedVaultRequest& signed_request,
    ::careledger::vault::VaultRequest::OperationCase expected, absl::Time now,
    absl::Duration window = kDefaultRequestTimeWindow);

}  // namespace careledger::vault

#endif  // CARELEDGER_PEER_VAULT_REQUEST_AUTH_H_
