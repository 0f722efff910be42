#include "common/nodeconfig/grpc_server_metrics.h"

#include <memory>
#include <string>

#include "gateway/gateway.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

namespace careledger::nodeconfig {
namespace {

using ::testing::HasSubstr;

// A gateway that refuses Evaluate on channel "deny" and streams two events for ChaincodeEvents.
class TestGateway final : public ::gateway::Gateway::Service {
 public:
  grpc::Status Evaluate(grpc::ServerContext*, const ::gateway::EvaluateRequest* request,
                        ::gateway::EvaluateResponse*) override {
    if (request->channel_id() == "deny") return {grpc::StatusCode::PERMISSION_DENIED, "no"};
    return grpc::Status::OK;
  }
  grpc::Status ChaincodeEvents(grpc::ServerContext*, const ::gateway::SignedChaincodeEventsRequest*,
                               grpc::ServerWriter<::gateway::ChaincodeEventsResponse>* writer) override {
    ::gateway::ChaincodeEventsResponse response;
    writer->Write(response);
    writer->Write(response);
    return grpc::Status::OK;
  }
};

TEST(GrpcServerMetricsTest, CountsCallsByMethodAndCodeAndStreamMessages) {
  metrics::Registry registry;
  absl::StatusOr<std::shared_ptr<GrpcServerMetrics>> server_metrics = RegisterGrpcServerMetrics(registry);
  ASSERT_TRUE(server_metrics.ok()) << server_metrics.status();
  TestGateway service;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  ApplyServerMetrics(builder, *server_metrics);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);

  auto stub = ::gateway::Gateway::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  for (const char* channel : {"ok", "ok", "deny"}) {
    grpc::ClientContext context;
    ::gateway::EvaluateRequest request;
    request.set_channel_id(channel);
    ::gateway::EvaluateResponse response;
    stub->Evaluate(&context, request, &response);
  }
  {
    grpc::ClientContext context;
    auto reader = stub->ChaincodeEvents(&context, ::gateway::SignedChaincodeEventsRequest());
    ::gateway::ChaincodeEventsResponse event;
    int events = 0;
    while (reader->Read(&event)) ++events;
    EXPECT_TRUE(reader->Finish().ok());
    EXPECT_EQ(events, 2);
  }
  server->Shutdown();

  const std::string text = registry.RenderText();
  const std::string evaluate = R"(service="gateway.Gateway",method="Evaluate")";
  const std::string events = R"(service="gateway.Gateway",method="ChaincodeEvents")";
  EXPECT_THAT(text, HasSubstr("grpc_server_unary_requests_received{" + evaluate + "} 3"));
  EXPECT_THAT(text, HasSubstr("grpc_server_unary_requests_completed{" + evaluate + R"(,code="OK"} 2)"));
  EXPECT_THAT(text, HasSubstr("grpc_server_unary_requests_completed{" + evaluate + R"(,code="PERMISSION_DENIED"} 1)"));
  EXPECT_THAT(text, HasSubstr("grpc_server_unary_request_duration_count{" + evaluate + R"(,code="OK"} 2)"));
  EXPECT_THAT(text, HasSubstr("grpc_server_stream_requests_received{" + events + "} 1"));
  EXPECT_THAT(text, HasSubstr("grpc_server_stream_requests_completed{" + events + R"(,code="OK"} 1)"));
  EXPECT_THAT(text, HasSubstr("grpc_server_stream_messages_sent{" + events + "} 2"));
  EXPECT_THAT(text, HasSubstr("grpc_server_stream_messages_received{" + events + "} 1"));
}

TEST(GrpcServerMetricsTest, RegistersOnceAndRefusesAClashingFamily) {
  metrics::Registry registry;
  ASSERT_TRUE(RegisterGrpcServerMetrics(registry).ok());
  EXPECT_TRUE(RegisterGrpcServerMetrics(registry).ok());  // the same shapes: shared
  metrics::Registry clashing;
  ASSERT_TRUE(clashing.AddGauge("grpc_server_unary_requests_received", "not a counter").ok());
  EXPECT_EQ(RegisterGrpcServerMetrics(clashing).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace careledger::nodeconfig
