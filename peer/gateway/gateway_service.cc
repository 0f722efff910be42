#include "peer/gateway/gateway_service.h"

#include <string_view>
#include <utility>

#include "common/logging/logger.h"
#include "peer/gateway/call_context.h"
#include "peer/gateway/gateway_rpcs.h"
#include "peer/gateway/status_mapping.h"

namespace careledger::gateway {
namespace {

const logging::Logger& Log() {
  static const logging::Logger log("peer.gateway");
  return log;
}

// The gRPC answer to one call; failures are logged at debug level, since most are the client's to handle
// (and each one is in the client's error, with its details).
grpc::Status Answer(std::string_view rpc, const CallContext& call, const absl::Status& status) {
  if (!status.ok()) {
    Log().Debug("call failed", {{"rpc", rpc}, {"client", call.client}, {"error", status}});
  }
  return ToGrpcStatus(status);
}

template <typename Response>
grpc::Status Answer(std::string_view rpc, const CallContext& call, absl::StatusOr<Response> result,
                    Response* response) {
  if (result.ok()) *response = *std::move(result);
  return Answer(rpc, call, result.status());
}

}  // namespace

GatewayService::GatewayService(const GatewayChannels& channels, const endorser::Endorser& local_endorser,
                               GatewayOptions options)
    : channels_(channels), local_endorser_(local_endorser), options_(std::move(options)) {}

grpc::Status GatewayService::Endorse(grpc::ServerContext* context, const ::gateway::EndorseRequest* request,
                                     ::gateway::EndorseResponse* response) {
  const CallContext call = CallContextOf(*context);
  return Answer("Endorse", call, gateway::Endorse({channels_, local_endorser_, options_}, *request, call), response);
}

grpc::Status GatewayService::Submit(grpc::ServerContext* context, const ::gateway::SubmitRequest* request,
                                    ::gateway::SubmitResponse* /*response*/) {
  const CallContext call = CallContextOf(*context);
  return Answer("Submit", call, gateway::Submit({channels_, local_endorser_, options_}, *request, call));
}

grpc::ServerUnaryReactor* GatewayService::CommitStatus(grpc::CallbackServerContext* context,
                                                       const ::gateway::SignedCommitStatusRequest* request,
                                                       ::gateway::CommitStatusResponse* response) {
  return StartCommitStatus({channels_, local_endorser_, options_}, context, *request, response);
}

grpc::Status GatewayService::Evaluate(grpc::ServerContext* context, const ::gateway::EvaluateRequest* request,
                                      ::gateway::EvaluateResponse* response) {
  const CallContext call = CallContextOf(*context);
  return Answer("Evaluate", call, gateway::Evaluate({channels_, local_endorser_, options_}, *request, call), response);
}

grpc::Status GatewayService::ChaincodeEvents(grpc::ServerContext* context,
                                             const ::gateway::SignedChaincodeEventsRequest* request,
                                             grpc::ServerWriter<::gateway::ChaincodeEventsResponse>* writer) {
  const CallContext call = CallContextOf(*context);
  return Answer("ChaincodeEvents", call,
                gateway::ChaincodeEvents(
                    {channels_, local_endorser_, options_}, *request, call,
                    [writer](const ::gateway::ChaincodeEventsResponse& response) { return writer->Write(response); }));
}

}  // namespace careledger::gateway
