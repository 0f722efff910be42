#include "peer/gateway/status_mapping.h"

#include "gmock/gmock.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace careledger::gateway {
namespace {

TEST(StatusMappingTest, DetailsTravelWithTheStatusAndReachTheTrailerAsFabricSendsThem) {
  const ::gateway::ErrorDetail first = MakeErrorDetail("peer0.hospital2:7051", "Hospital2MSP", "unreachable");
  const ::gateway::ErrorDetail second = MakeErrorDetail("orderer0:7050", "OrdererMSP", "status=FORBIDDEN");
  absl::Status status = WithErrorDetails(absl::AbortedError("failed"), {&first, 1});
  status = WithErrorDetails(status, {&second, 1});
  ASSERT_EQ(ErrorDetailsOf(status).size(), 2u);
  EXPECT_EQ(ErrorDetailsOf(status)[1].msp_id(), "OrdererMSP");

  const grpc::Status sent = ToGrpcStatus(status);
  EXPECT_EQ(sent.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(sent.error_message(), "failed");
  ::google::rpc::Status trailer;
  ASSERT_TRUE(trailer.ParseFromString(sent.error_details()));
  EXPECT_EQ(trailer.code(), static_cast<int>(grpc::StatusCode::ABORTED));
  EXPECT_EQ(trailer.message(), "failed");
  ASSERT_EQ(trailer.details_size(), 2);
  EXPECT_EQ(trailer.details(0).type_url(), "type.googleapis.com/gateway.ErrorDetail");
  ::gateway::ErrorDetail detail;
  ASSERT_TRUE(trailer.details(0).UnpackTo(&detail));
  EXPECT_EQ(detail.address(), "peer0.hospital2:7051");
  EXPECT_EQ(detail.message(), "unreachable");
}

TEST(StatusMappingTest, CodesAreKeptAndStatusesWithoutDetailsSendNoTrailer) {
  const grpc::Status sent = ToGrpcStatus(absl::PermissionDeniedError("no"));
  EXPECT_EQ(sent.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(sent.error_details().empty());
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  const ::gateway::ErrorDetail detail = MakeErrorDetail("a", "b", "c");
  EXPECT_TRUE(WithErrorDetails(absl::OkStatus(), {&detail, 1}).ok());
}

TEST(StatusMappingTest, TransportErrorsAreUnavailableUnlessOutOfTime) {
  EXPECT_EQ(TransportError(grpc::Status(grpc::StatusCode::UNAVAILABLE, "refused"), "peer p").code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(TransportError(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "no such service"), "peer p").message(),
            "peer p: UNIMPLEMENTED: no such service");
  EXPECT_EQ(TransportError(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "late"), "peer p").code(),
            absl::StatusCode::kDeadlineExceeded);
}

}  // namespace
}  // namespace careledger::gateway
