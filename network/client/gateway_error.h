// How a Fabric Gateway's errors reach a CareLedger client: gRPC statuses become absl statuses that a person can
// act on.
//
// A gateway (CareLedger's peer/gateway, or Fabric's) answers a failed call with a gRPC code, a message and,
// when other nodes failed, the binary trailer grpc-status-details-bin holding
//
//   google.rpc.Status{code, message, details: [Any(gateway.ErrorDetail{address, msp_id, message})...]}
//
// one detail per endorsing peer or orderer attempt that failed (peer/gateway/status_mapping.h is the sending
// side). The message alone ("failed to collect enough transaction endorsements, see attached details") does not
// say what failed where, so StatusFromGrpc appends every detail to the message. (They are not also kept as a
// status payload: absl prints payloads as raw bytes wherever a status is logged.)
//
// Pure functions; thread-safe.
#ifndef CARELEDGER_NETWORK_CLIENT_GATEWAY_ERROR_H_
#define CARELEDGER_NETWORK_CLIENT_GATEWAY_ERROR_H_

#include <string_view>

#include "absl/status/status.h"

namespace grpc {
class Status;
}  // namespace grpc

namespace careledger::client {

// The absl status for the answer to a call: OK for OK. Otherwise the same code (absl's canonical codes are
// gRPC's, value for value) and the message
//
//   "<what>: <server message>"                                        without details
//   "<what>: <server message> [<msp_id> at <address>: <message>; ...]"  with details, in the gateway's order
//
// where `what` names the call and the node, e.g. "Endorse at peer0.hospital1.example.org:7051"; a detail
// without an address or an organisation leaves it out. A trailer that does not parse is reported in the message
// ("[the error details do not parse]") rather than ignored; details of types other than gateway.ErrorDetail are
// skipped.
absl::Status StatusFromGrpc(const grpc::Status& status, std::string_view what);

}  // namespace careledger::client

#endif  // CARELEDGER_NETWORK_CLIENT_GATEWAY_ERROR_H_
