// A running node's own verdict on its health: its operations endpoint's /healthz (docs/operations.md), as
// `careledger network status` shows it. The endpoints `network up` configures are plain HTTP on the node's
// host (the generated core.yaml and orderer.yaml give the operations listener no TLS), so this asks over HTTP.
#ifndef CARELEDGER_NETWORK_LAUNCHER_NODE_HEALTH_H_
#define CARELEDGER_NETWORK_LAUNCHER_NODE_HEALTH_H_

#include <string>

#include "absl/time/time.h"
#include "network/launcher/network_state.h"

namespace careledger::launcher {

// "OK" if GET /healthz answers 200; for 503 "failed: <component>: <reason>; ..." from its failed_checks;
// "unreachable: <why>" if the endpoint does not answer within `timeout`; "unknown: <why>" for any other answer.
std::string NodeHealth(const NodeState& node, absl::Duration timeout = absl::Seconds(2));

}  // namespace careledger::launcher

#endif  // CARELEDGER_NETWORK_LAUNCHER_NODE_HEALTH_H_
