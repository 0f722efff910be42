// A channel's chain as a peer serves it through its block event service (protos.Deliver/Deliver): every
// block, whole, with the metadata the peer's committer recorded, from block 0 to the peer's height when the
// source was opened. Requests are signed DELIVER_SEEK_INFO envelopes, so the signer must be a member the
// channel's event/Block policy admits (by default /Channel/Application/Readers: a regulator qualifies).
#ifndef CARELEDGER_NETWORK_AUDIT_DELIVER_BLOCK_SOURCE_H_
#define CARELEDGER_NETWORK_AUDIT_DELIVER_BLOCK_SOURCE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "msp/signing_identity.h"
#include "network/audit/block_source.h"
#include "network/client/gateway_client.h"

namespace careledger::audit {

class DeliverBlockSource final : public BlockSource {
 public:
  // Asks the peer at `peer` (TLS as the endpoint says) for channel `channel_id`'s height, waiting up to
  // `connect_timeout` for the answer, then opens the stream of blocks [0, height). Errors: the endpoint's
  // (InvalidArgument); Unavailable if the peer cannot be reached or the stream fails; NotFound if the peer
  // does not hold the channel, PermissionDenied if it refuses the signer (FORBIDDEN), Unknown for any other
  // status it answers; Internal if the request cannot be signed. `signer` must outlive the source.
  static absl::StatusOr<std::unique_ptr<DeliverBlockSource>> Open(const client::GatewayEndpoint& peer,
                                                                  const msp::SigningIdentity& signer,
                                                                  const std::string& channel_id,
                                                                  absl::Duration connect_timeout = absl::Seconds(10));
  ~DeliverBlockSource() override;

  std::string Describe() const override;
  uint64_t ExpectedHeight() const override;
  // Blocks in the order the peer sends them (the verifier checks their numbers). Unavailable if the stream
  // breaks, the status errors above if the peer ends it with a failure. Never DataLoss: the peer's copy
  // cannot be told from the transport here, and a damaged block fails the verifier's checks anyway.
  absl::StatusOr<std::optional<::common::Block>> Next() override;

 private:
  struct Stream;
  explicit DeliverBlockSource(std::unique_ptr<Stream> stream);
  std::unique_ptr<Stream> stream_;
};

}  // namespace careledger::audit

#endif  // CARELEDGER_NETWORK_AUDIT_DELIVER_BLOCK_SOURCE_H_
