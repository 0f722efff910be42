// libraft's transport interface (raft_uv_transport) implemented over authenticated byte streams.
//
// libraft speaks to its peers through libuv streams. CareLedger does not let it open plain TCP between
// organisations: each Raft connection is a byte stream that the cluster layer has already authenticated
// with mutual TLS (a RaftStream call of the Cluster gRPC service, see cluster_service.h). The bridge between
// the two is a Unix socket pair per connection: libraft reads and writes one end as a libuv pipe; two pump
// threads move bytes between the other end and the ByteStream.
//
//   libraft ── uv_pipe ── [socketpair] ── pump threads ── ByteStream (gRPC over mutual TLS) ── remote node
//
// Threads per connection: two (one per direction); the inbound side runs one of them on the caller's thread
// (the gRPC handler of the RaftStream call). Nothing here runs per message.
#ifndef CARELEDGER_ORDERER_RAFT_STREAM_TRANSPORT_H_
#define CARELEDGER_ORDERER_RAFT_STREAM_TRANSPORT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "orderer/raft/raft_node.h"

namespace careledger::orderer::raft {

// A bidirectional, authenticated byte stream to another consenter. Read and Write may be called concurrently
// from two threads (one each); Cancel from any thread.
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Blocks until bytes arrive and sets *chunk; false at the end of the stream or on error.
  virtual bool Read(std::string* chunk) = 0;
  // Blocks until `data` is accepted by the stream; false if the stream is broken.
  virtual bool Write(std::string_view data) = 0;
  // Ends our sending side; the peer reads the end of the stream after everything written.
  virtual void CloseWrite() = 0;
  // Aborts the stream: blocked and later Read/Write calls return false promptly.
  virtual void Cancel() = 0;
};

// Opens streams to other consenters (the cluster client).
class ByteStreamDialer {
 public:
  virtual ~ByteStreamDialer() = default;
  // Connects to member `id` at `address` and proves our identity; blocks for at most the dialer's timeout.
  // Unavailable when the member cannot be reached, PermissionDenied when it rejects us or is not who it
  // should be.
  virtual absl::StatusOr<std::unique_ptr<ByteStream>> Dial(uint64_t id, const std::string& address) = 0;
};

class StreamTransport final : public TransportProvider {
 public:
  // `dialer` must outlive the transport.
  explicit StreamTransport(ByteStreamDialer* dialer);
  ~StreamTransport() override;
  StreamTransport(const StreamTransport&) = delete;
  StreamTransport& operator=(const StreamTransport&) = delete;

  raft_uv_transport* Attach(uv_loop_s* loop) override;

  // Hands an incoming, already authenticated stream from member `id` (whose Raft address is `address`) to
  // libraft, then pumps bytes until the connection ends, and returns. Returns at once, cancelling `stream`,
  // if libraft is not listening (not started yet, or stopped). Thread-safe; blocks the calling thread.
  void ServeIncoming(uint64_t id, const std::string& address, std::unique_ptr<ByteStream> stream);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace careledger::orderer::raft

#endif  // CARELEDGER_ORDERER_RAFT_STREAM_TRANSPORT_H_
