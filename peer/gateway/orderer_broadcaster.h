// The gateway's client of the ordering service: sends a signed transaction to a channel's orderers
// (orderer.AtomicBroadcast/Broadcast over TLS) until one accepts it, as Fabric's gateway does for Raft
// ordering (internal/pkg/gateway/submit.go, submitNonBFT).
//
// Streams: each Broadcast call opens a fresh Broadcast stream on a long-lived connection per orderer, sends the
// one envelope and reads the one answer. A stream costs a single HTTP/2 HEADERS exchange on an open connection
// (see docs/gateway.md for the measurement), whereas one shared stream per orderer would need a reader thread
// to hand the orderer's in-order answers back to concurrent callers, and a stream broken by one call's deadline
// would fail every other call in flight on it. No lock is held while talking to an orderer: the connections
// are thread-safe and the only shared state is an atomic counter.
#ifndef CARELEDGER_PEER_GATEWAY_ORDERER_BROADCASTER_H_
#define CARELEDGER_PEER_GATEWAY_ORDERER_BROADCASTER_H_

#include <atomic>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/channelconfig/channel_config.h"
#include "common/common.pb.h"
#include "peer/gateway/tls_client.h"

namespace careledger::gateway {

// An orderer of the channel: where it is, whose it is, what authenticates its TLS server.
struct OrdererEndpoint {
  std::string address;  // "host:port"
  std::string msp_id;   // its orderer organisation; empty when the configuration does not say
  std::string tls_roots_pem;
};

// The channel's orderers, as Fabric's peers find them: each orderer organisation's Endpoints, trusted with that
// organisation's TLS roots, in configuration order; if no organisation lists endpoints, the deprecated global
// /Channel/OrdererAddresses, trusted with the roots of every orderer organisation.
std::vector<OrdererEndpoint> OrdererEndpointsOf(const channelconfig::ChannelConfig& config);

// One of Fabric's peer.deliveryclient.addressOverrides: an orderer the configuration lists at `from` is dialled
// at `to` instead, trusting `tls_roots_pem` (or, if that is empty, the roots the configuration gives).
struct OrdererAddressOverride {
  std::string from;  // "host:port" as written in the channel configuration
  std::string to;    // "host:port"
  std::string tls_roots_pem;
};

// `endpoints` with each address that is some override's `from` replaced as that override says; the others
// unchanged, in the same order.
std::vector<OrdererEndpoint> WithAddressOverrides(std::vector<OrdererEndpoint> endpoints,
                                                  std::span<const OrdererAddressOverride> overrides);

class OrdererBroadcaster {
 public:
  // Connects (lazily) to each of `orderers`, presenting `client` as this peer's TLS client identity.
  OrdererBroadcaster(std::vector<OrdererEndpoint> orderers, const TlsClientIdentity& client);
  ~OrdererBroadcaster();
  OrdererBroadcaster(const OrdererBroadcaster&) = delete;
  OrdererBroadcaster& operator=(const OrdererBroadcaster&) = delete;

  // Sends `envelope` to one orderer after another until one answers SUCCESS (OK). Successive calls start at
  // successive orderers, spreading the load; each attempt gets an equal share of the time left before
  // `deadline`. An answer with a 4xx status (BAD_REQUEST, FORBIDDEN, NOT_FOUND, REQUEST_ENTITY_TOO_LARGE) is a
  // verdict on the transaction that every orderer would repeat: Aborted "received unsuccessful response from
  // orderer: status=<name>, info=<info>" at once. Any other status, or a failed call, moves on to the next
  // orderer; when none is left: Unavailable "no orderers could successfully process transaction", or
  // DeadlineExceeded if time ran out. Every failed attempt adds an ErrorDetail{address, msp_id, message}
  // (status_mapping.h). Unavailable "no orderer nodes available" without orderers. Thread-safe.
  absl::Status Broadcast(const ::common::Envelope& envelope, absl::Time deadline) const;

  const std::vector<OrdererEndpoint>& orderers() const { return endpoints_; }

 private:
  class Connection;

  std::vector<OrdererEndpoint> endpoints_;
  std::vector<std::unique_ptr<Connection>> connections_;  // connections_[i] reaches endpoints_[i]
  mutable std::atomic<size_t> next_{0};                   // where the next call starts
};

}  // namespace careledger::gateway

#endif  // CARELEDGER_PEER_GATEWAY_ORDERER_BROADCASTER_H_
