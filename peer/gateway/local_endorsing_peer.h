// This peer's own endorser as an EndorsingPeer, the first of its organisation's endorsing peers: the gateway
// endorses locally without a network hop (Fabric's localEndorser).
#ifndef CARELEDGER_PEER_GATEWAY_LOCAL_ENDORSING_PEER_H_
#define CARELEDGER_PEER_GATEWAY_LOCAL_ENDORSING_PEER_H_

#include <string>

#include "peer/endorser/endorser.h"
#include "peer/gateway/gateway_channel.h"

namespace careledger::gateway {

// The address LocalEndorsingPeer reports (Fabric's gateway names its local endorser the same way in logs).
inline constexpr char kLocalPeerAddress[] = "local";

class LocalEndorsingPeer final : public EndorsingPeer {
 public:
  // `endorser` must outlive this object; `msp_id` is this peer's organisation.
  LocalEndorsingPeer(const endorser::Endorser& endorser, std::string msp_id)
      : endorser_(endorser), msp_id_(std::move(msp_id)), address_(kLocalPeerAddress) {}

  const std::string& msp_id() const override { return msp_id_; }
  const std::string& address() const override { return address_; }

  // Endorses (ProposalMode::kEndorse) on the calling thread. The endorser's refusals keep their codes; a
  // chaincode refusal is ChaincodeRefusal. `deadline` is not enforced here: the chaincode runtime bounds the
  // simulation with its own time limit.
  absl::StatusOr<::protos::ProposalResponse> ProcessProposal(const ::protos::SignedProposal& proposal,
                                                             absl::Time deadline) override;

 private:
  const endorser::Endorser& endorser_;
  const std::string msp_id_;
  const std::string address_;
};

}  // namespace careledger::gateway

#endif  // CARELEDGER_PEER_GATEWAY_LOCAL_ENDORSING_PEER_H_
