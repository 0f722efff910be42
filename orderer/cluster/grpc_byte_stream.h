// raft::ByteStream over a Cluster.RaftStream gRPC call, on either end. Read and Write may run concurrently
// (one thread each), as gRPC allows for one reader and one writer of a stream.
#ifndef CARELEDGER_ORDERER_CLUSTER_GRPC_BYTE_STREAM_H_
#define CARELEDGER_ORDERER_CLUSTER_GRPC_BYTE_STREAM_H_

#include <atomic>
#include <memory>
#include <string>

#include "careledger/cluster.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "orderer/raft/stream_transport.h"

namespace careledger::orderer::cluster {

// The caller's end: owns the call.
class ClientByteStream final : public raft::ByteStream {
 public:
  ClientByteStream(std::unique_ptr<grpc::ClientContext> context,
                   std::unique_ptr<grpc::ClientReaderWriter<::careledger::cluster::RaftChunk,
                                                            ::careledger::cluster::RaftChunk>> call)
      : context_(std::move(context)), call_(std::move(call)) {}
  ~ClientByteStream() override;

  bool Read(std::string* chunk) override;
  bool Write(std::string_view data) override;
  void CloseWrite() override;
  void Cancel() override { context_->TryCancel(); }

 private:
  std::unique_ptr<grpc::ClientContext> context_;
  std::unique_ptr<grpc::ClientReaderWriter<::careledger::cluster::RaftChunk, ::careledger::cluster::RaftChunk>> call_;
  std::atomic<bool> writes_done_{false};
};

// The callee's end: lives inside the RPC handler, which must not return before the stream is finished with.
// `first_data` is data the caller sent together with the stream's header message.
class ServerByteStream final : public raft::ByteStream {
 public:
  ServerByteStream(grpc::ServerContext* context,
                   grpc::ServerReaderWriter<::careledger::cluster::RaftChunk, ::careledger::cluster::RaftChunk>* call,
                   std::string first_data)
      : context_(context), call_(call), pending_(std::move(first_data)) {}

  bool Read(std::string* chunk) override;
  bool Write(std::string_view data) override;
  void CloseWrite() override {}  // a server's sending side ends when the handler returns
  void Cancel() override { context_->TryCancel(); }

 private:
  grpc::ServerContext* context_;
  grpc::ServerReaderWriter<::careledger::cluster::RaftChunk, ::careledger::cluster::RaftChunk>* call_;
  std::string pending_;
};

}  // namespace careledger::orderer::cluster

#endif  // CARELEDGER_ORDERER_CLUSTER_GRPC_BYTE_STREAM_H_
