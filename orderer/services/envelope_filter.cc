#include "orderer/services/envelope_filter.h"

#include <span>

#include "absl/strings/str_cat.h"
#include "common/policies/policy.h"
#include "common/strings.h"

namespace careledger::orderer {

std::string HeaderTypeLabel(int32_t header_type) {
  const std::string name =
      ::common::HeaderType_IsValid(header_type) ? ::common::HeaderType_Name(header_type) : std::string("unknown");
  return absl::StrCat(name, " (", header_type, ")");
}

Verdict CheckCreator(const ChannelView& channel, const ::common::Envelope& envelope, std::string_view creator,
                     std::string_view policy_path, absl::Time now, std::shared_ptr<const msp::Identity>* creator_out) {
  const std::string& channel_id = channel.config.channel_id();
  absl::StatusOr<std::shared_ptr<const msp::Identity>> identity = channel.msps.Deserialize(creator);
  if (!identity.ok()) {
    return Verdict::Refuse(::common::FORBIDDEN, absl::StrCat("the creator is not a valid identity on channel ",
                                                             channel_id, ": ", identity.status().message()));
  }
  if (absl::Status valid = (*identity)->CheckValidAt(now); !valid.ok()) {
    return Verdict::Refuse(::common::FORBIDDEN, absl::StrCat("the creator's identity is not valid now: ", valid.message()));
  }
  if (absl::Status signed_ok = (*identity)->Verify(envelope.payload(), envelope.signature()); !signed_ok.ok()) {
    return Verdict::Refuse(::common::FORBIDDEN,
                           absl::StrCat("the envelope's signature is not valid for its creator (",
                                        AsAbsl((*identity)->msp_id()), "): ", signed_ok.message()));
  }
  const policies::Policy* policy = channel.config.policy_manager().Get(policy_path);
  if (policy == nullptr) {
    return Verdict::Refuse(::common::INTERNAL_SERVER_ERROR,
                           absl::StrCat("channel ", channel_id, " has no policy ", AsAbsl(policy_path)));
  }
  const policies::Identity* const signers[] = {identity->get()};
  if (absl::Status allowed = policy->Evaluate(std::span<const policies::Identity* const>(signers)); !allowed.ok()) {
    return Verdict::Refuse(::common::FORBIDDEN,
                           absl::StrCat("the creator (", AsAbsl((*identity)->msp_id()), ") does not satisfy ",
                                        AsAbsl(policy_path), " of channel ", channel_id, ": ", allowed.message()));
  }
  if (creator_out != nullptr) *creator_out = *std::move(identity);
  return Verdict::Accept();
}

Verdict CheckBroadcastEnvelope(const ChannelView& channel, const ::common::Envelope& envelope,
                               const protoutil::ParsedEnvelope& parsed, absl::Time now) {
  const size_t size = envelope.ByteSizeLong();
  const uint64_t max_bytes = channel.config.batch().absolute_max_bytes;
  if (size > max_bytes) {
    return Verdict::Refuse(::common::BAD_REQUEST,
                           absl::StrCat("the envelope is ", size, " bytes, more than the channel's BatchSize.",
                                        "absolute_max_bytes of ", max_bytes, " bytes"));
  }
  const int32_t type = parsed.channel_header.type();
  switch (type) {
    case ::common::ENDORSER_TRANSACTION:
    case ::common::MESSAGE:
      break;
    case ::common::CONFIG_UPDATE:
      return Verdict::Refuse(::common::NOT_IMPLEMENTED,
                             "channel configuration updates (CONFIG_UPDATE envelopes) are not supported by this "
                             "orderer yet; the channel's configuration is unchanged");
    case ::common::CONFIG:
      return Verdict::Refuse(::common::BAD_REQUEST,
                             "CONFIG envelopes are written by the orderers only; submit a CONFIG_UPDATE instead");
    default:
      return Verdict::Refuse(::common::BAD_REQUEST,
                             absl::StrCat("Broadcast does not accept envelopes of header type ", HeaderTypeLabel(type),
                                          ": only ENDORSER_TRANSACTION and MESSAGE"));
  }
  if (channel.config.consensus_state() == channelconfig::ConsensusState::kMaintenance) {
    return Verdict::Refuse(::common::SERVICE_UNAVAILABLE,
                           absl::StrCat("channel ", channel.config.channel_id(),
                                        " is in maintenance mode: normal transactions are refused"));
  }
  return CheckCreator(channel, envelope, parsed.signature_header.creator(), kChannelWriters, now);
}

}  // namespace careledger::orderer
