// The client's side of request_auth.h: a VaultRequest signed by its creator. Its own small library
// (careledger_vault_request), so that clients sign requests without linking the vault.
#ifndef CARELEDGER_PEER_VAULT_REQUEST_SIGNING_H_
#define CARELEDGER_PEER_VAULT_REQUEST_SIGNING_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "careledger/vault.pb.h"
#include "common/protoutil/signer.h"

namespace careledger::vault {

// Fills in `request`'s channel, creator (signer's serialized identity), timestamp (`now`) and a fresh random
// nonce, serializes it and signs the bytes. `request` carries the operation. Errors: the signer's, with
// context; Internal if the CSPRNG fails.
absl::StatusOr<::careledger::vault::SignedVaultRequest> SignVaultRequest(::careledger::vault::VaultRequest request,
                                                                         std::string_view channel_id,
                                                                         const protoutil::Signer& signer,
                                                                         absl::Time now);

}  // namespace careledger::vault

#endif  // CARELEDGER_PEER_VAULT_REQUEST_SIGNING_H_
