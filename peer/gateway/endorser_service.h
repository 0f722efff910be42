// protos.Endorser: this peer's endorser on the network, for the gateways of other peers (CareLedger's or
// Fabric's) collecting endorsements from this organisation, and for older Fabric SDKs that endorse
// themselves.
//
// ProcessProposal answers as Fabric's endorser does (core/endorser/endorser.go), always with an OK gRPC status
// and a ProposalResponse that the caller reads:
//   - endorsed: the signed response (status in [200, 400), payload, endorsement);
//   - the chaincode refused (status >= 400): its response, unsigned; for status >= 500 with the proposal
//     response payload (proposal hash, ChaincodeAction{response, chaincode ID}) so that a gateway can tell the
//     chaincode's refusal from the peer's;
//   - the peer refused the proposal (malformed, not allowed, unknown channel or chaincode, duplicate transaction
//     ID, ... — endorser.h): response {status 500, message: why}, no payload;
//   - an audit peer refuses every proposal: {500, kAuditEndorseRefusal}.
//
// Thread-safety: gRPC calls ProcessProposal concurrently; the service holds no mutable state.
#ifndef CARELEDGER_PEER_GATEWAY_ENDORSER_SERVICE_H_
#define CARELEDGER_PEER_GATEWAY_ENDORSER_SERVICE_H_

#include "grpcpp/grpcpp.h"
#include "peer/endorser/endorser.h"
#include "peer/peer.grpc.pb.h"

namespace careledger::gateway {

class EndorserService final : public ::protos::Endorser::Service {
 public:
  // `endorser` must outlive the service and the server it is registered with. `audit`: see GatewayOptions.
  EndorserService(const endorser::Endorser& endorser, bool audit) : endorser_(endorser), audit_(audit) {}

  grpc::Status ProcessProposal(grpc::ServerContext* context, const ::protos::SignedProposal* proposal,
                               ::protos::ProposalResponse* response) override;

 private:
  const endorser::Endorser& endorser_;
  const bool audit_;
};

}  // namespace careledger::gateway

#endif  // CARELEDGER_PEER_GATEWAY_ENDORSER_SERVICE_H_
