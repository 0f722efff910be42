#include "peer/gateway/status_mapping.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/types/optional.h"
#include "common/strings.h"
#include "google/rpc/status.pb.h"

namespace careledger::gateway {
namespace {

// Where a status keeps its details while it travels inside the gateway: a google.rpc.Status holding only the
// details, serialized. The key is private to this file, so nothing else reads or forges it.
constexpr char kDetailsPayloadKey[] = "careledger.gateway/error-details";

::google::rpc::Status DetailsMessageOf(const absl::Status& status) {
  ::google::rpc::Status message;
  absl::optional<absl::Cord> payload = status.GetPayload(kDetailsPayloadKey);
  if (payload.has_value()) message.ParseFromString(std::string(*payload));
  return message;
}

std::string_view CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    default:
      return "UNKNOWN";
  }
}

}  // namespace

::gateway::ErrorDetail MakeErrorDetail(std::string_view address, std::string_view msp_id, std::string_view message) {
  ::gateway::ErrorDetail detail;
  detail.set_address(std::string(address));
  detail.set_msp_id(std::string(msp_id));
  detail.set_message(std::string(message));
  return detail;
}

absl::Status WithErrorDetails(absl::Status status, std::span<const ::gateway::ErrorDetail> details) {
  if (status.ok() || details.empty()) return status;
  ::google::rpc::Status message = DetailsMessageOf(status);
  for (const ::gateway::ErrorDetail& detail : details) message.add_details()->PackFrom(detail);
  status.SetPayload(kDetailsPayloadKey, absl::Cord(message.SerializeAsString()));
  return status;
}

std::vector<::gateway::ErrorDetail> ErrorDetailsOf(const absl::Status& status) {
  std::vector<::gateway::ErrorDetail> details;
  const ::google::rpc::Status message = DetailsMessageOf(status);
  for (const google::protobuf::Any& any : message.details()) {
    ::gateway::ErrorDetail detail;
    if (any.UnpackTo(&detail)) details.push_back(std::move(detail));
  }
  return details;
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // absl::StatusCode and grpc::StatusCode share their values (both are the canonical codes).
  const auto code = static_cast<grpc::StatusCode>(status.code());
  const std::string message(status.message());
  ::google::rpc::Status details = DetailsMessageOf(status);
  if (details.details_size() == 0) return grpc::Status(code, message);
  details.set_code(static_cast<int32_t>(code));
  details.set_message(message);
  return grpc::Status(code, message, details.SerializeAsString());
}

absl::Status TransportError(const grpc::Status& status, std::string_view what) {
  const std::string message =
      absl::StrCat(AsAbsl(what), ": ", AsAbsl(CodeName(status.error_code())), ": ", status.error_message());
  if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) return absl::DeadlineExceededError(message);
  return absl::UnavailableError(message);
}

}  // namespace careledger::gateway
