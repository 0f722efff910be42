// gateway.Gateway: the Fabric Gateway API, served on the peer's client port, so that Fabric's Gateway SDKs
// (@hyperledger/fabric-gateway for Node, the Go and Java ones) work against a CareLedger peer unchanged.
//
//   Evaluate        run a query on this peer, or on a peer of the organisation(s) the client targets
//   Endorse         collect endorsements satisfying the chaincode's endorsement policy; return the prepared
//                   (unsigned) transaction for the client to sign
//   Submit          send the signed transaction to the channel's ordering service
//   CommitStatus    (signed request) wait until the transaction's block commits; its validation code and block
//   ChaincodeEvents (signed request) stream a chaincode's events from a block on, resumable after a transaction
//
// This class only dispatches: each RPC lives in its own file (gateway_rpcs.h), and errors become gRPC statuses
// in one place (status_mapping.h), with Fabric's ErrorDetail{address, msp_id, message} for every endorsing peer
// or orderer that failed. Which code each RPC answers, when, and why: docs/gateway.md.
//
//   GatewayService gateway(channels, endorser, {.local_msp_id = "Hospital1MSP", .address = "peer0:7051"});
//   grpc::ServerBuilder builder;
//   builder.RegisterService(&gateway);
//
// An audit peer (GatewayOptions::audit) refuses Endorse and Submit with PERMISSION_DENIED.
//
// CommitStatus waits without a thread and ends when its client leaves; ChaincodeEvents checks every
// GatewayOptions::poll whether its client went away. grpc::Server::Shutdown(deadline) cancels both, so they
// return within one poll of it.
//
// Thread-safety: gRPC calls the methods concurrently; the service holds no mutable state.
#ifndef CARELEDGER_PEER_GATEWAY_GATEWAY_SERVICE_H_
#define CARELEDGER_PEER_GATEWAY_GATEWAY_SERVICE_H_

#include "gateway/gateway.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "peer/endorser/endorser.h"
#include "peer/gateway/gateway_channel.h"
#include "peer/gateway/gateway_options.h"

namespace careledger::gateway {

// CommitStatus is served on gRPC's callback API (it waits without a thread), the others synchronously.
class GatewayService final : public ::gateway::Gateway::WithCallbackMethod_CommitStatus<::gateway::Gateway::Service> {
 public:
  // `channels` and `local_endorser` (this peer's endorser) must outlive the service and the server it is
  // registered with.
  GatewayService(const GatewayChannels& channels, const endorser::Endorser& local_endorser, GatewayOptions options);

  grpc::Status Endorse(grpc::ServerContext* context, const ::gateway::EndorseRequest* request,
                       ::gateway::EndorseResponse* response) override;
  grpc::Status Submit(grpc::ServerContext* context, const ::gateway::SubmitRequest* request,
                      ::gateway::SubmitResponse* response) override;
  grpc::ServerUnaryReactor* CommitStatus(grpc::CallbackServerContext* context,
                                         const ::gateway::SignedCommitStatusRequest* request,
                                         ::gateway::CommitStatusResponse* response) override;
  grpc::Status Evaluate(grpc::ServerContext* context, const ::gateway::EvaluateRequest* request,
                        ::gateway::EvaluateResponse* response) override;
  grpc::Status ChaincodeEvents(grpc::ServerContext* context, const ::gateway::SignedChaincodeEventsRequest* request,
                               grpc::ServerWriter<::gateway::ChaincodeEventsResponse>* writer) override;

 private:
  const GatewayChannels& channels_;
  const endorser::Endorser& local_endorser_;
  const GatewayOptions options_;
};

}  // namespace careledger::gateway

#endif  // CARELEDGER_PEER_GATEWAY_GATEWAY_SERVICE_H_
