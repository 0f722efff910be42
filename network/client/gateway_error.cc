#include "network/client/gateway_error.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/strings.h"
#include "gateway/gateway.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/support/status.h"

namespace careledger::client {
namespace {

std::string Describe(const ::gateway::ErrorDetail& detail) {
  if (detail.msp_id().empty() && detail.address().empty()) return detail.message();
  if (detail.msp_id().empty()) return absl::StrCat(detail.address(), ": ", detail.message());
  if (detail.address().empty()) return absl::StrCat(detail.msp_id(), ": ", detail.message());
  return absl::StrCat(detail.msp_id(), " at ", detail.address(), ": ", detail.message());
}

// " [detail; detail]" for the gateway.ErrorDetails in the serialized google.rpc.Status `trailer`; "" if it
// holds none.
std::string DetailsText(const std::string& trailer) {
  ::google::rpc::Status rpc_status;
  if (!rpc_status.ParseFromString(trailer)) return " [the error details do not parse]";
  std::string text;
  for (const google::protobuf::Any& any : rpc_status.details()) {
    ::gateway::ErrorDetail detail;
    if (!any.Is<::gateway::ErrorDetail>() || !any.UnpackTo(&detail)) continue;
    absl::StrAppend(&text, text.empty() ? " [" : "; ", Describe(detail));
  }
  if (!text.empty()) absl::StrAppend(&text, "]");
  return text;
}

}  // namespace

absl::Status StatusFromGrpc(const grpc::Status& status, std::string_view what) {
  if (status.ok()) return absl::OkStatus();
  std::string message = absl::StrCat(AsAbsl(what), ": ", status.error_message());
  if (!status.error_details().empty()) absl::StrAppend(&message, DetailsText(status.error_details()));
  // grpc::StatusCode and absl::StatusCode are both the canonical codes. A number that is none of them (a peer
  // may put any number on the wire) becomes UNKNOWN.
  const int code = static_cast<int>(status.error_code());
  return absl::Status(code > 0 && code <= static_cast<int>(absl::StatusCode::kUnauthenticated)
                          ? static_cast<absl::StatusCode>(code)
                          : absl::StatusCode::kUnknown,
                      message);
}

}  // namespace careledger::client
