#include "peer/gateway/signed_request.h"

#include <span>

#include "absl/strings/str_cat.h"
#include "common/channelconfig/policy_manager.h"
#include "common/strings.h"

namespace careledger::gateway {

std::string ResourcePolicyPath(const endorser::EndorserChannel& channel, std::string_view resource) {
  const auto& acls = channel.config().acls();
  auto entry = acls.find(std::string(resource));
  if (entry == acls.end()) return std::string(kApplicationReaders);
  return channelconfig::ResolvePolicyPath("/Channel/Application", entry->second);
}

absl::StatusOr<std::shared_ptr<const msp::Identity>> AuthorizeSignedRequest(const endorser::EndorserChannel& channel,
                                                                            const SignedRequest& request,
                                                                            std::string_view resource, absl::Time now) {
  const std::string& channel_id = channel.config().channel_id();
  absl::StatusOr<std::shared_ptr<const msp::Identity>> identity = channel.msps().Deserialize(request.identity);
  if (!identity.ok()) {
    return absl::PermissionDeniedError(absl::StrCat("the request's identity is not a valid identity of channel '",
                                                    channel_id, "': ", identity.status().message()));
  }
  if (absl::Status valid = (*identity)->CheckValidAt(now); !valid.ok()) {
    return absl::PermissionDeniedError(
        absl::StrCat("the request's identity is not valid now on channel '", channel_id, "': ", valid.message()));
  }
  if (absl::Status verified = (*identity)->Verify(request.data, request.signature); !verified.ok()) {
    return absl::PermissionDeniedError(absl::StrCat("the request's signature does not verify for its identity (",
                                                    AsAbsl((*identity)->msp_id()), ") on channel '", channel_id,
                                                    "': ", verified.message()));
  }
  const std::string policy_path = ResourcePolicyPath(channel, resource);
  const policies::Policy* policy = channel.config().policy_manager().Get(policy_path);
  if (policy == nullptr) {
    return absl::InternalError(absl::StrCat("channel '", channel_id, "' has no policy ", policy_path,
                                            " (the policy of ", AsAbsl(resource), ")"));
  }
  const policies::Identity* const signers[] = {identity->get()};
  if (absl::Status allowed = policy->Evaluate(std::span<const policies::Identity* const>(signers)); !allowed.ok()) {
    return absl::PermissionDeniedError(absl::StrCat("the request's identity (", AsAbsl((*identity)->msp_id()),
                                                    ") does not satisfy ", policy_path, " of channel '", channel_id,
                                                    "', which ", AsAbsl(resource), " requires: ", allowed.message()));
  }
  return *std::move(identity);
}

}  // namespace careledger::gateway
