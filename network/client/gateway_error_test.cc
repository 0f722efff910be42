#include "network/client/gateway_error.h"

#include <string>

#include "gateway/gateway.pb.h"
#include "gmock/gmock.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/support/status.h"
#include "gtest/gtest.h"
#include "peer/proposal_response.pb.h"

namespace careledger::client {
namespace {

// The trailer a gateway sends (peer/gateway/status_mapping.cc, Fabric's newRpcError).
std::string Trailer(grpc::StatusCode code, const std::string& message,
                    const std::vector<::gateway::ErrorDetail>& details) {
  ::google::rpc::Status status;
  status.set_code(static_cast<int>(code));
  status.set_message(message);
  for (const ::gateway::ErrorDetail& detail : details) status.add_details()->PackFrom(detail);
  return status.SerializeAsString();
}

::gateway::ErrorDetail Detail(const std::string& address, const std::string& msp_id, const std::string& message) {
  ::gateway::ErrorDetail detail;
  detail.set_address(address);
  detail.set_msp_id(msp_id);
  detail.set_message(message);
  return detail;
}

TEST(StatusFromGrpcTest, KeepsTheCodeAndPrefixesTheCall) {
  EXPECT_TRUE(StatusFromGrpc(grpc::Status::OK, "Endorse at p:7051").ok());
  absl::Status status =
      StatusFromGrpc(grpc::Status(grpc::StatusCode::NOT_FOUND, "channel 'x' is not joined"), "Evaluate at p:7051");
  EXPECT_EQ(status, absl::NotFoundError("Evaluate at p:7051: channel 'x' is not joined"));
}

TEST(StatusFromGrpcTest, AppendsEveryErrorDetailInOrder) {
  const std::string message = "failed to collect enough transaction endorsements, see attached details";
  const std::vector<::gateway::ErrorDetail> details = {
      Detail("peer0.hospital2.example.org:7051", "Hospital2MSP", "endorse call: UNAVAILABLE: connection refused"),
      Detail("peer1.hospital2.example.org:7051", "Hospital2MSP", "chaincode response 500, no"),
  };
  absl::Status status = StatusFromGrpc(
      grpc::Status(grpc::StatusCode::ABORTED, message, Trailer(grpc::StatusCode::ABORTED, message, details)),
      "Endorse at p:7051");
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(status.message(),
            "Endorse at p:7051: " + message +
                " [Hospital2MSP at peer0.hospital2.example.org:7051: endorse call: UNAVAILABLE: connection refused; "
                "Hospital2MSP at peer1.hospital2.example.org:7051: chaincode response 500, no]");
}

TEST(StatusFromGrpcTest, ADetailWithoutAddressOrOrganisationAndOtherDetailTypes) {
  ::google::rpc::Status rpc_status;
  rpc_status.add_details()->PackFrom(::protos::Response());  // not an ErrorDetail: skipped
  rpc_status.add_details()->PackFrom(Detail("", "OrdererMSP", "status=BAD_REQUEST"));
  rpc_status.add_details()->PackFrom(Detail("orderer0:7050", "", "unreachable"));
  absl::Status status = StatusFromGrpc(
      grpc::Status(grpc::StatusCode::UNAVAILABLE, "no orderer", rpc_status.SerializeAsString()), "Submit at p:1");
  EXPECT_EQ(status, absl::UnavailableError(
                        "Submit at p:1: no orderer [OrdererMSP: status=BAD_REQUEST; orderer0:7050: unreachable]"));
}

TEST(StatusFromGrpcTest, ATrailerThatDoesNotParseIsSaidNotIgnored) {
  absl::Status status =
      StatusFromGrpc(grpc::Status(grpc::StatusCode::ABORTED, "failed", "\xff\xff\xff"), "Endorse at p:1");
  EXPECT_EQ(status, absl::AbortedError("Endorse at p:1: failed [the error details do not parse]"));
  // A trailer without details (a gateway that attaches none) adds nothing.
  EXPECT_EQ(StatusFromGrpc(
                grpc::Status(grpc::StatusCode::ABORTED, "failed", Trailer(grpc::StatusCode::ABORTED, "failed", {})),
                "Endorse at p:1"),
            absl::AbortedError("Endorse at p:1: failed"));
}

}  // namespace
}  // namespace careledger::client
