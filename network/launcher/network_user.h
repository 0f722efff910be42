// A user of a local network (one `careledger network up` started) and the peer their commands go through: what
// `careledger network client-env` prints and what the role commands (`careledger patient ...`, `document ...`,
// `audit ...`) connect with.
//
// Users are the folders `careledger crypto generate` wrote under each organisation's users/ folder
// (`dr.alice@hospital1.example.org`), named in full or by their short name when that is unambiguous; the empty
// name is the Admin of the first organisation with an endorsing peer. A user's peer is the first endorsing
// peer of their organisation, or, for an organisation without one (the regulator), its first audit peer: an
// audit peer answers queries and refuses every write, which is exactly what a regulator may do.
#ifndef CARELEDGER_NETWORK_LAUNCHER_NETWORK_USER_H_
#define CARELEDGER_NETWORK_LAUNCHER_NETWORK_USER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "msp/msp_dir.h"
#include "network/client/gateway_client.h"
#include "network/launcher/network_state.h"

namespace careledger::launcher {

struct NetworkUser {
  const OrganizationState* organization = nullptr;  // points into the NetworkState searched
  std::string name;                                 // the folder's name: "dr.alice@hospital1.example.org"
  std::string dir;                                  // the user's folder: msp/, tls/
  std::string CertFile() const;                     // msp/signcerts/cert.pem
  std::string KeyFile() const;                      // msp/keystore/priv_sk
};

// The user `name` of the network `state` describes. NotFound naming the user if no organisation has them (or,
// for the empty name, if no organisation has an endorsing peer); InvalidArgument if a short name is ambiguous,
// naming a full one.
absl::StatusOr<NetworkUser> FindNetworkUser(const NetworkState& state, const std::string& name);

// The peer `user`'s commands go through (see above). NotFound naming the organisation if it has no peer.
absl::StatusOr<const NodeState*> UserPeer(const NetworkState& state, const NetworkUser& user);

// Everything a command needs to act as a user: their signing identity and a Gateway client of their peer.
struct UserConnection {
  NetworkUser user;
  const NodeState* peer = nullptr;  // points into the NetworkState given
  std::string channel;              // the channel asked for, or the network's first
  client::GatewayEndpoint endpoint;
  std::shared_ptr<const msp::SigningIdentity> signer;
  client::GatewayClient gateway;
};

struct UserConnectionOptions {
  std::string user;     // as FindNetworkUser
  std::string peer;     // a peer's node name instead of the user's own peer (e.g. another hospital's)
  std::string channel;  // default: the network's first
};

// Loads the user's identity (msp/ folder) and connects to their peer (lazily, as GatewayClient::Connect).
// FindNetworkUser's and UserPeer's errors; NotFound for an unknown peer or channel; FailedPrecondition if the
// network has no channel; the identity loader's errors, naming the folder.
absl::StatusOr<UserConnection> ConnectNetworkUser(const NetworkState& state, const UserConnectionOptions& options);

}  // namespace careledger::launcher

#endif  // CARELEDGER_NETWORK_LAUNCHER_NETWORK_USER_H_
