// What a client needs to reach a local network's Gateway as one of its users, as the environment variables
// the shared load generator (../shared/bench/load.js) and Fabric's samples read:
//
//   GW_ENDPOINT  host:port of the user's peer (network_user.h: their organisation's first endorsing peer, or
//                for the regulator its audit peer)
//   GW_TLS_CA    that peer's TLS CA certificate (PEM file)
//   GW_HOST      the host name its TLS certificate carries
//   GW_MSP       the user's MSP ID
//   GW_CERT      the user's certificate (msp/signcerts/cert.pem)
//   GW_KEY       the user's private key (msp/keystore/priv_sk)
//   GW_CHANNEL   the network's first channel
//   GW_CC        the chaincode (default bench)
//
// `careledger network client-env --user dr.alice` prints them as `export` lines, so that
// `eval "$(careledger network client-env --user dr.alice)" && node load.js` points the official client at
// the network in one line.
#ifndef CARELEDGER_NETWORK_LAUNCHER_CLIENT_ENVIRONMENT_H_
#define CARELEDGER_NETWORK_LAUNCHER_CLIENT_ENVIRONMENT_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "network/launcher/network_state.h"

namespace careledger::launcher {

struct ClientEnvironmentOptions {
  // A user's name ("dr.alice") or full name ("dr.alice@hospital1.example.org"); empty: the Admin of the first
  // organisation with an endorsing peer.
  std::string user;
  std::string chaincode = "bench";
};

// The variables above, in that order, for `options.user` of the network `state` describes. FindNetworkUser's
// and UserPeer's errors (network_user.h); FailedPrecondition if the network has no channel.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ClientEnvironment(
    const NetworkState& state, const ClientEnvironmentOptions& options);

// `export NAME='value'` lines, quoted for a POSIX shell.
std::string FormatExports(const std::vector<std::pair<std::string, std::string>>& variables);

}  // namespace careledger::launcher

#endif  // CARELEDGER_NETWORK_LAUNCHER_CLIENT_ENVIRONMENT_H_
