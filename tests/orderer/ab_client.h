// Test-only: a client of an orderer's AtomicBroadcast service (Broadcast and Deliver) over TLS, and the
// envelopes a Fabric client sends it, for integration tests against real careledger-orderer processes.
//
//   ASSIGN_OR_RETURN(auto client, AbClient::Connect(net->public_address(0), net->tls_ca_file()));
//   ASSIGN_OR_RETURN(::common::Envelope tx, MakeTransaction(alice, "healthchannel", "payload 1"));
//   ASSIGN_OR_RETURN(auto answers, client->Broadcast({tx}, absl::Seconds(30)));
//   ASSIGN_OR_RETURN(::common::Envelope seek, MakeSeek(alice, "healthchannel", SeekRange(0, 5)));
//   ASSIGN_OR_RETURN(Delivered blocks, client->Deliver(seek, absl::Seconds(30)));
//
// Nothing here checks what the orderer answers: the tests do.
//
// Thread-safety: an AbClient may be used from several threads at once (each call is its own stream).
#ifndef CARELEDGER_TESTS_ORDERER_AB_CLIENT_H_
#define CARELEDGER_TESTS_ORDERER_AB_CLIENT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/common.pb.h"
#include "common/protoutil/signer.h"
#include "grpcpp/grpcpp.h"
#include "orderer/ab.grpc.pb.h"

namespace careledger::testing {

// What one Deliver request was answered with: the blocks, then the closing status.
struct Delivered {
  std::vector<::common::Block> blocks;
  ::common::Status status = ::common::UNKNOWN;  // UNKNOWN if the stream ended without a status
};

class AbClient {
 public:
  // A client of the orderer at `address` (host:port) whose TLS certificate chains to `tls_ca_file` and names
  // the host. The connection is made lazily by the first call, and remade soon (within half a second) after
  // the orderer comes back from a restart. Errors reading the CA file.
  //
  // Broadcast and Deliver wait for the orderer to be reachable (up to their timeout); stub() calls fail at
  // once while it is not, unless their context says otherwise.
  static absl::StatusOr<std::unique_ptr<AbClient>> Connect(const std::string& address, const std::string& tls_ca_file);

  // Opens one Broadcast stream, writes every envelope without waiting for answers (pipelined; a reader
  // thread takes the answers meanwhile), closes its side and returns the answers, in order. Unavailable
  // (with the answers received so far in the message count) if the stream ends before every envelope is
  // answered, or `timeout` passes.
  absl::StatusOr<std::vector<::orderer::BroadcastResponse>> Broadcast(const std::vector<::common::Envelope>& envelopes,
                                                                      absl::Duration timeout) const;
  // Broadcast of one envelope.
  absl::StatusOr<::orderer::BroadcastResponse> BroadcastOne(const ::common::Envelope& envelope,
                                                            absl::Duration timeout) const;

  // Opens one Deliver stream, sends `seek_request` and reads its answer: the blocks until a status.
  // Unavailable if the stream fails before a status (or `timeout` passes), with the number of blocks read.
  absl::StatusOr<Delivered> Deliver(const ::common::Envelope& seek_request, absl::Duration timeout) const;

  const std::string& address() const { return address_; }
  ::orderer::AtomicBroadcast::Stub& stub() const { return *stub_; }

 private:
  AbClient(std::string address, std::shared_ptr<grpc::Channel> channel);

  std::string address_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<::orderer::AtomicBroadcast::Stub> stub_;
};

// An ENDORSER_TRANSACTION envelope on `channel`, signed by `signer`, whose transaction carries `data` (each
// call gets a fresh nonce, hence a fresh transaction ID). protoutil::CreateSignedEnvelope's errors.
absl::StatusOr<::common::Envelope> MakeTransaction(const protoutil::Signer& signer, std::string_view channel,
                                                   std::string_view data,
                                                   ::common::HeaderType type = ::common::ENDORSER_TRANSACTION);

// The transaction ID in an envelope's channel header; empty if the envelope does not parse.
std::string TxIdOf(const ::common::Envelope& envelope);

// SeekInfo from block `first` to block `last` (both specified), BLOCK_UNTIL_READY.
::orderer::SeekInfo SeekRange(uint64_t first, uint64_t last);
// SeekInfo from the oldest block to block `last`, BLOCK_UNTIL_READY.
::orderer::SeekInfo SeekOldestTo(uint64_t last);

// A signed DELIVER_SEEK_INFO envelope for `seek` on `channel`, stamped now.
absl::StatusOr<::common::Envelope> MakeSeek(const protoutil::Signer& signer, std::string_view channel,
                                            const ::orderer::SeekInfo& seek);

}  // namespace careledger::testing

#endif  // CARELEDGER_TESTS_ORDERER_AB_CLIENT_H_
