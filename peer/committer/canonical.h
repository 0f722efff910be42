// Reading the protobuf layers of a block so that every peer reads them the same way.
//
// Protobuf allows many encodings of one message: fields in any order, a non-repeated field written twice (the
// last one wins), varints padded with 0x80 bytes, proto3 default values written explicitly, repeated scalars
// packed or not, and fields the reader does not know (which a newer peer might interpret). If a peer accepted
// such bytes, a peer of another version or implementation could read the same signed bytes as a different
// transaction. So the committer accepts a layer only in its canonical encoding: the bytes must be exactly what
// deterministic serialization of the parsed message, without unknown fields, produces (protoutil::Marshal).
// Fabric's own clients and peers (Go, Java and Node protobuf) write exactly this encoding for the messages the
// committer parses, none of which has a map field.
//
// Layers that contain maps (the ConfigEnvelope of a CONFIG transaction, whose config groups are maps that Go
// serializes in random order) must not be read with ParseCanonical.
#ifndef CARELEDGER_PEER_COMMITTER_CANONICAL_H_
#define CARELEDGER_PEER_COMMITTER_CANONICAL_H_

#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/protoutil/unmarshal.h"
#include "common/status_macros.h"
#include "google/protobuf/message.h"

namespace careledger::committer {

namespace internal {
// OK if `bytes` is the canonical encoding of `message`, which was parsed from them. Discards `message`'s
// unknown fields (at every depth) so that any it had makes the comparison fail.
absl::Status CheckCanonical(google::protobuf::Message& message, std::string_view bytes, std::string_view what);
}  // namespace internal

// Parses `bytes` as a T and checks that they are T's canonical encoding. InvalidArgument naming `what` if the
// bytes do not parse (protoutil::Unmarshal's error) or are not canonical ("<what> (<type>) is not in canonical
// encoding: ..."). Empty bytes are the canonical encoding of the all-default message. Thread-safe.
template <typename T>
absl::StatusOr<T> ParseCanonical(std::string_view bytes, std::string_view what) {
  ASSIGN_OR_RETURN(T message, protoutil::Unmarshal<T>(bytes, what));
  RETURN_IF_ERROR(internal::CheckCanonical(message, bytes, what));
  return message;
}

}  // namespace careledger::committer

#endif  // CARELEDGER_PEER_COMMITTER_CANONICAL_H_
