// Who may read a channel through this peer: the check behind CommitStatus, ChaincodeEvents and Deliver, whose
// requests are signed by the client (Fabric's aclmgmt with its default ACL provider).
//
// Each request names a resource; the channel's /Channel/Application/ACLs may map it to a policy, and otherwise
// Fabric's default applies (core/aclmgmt/defaultaclprovider.go): all four resources below default to
// /Channel/Application/Readers — members of the channel's application organisations (admin, peer, client).
//
// Pure: a function of the channel's configuration and MSPs, the request and the time passed in. Thread-safe.
#ifndef CARELEDGER_PEER_GATEWAY_SIGNED_REQUEST_H_
#define CARELEDGER_PEER_GATEWAY_SIGNED_REQUEST_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "msp/identity.h"
#include "peer/endorser/endorser_channel.h"

namespace careledger::gateway {

// Fabric's ACL resource names (core/aclmgmt/resources).
inline constexpr std::string_view kCommitStatusResource = "gateway/CommitStatus";
inline constexpr std::string_view kChaincodeEventsResource = "gateway/ChaincodeEvents";
inline constexpr std::string_view kBlockEventsResource = "event/Block";
inline constexpr std::string_view kFilteredBlockEventsResource = "event/FilteredBlock";

// The policy every resource above defaults to.
inline constexpr std::string_view kApplicationReaders = "/Channel/Application/Readers";

// The absolute path of the policy that guards `resource` on `channel`: its ACL entry (a relative reference is
// relative to /Channel/Application, as in Fabric) or kApplicationReaders.
std::string ResourcePolicyPath(const endorser::EndorserChannel& channel, std::string_view resource);

// One signed request: `signature` by `identity` (a serialized msp.SerializedIdentity) over `data`.
struct SignedRequest {
  std::string_view data;
  std::string_view identity;
  std::string_view signature;
};

// Checks, in this order, that: `request.identity` is a valid identity of one of the channel's MSPs; its
// certificate is valid at `now`; the signature verifies over the data; the identity satisfies the policy of
// `resource` (ResourcePolicyPath). Returns the validated identity. Errors: PermissionDenied saying which check
// failed and naming the channel (the identity is never echoed: it is a certificate); Internal if the policy
// the ACL names does not exist (a configuration the channel should not have accepted).
absl::StatusOr<std::shared_ptr<const msp::Identity>> AuthorizeSignedRequest(const endorser::EndorserChannel& channel,
                                                                            const SignedRequest& request,
                                                                            std::string_view resource, absl::Time now);

}  // namespace careledger::gateway

#endif  // CARELEDGER_PEER_GATEWAY_SIGNED_REQUEST_H_
