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

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/common.pb.h"
#include "common/protoutil/signer.h"
#include "common/strings.h"
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

// A TLS channel to a node at `address` (host:port) whose certificate chains to `tls_ca_file` and names the
// host, as test clients dial orderers and peers: a connection of its own, no message size limits, and
// reconnection within half a second of a restarted node coming back. Errors reading the CA file.
absl::StatusOr<std::shared_ptr<grpc::Channel>> DialTestNode(const std::string& address,
                                                            const std::string& tls_ca_file);

// Sends `seek_request` on an open Deliver stream and reads the answer: blocks, then one status. Serves the
// orderer's AtomicBroadcast.Deliver and the peer's protos.Deliver alike: `Response` is the stream's response
// type (::orderer::DeliverResponse or ::protos::DeliverResponse; any other kind of answer ends the reading).
// Unavailable, naming `address`, if the stream ends before a status.
template <typename Response, typename Stream>
absl::StatusOr<Delivered> SeekOnStream(Stream& stream, const ::common::Envelope& seek_request,
                                       std::string_view address) {
  Delivered delivered;
  if (stream.Write(seek_request)) {
    Response response;
    while (stream.Read(&response)) {
      if (response.Type_case() == Response::kBlock) {
        delivered.blocks.push_back(std::move(*response.mutable_block()));
        continue;
      }
      if (response.Type_case() == Response::kStatus) delivered.status = response.status();
      break;
    }
  }
  stream.WritesDone();
  if (delivered.status == ::common::UNKNOWN) {
    const grpc::Status finished = stream.Finish();
    return absl::UnavailableError(absl::StrCat("Deliver from ", AsAbsl(address), ": no status after ",
                                               delivered.blocks.size(), " blocks; the stream ended with ",
                                               finished.error_code(), " ", finished.error_message()));
  }
  // The server ends the stream after a status other than SUCCESS, and on our WritesDone after SUCCESS.
  Response extra;
  while (stream.Read(&extra)) {
  }
  stream.Finish();
  return delivered;
}

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
