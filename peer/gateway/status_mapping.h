// How the client-facing services' errors reach clients: the one place absl statuses become gRPC statuses.
//
// Inside peer/gateway every failure is an absl::Status whose code already is the gRPC code the client gets
// (absl's canonical codes are gRPC's, value for value; docs/gateway.md lists which RPC answers which). A status
// may carry ErrorDetails — Fabric's gateway.ErrorDetail{address, msp_id, message}, one per endorsing peer or
// orderer that failed — attached with WithErrorDetails as the status travels up. ToGrpcStatus then sends, as
// Fabric's gateway does (internal/pkg/gateway/apiutils.go, newRpcError), the code, the message and, when there
// are details, the binary trailer grpc-status-details-bin holding
//
//   google.rpc.Status{code, message, details: [Any{"type.googleapis.com/gateway.ErrorDetail", ErrorDetail}...]}
//
// which Fabric's Gateway SDKs turn into GatewayError.details / EndorseError.details (Node: newGatewayError
// reads that trailer; Go and Java: status.Details()), so a client sees which peer or orderer failed and why.
//
// Pure functions; thread-safe.
#ifndef CARELEDGER_PEER_GATEWAY_STATUS_MAPPING_H_
#define CARELEDGER_PEER_GATEWAY_STATUS_MAPPING_H_

#include <span>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "gateway/gateway.pb.h"
#include "grpcpp/support/status.h"

namespace careledger::gateway {

// ErrorDetail{address, msp_id, message}.
::gateway::ErrorDetail MakeErrorDetail(std::string_view address, std::string_view msp_id, std::string_view message);

// `status` with `details` added after any it already carries. An OK status stays OK (and carries nothing).
absl::Status WithErrorDetails(absl::Status status, std::span<const ::gateway::ErrorDetail> details);

// The details `status` carries, in the order they were added; empty if none.
std::vector<::gateway::ErrorDetail> ErrorDetailsOf(const absl::Status& status);

// The gRPC status for `status`: the same code and message, and the error details trailer described above when
// it carries ErrorDetails. OK for OK.
grpc::Status ToGrpcStatus(const absl::Status& status);

// What a failed call to another node (a peer's peer.Endorser, an orderer's Broadcast) means here, as Fabric's
// gateway reads it (responseStatus: an error without a response is an unreachable node): DeadlineExceeded if
// the call ran out of time, Unavailable otherwise — whatever the node answered, it gave no usable response, so
// the caller may try another. The message is "<what>: <gRPC code name>: <gRPC message>".
absl::Status TransportError(const grpc::Status& status, std::string_view what);

}  // namespace careledger::gateway

#endif  // CARELEDGER_PEER_GATEWAY_STATUS_MAPPING_H_
