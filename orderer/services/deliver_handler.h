// One Deliver stream (Fabric's common/deliver): each request is a signed DELIVER_SEEK_INFO envelope; the
// answer is the blocks it asks for, each a DeliverResponse{block}, then one DeliverResponse{status}. After
// SUCCESS the stream may carry the next request; after any other status the stream ends (as in Fabric).
//
// Per request, in Fabric's order:
//   ParseSeekRequest: structure, header type, timestamp window, SeekInfo (protoutil)           BAD_REQUEST
//   the channel is one this orderer serves                                                      NOT_FOUND
//   CheckCreator against /Channel/Readers: identity, expiry, signature, policy                 FORBIDDEN
//   ResolveSeekRange against the height at request time (start after stop, ...)                BAD_REQUEST
// then, for each block from start to stop:
//   not written yet: FAIL_IF_NOT_READY answers NOT_FOUND; BLOCK_UNTIL_READY waits for it (BlockStore::
//     WaitForHeight in `poll` steps, checking between steps whether the call was cancelled: a client that
//     goes away, or a server that shuts down, releases the thread within one step; a store closed under
//     the stream answers SERVICE_UNAVAILABLE);
//   the creator's certificate is still valid (checked again per block, as Fabric's session access control
//     does, so a stream ends when its certificate expires)                                      FORBIDDEN
//   the block exactly as the store holds it (its bytes are sent unchanged; for content type
//     HEADER_WITH_SIG, a block other than a config block is sent without its data, as Fabric does)
// and finally SUCCESS. A block the store cannot read is INTERNAL_SERVER_ERROR. Deliver responses carry no
// text, so every refusal is logged with its reason (NOT_FOUND at debug level: clients poll for channels and
// blocks that do not exist yet).
//
// Thread-safety: Serve may run concurrently for any number of streams.
#ifndef CARELEDGER_ORDERER_SERVICES_DELIVER_HANDLER_H_
#define CARELEDGER_ORDERER_SERVICES_DELIVER_HANDLER_H_

#include <functional>
#include <optional>

#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "orderer/ab.grpc.pb.h"
#include "orderer/channel/channel_registry.h"

namespace careledger::orderer {

class DeliverHandler {
 public:
  // `registry` must outlive the handler; `clock` gives the time certificates and request timestamps are
  // checked at; `poll` (> 0) is how often a waiting stream checks for cancellation.
  DeliverHandler(ChannelRegistry* registry, std::function<absl::Time()> clock, absl::Duration poll);

  // Serves one stream until the client closes its side (OK), a request ends with a status other than SUCCESS
  // (OK, after that status), or the client goes away or the call is cancelled (CANCELLED).
  grpc::Status Serve(grpc::ServerContext* context,
                     grpc::ServerReaderWriter<::orderer::DeliverResponse, ::common::Envelope>* stream) const;

 private:
  // Answers one request with its blocks; returns the closing status, or nullopt if the client went away.
  std::optional<::common::Status> ServeRequest(
      grpc::ServerContext* context, grpc::ServerReaderWriter<::orderer::DeliverResponse, ::common::Envelope>* stream,
      const ::common::Envelope& request) const;

  ChannelRegistry* registry_;
  const std::function<absl::Time()> clock_;
  const absl::Duration poll_;
};

}  // namespace careledger::orderer

#endif  // CARELEDGER_ORDERER_SERVICES_DELIVER_HANDLER_H_
