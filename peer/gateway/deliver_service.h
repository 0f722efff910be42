// protos.Deliver: the peer's block event service (Fabric's core/peer/deliverevents.go over common/deliver).
// Clients and Fabric's SDKs follow committed blocks with it: Deliver streams whole blocks (with the
// TRANSACTIONS_FILTER this peer's committer set), DeliverFiltered streams FilteredBlocks (transaction IDs, types,
// validation codes and chaincode events without payloads; block_transactions.h). DeliverWithPrivateData is
// UNIMPLEMENTED: CareLedger has no private data.
//
// Each request on a stream is a signed DELIVER_SEEK_INFO envelope; the answer is the blocks it asks for, then
// one DeliverResponse{status}. After SUCCESS the stream may carry the next request; after any other status it
// ends (as in Fabric). Per request, in Fabric's order:
//   ParseSeekRequest: structure, header type, timestamp window, SeekInfo (common/protoutil)  BAD_REQUEST
//   the channel is one this peer has joined                                                   NOT_FOUND
//   the creator's identity, certificate validity, signature, and the policy of event/Block
//     (event/FilteredBlock): its ACL, by default /Channel/Application/Readers (signed_request.h) FORBIDDEN
//   ResolveSeekRange against the ledger's height at request time                              BAD_REQUEST
// then, for each block from start to stop:
//   not committed yet: FAIL_IF_NOT_READY answers NOT_FOUND; BLOCK_UNTIL_READY waits for it (call_context.h: a
//     client that goes away or a server that shuts down releases the thread within one poll; a ledger closed
//     under the stream answers SERVICE_UNAVAILABLE);
//   the creator's certificate is still valid (checked per block, as Fabric's session access control does, so
//     a stream ends when its certificate expires)                                            FORBIDDEN
//   the block: whole blocks go out as the ledger stores them, byte for byte; with content type
//     HEADER_WITH_SIG a block other than a config block goes without its data, as in Fabric
// and finally SUCCESS. A block the ledger cannot read is INTERNAL_SERVER_ERROR. Deliver responses carry no
// text, so each refusal is logged with its reason (NOT_FOUND at debug level: clients poll for what is not
// there yet).
//
// Thread-safety: gRPC calls the methods concurrently, one call per stream; the service holds no mutable state.
#ifndef CARELEDGER_PEER_GATEWAY_DELIVER_SERVICE_H_
#define CARELEDGER_PEER_GATEWAY_DELIVER_SERVICE_H_

#include <functional>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "peer/events.grpc.pb.h"
#include "peer/gateway/gateway_channel.h"

namespace careledger::gateway {

struct DeliverOptions {
  // How often a stream waiting for a block checks whether its client went away.
  absl::Duration poll = absl::Milliseconds(250);
  // Now, for request timestamps and certificate validity; tests inject expiry.
  std::function<absl::Time()> clock = [] { return absl::Now(); };
};

class DeliverService final : public ::protos::Deliver::Service {
 public:
  // `channels` must outlive the service and the server it is registered with.
  DeliverService(const GatewayChannels& channels, DeliverOptions options);

  grpc::Status Deliver(grpc::ServerContext* context,
                       grpc::ServerReaderWriter<::protos::DeliverResponse, ::common::Envelope>* stream) override;
  grpc::Status DeliverFiltered(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<::protos::DeliverResponse, ::common::Envelope>* stream) override;
  grpc::Status DeliverWithPrivateData(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<::protos::DeliverResponse, ::common::Envelope>* stream) override;

 private:
  enum class Content { kBlocks, kFilteredBlocks };
  using Stream = grpc::ServerReaderWriter<::protos::DeliverResponse, ::common::Envelope>;

  grpc::Status Serve(grpc::ServerContext* context, Stream* stream, Content content) const;
  // Answers one request with its blocks; the closing status, or nullopt if the client went away.
  std::optional<::common::Status> ServeRequest(grpc::ServerContext* context, Stream* stream, Content content,
                                               const ::common::Envelope& request) const;

  const GatewayChannels& channels_;
  const DeliverOptions options_;
};

}  // namespace careledger::gateway

#endif  // CARELEDGER_PEER_GATEWAY_DELIVER_SERVICE_H_
