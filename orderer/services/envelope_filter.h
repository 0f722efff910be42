// The rules a client's envelope must satisfy before the orderer acts on it, as Fabric's orderer applies them
// (orderer/common/msgprocessor for Broadcast on a standard channel, common/deliver's session access control
// for Deliver). Each rule gives a Fabric status, decided here where the rule is stated, and a precise reason.
//
// Pure: a function of the channel (its configuration and MSPs), the envelope and the time passed in. No I/O,
// no locks held while signatures are verified (the MSP manager only locks its identity cache briefly).
// Thread-safe.
#ifndef CARELEDGER_ORDERER_SERVICES_ENVELOPE_FILTER_H_
#define CARELEDGER_ORDERER_SERVICES_ENVELOPE_FILTER_H_

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "absl/time/time.h"
#include "common/channelconfig/channel_config.h"
#include "common/common.pb.h"
#include "common/protoutil/envelope.h"
#include "msp/identity.h"
#include "msp/msp_manager.h"

namespace careledger::orderer {

// How the orderer answers one request: SUCCESS, or the Fabric status of the first rule it broke and why
// (Broadcast returns `info` to the client; Deliver, whose responses carry no text, logs it).
struct Verdict {
  ::common::Status status = ::common::SUCCESS;
  std::string info;

  bool ok() const { return status == ::common::SUCCESS; }
  static Verdict Accept() { return {}; }
  static Verdict Refuse(::common::Status status, std::string info) { return {status, std::move(info)}; }
};

// What the rules read of a channel. Both must outlive the call.
struct ChannelView {
  const channelconfig::ChannelConfig& config;
  const msp::MspManager& msps;
};

// The policies Fabric's orderer checks requests against.
inline constexpr std::string_view kChannelWriters = "/Channel/Writers";
inline constexpr std::string_view kChannelReaders = "/Channel/Readers";

// "ENDORSER_TRANSACTION (3)", or "unknown (42)": ChannelHeader.type is an int32 from the network.
std::string HeaderTypeLabel(int32_t header_type);

// Checks that the envelope's creator may make this request on `channel` at time `now`, in this order, each
// failure FORBIDDEN:
//   - `creator` deserializes with the channel's MSPs (unknown MSP, untrusted chain, revoked, no valid node OU
//     all fail here; results are cached by the MSP manager, so a known creator costs a lookup);
//   - its certificate is valid at `now` (msp::Identity::CheckValidAt);
//   - envelope.signature is the creator's valid signature over envelope.payload (verified once);
//   - the policy at `policy_path` is satisfied by the creator (evaluated over the verified identity, so the
//     signature is not verified a second time).
// A missing policy is INTERNAL_SERVER_ERROR (ChannelConfig guarantees /Channel/Readers and Writers exist).
// On success, and if `creator_out` is not null, stores the validated creator there.
Verdict CheckCreator(const ChannelView& channel, const ::common::Envelope& envelope, std::string_view creator,
                     std::string_view policy_path, absl::Time now,
                     std::shared_ptr<const msp::Identity>* creator_out = nullptr);

// Broadcast's rules for an envelope already parsed (protoutil::ParseEnvelope; failures there are BAD_REQUEST)
// and addressed to `channel` (the caller answers NOT_FOUND for a channel it does not serve), in this order:
//   - the serialized envelope is at most the channel's BatchSize.absolute_max_bytes: BAD_REQUEST otherwise
//     (Fabric's MaxBytes rule; the same size the block cutter measures, so the chain never refuses it later);
//   - the header type: CONFIG_UPDATE is NOT_IMPLEMENTED (channel configuration updates are not processed by
//     this orderer yet); CONFIG is BAD_REQUEST (only orderers write config transactions); any type other
//     than ENDORSER_TRANSACTION and MESSAGE is BAD_REQUEST;
//   - the channel is not in maintenance mode (Fabric refuses normal transactions while the consensus type
//     migrates): SERVICE_UNAVAILABLE otherwise;
//   - CheckCreator against /Channel/Writers: FORBIDDEN.
Verdict CheckBroadcastEnvelope(const ChannelView& channel, const ::common::Envelope& envelope,
                               const protoutil::ParsedEnvelope& parsed, absl::Time now);

}  // namespace careledger::orderer

#endif  // CARELEDGER_ORDERER_SERVICES_ENVELOPE_FILTER_H_
