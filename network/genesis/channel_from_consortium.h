// A channel for a whole consortium: the ChannelSpec (common/channelconfig/channel_spec.h) that
// `careledger channel genesis` turns into a genesis block, built from the consortium description and the
// folder `careledger crypto generate` wrote (network/identity/consortium_identities.h describes its layout).
//
//   hospitals and regulators  -> application organisations  (MSP definition: <out>/organizations/<domain>/msp)
//   orderer organisations     -> orderer organisations      (the same, plus their nodes' client addresses as
//                                                             endpoints; a hospital that lists orderers is in
//                                                             both groups, with the same MSP, as Fabric allows)
//   every orderer node        -> a Raft consenter, in description order: its cluster host:port and its TLS
//                                certificate <node folder>/tls/server.crt, as both client and server
//                                certificate (a node presents that one certificate on its cluster listener
//                                and when it dials the others)
//
// The addresses are passed in rather than read from the description: listening ports belong to the network
// description, which the consortium file does not carry.
#ifndef CARELEDGER_NETWORK_GENESIS_CHANNEL_FROM_CONSORTIUM_H_
#define CARELEDGER_NETWORK_GENESIS_CHANNEL_FROM_CONSORTIUM_H_

#include <map>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/channelconfig/channel_spec.h"
#include "network/consortium/consortium.h"

namespace careledger::network {

inline constexpr char kDefaultChannelId[] = "healthchannel";

// Where one orderer node listens, each "host:port".
struct OrdererNodeAddresses {
  std::string client;   // Broadcast/Deliver: the organisation's endpoint list
  std::string cluster;  // the Raft cluster listener: the consenter's host and port
};

struct ChannelFromConsortiumOptions {
  std::string channel_id = kDefaultChannelId;
  // Keyed by the node's name in the description ("orderer0") or by its full host name
  // ("orderer0.orderer.example.org"); the short name must then be unique among all orderer organisations.
  // Every orderer node of the consortium needs an entry.
  std::map<std::string, OrdererNodeAddresses> orderer_addresses;
  channelconfig::BatchSettings batch;  // Fabric's defaults: 2s, 500 messages, 10 MiB absolute, 2 MiB preferred
  absl::Time genesis_time = absl::UnixEpoch();  // the genesis block's timestamp (see ChannelSpec)
};

// Splits "host:port" (the host may be a bracketed IPv6 address, "[::1]:7050"). InvalidArgument quoting the
// text if the host is empty or the port is not a number in 1..65535.
absl::StatusOr<std::pair<std::string, uint32_t>> SplitHostPort(std::string_view address);

// Parses one orderer as given on the command line: "NAME=CLIENT_ADDRESS,CLUSTER_ADDRESS" (e.g.
// "orderer0=127.0.0.1:7050,127.0.0.1:7052"), or "NAME=ADDRESS" when one listener serves both. Returns the
// name and the addresses; InvalidArgument quoting the text if a part is missing or an address is not
// host:port.
absl::StatusOr<std::pair<std::string, OrdererNodeAddresses>> ParseOrdererAddressFlag(std::string_view text);

// The policies an organisation of the description gets beyond the defaults (channel_spec.h): none for a
// hospital; for a regulator a Writers policy no identity satisfies (PolicySpec::Nobody), so that regulators never
// write, whatever the chaincode: the orderers refuse their transactions (/Channel/Writers) and the endorsers
// their proposals to endorse (/Channel/Application/Writers), while Readers still lets them query and read
// every block.
channelconfig::PolicyOverrides OrganizationPolicies(const OrganizationSpec& org);

// Builds the spec described above. Only reads files; every other default is ChannelSpec's (Fabric's).
//
// Errors, each naming the organisation, node or file:
//  - InvalidArgument if the consortium has no hospital or regulator, or no orderer node; an address key
//    names no orderer node of the consortium, or a short name that several orderer organisations use; an
//    orderer node has no address; an address is not host:port.
//  - NotFound if an organisation's msp/ folder or a node's tls/server.crt is missing (crypto generate was not
//    run on this folder, or for an older description); InvalidArgument if one of them does not parse.
// The spec is not validated here: channelconfig::BuildChannelConfig / CreateGenesisBlock do that and name
// the field (bad channel ID, batch sizes, ...).
absl::StatusOr<channelconfig::ChannelSpec> ChannelSpecFromConsortium(const Consortium& consortium,
                                                                     const std::string& crypto_dir,
                                                                     const ChannelFromConsortiumOptions& options);

}  // namespace careledger::network

#endif  // CARELEDGER_NETWORK_GENESIS_CHANNEL_FROM_CONSORTIUM_H_
