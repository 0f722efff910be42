// Parsing protobuf bytes that came from someone else.
//
// Every byte string CareLedger receives -- from a client, a peer, an orderer or a block file -- is untrusted.
// Unmarshal turns a parse failure into an error that names what was being read, so that a message such as
// "malformed proposal header (common.Header): ..." tells an operator which layer of which message was bad.
#ifndef CARELEDGER_COMMON_PROTOUTIL_UNMARSHAL_H_
#define CARELEDGER_COMMON_PROTOUTIL_UNMARSHAL_H_

#include <cstddef>
#include <limits>
#include <string_view>
#include <type_traits>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message_lite.h"

namespace careledger::protoutil {

namespace internal {
// The InvalidArgument status Unmarshal returns; out of line so the template stays small.
absl::Status MalformedMessageError(std::string_view what, std::string_view type_name, size_t size);
}  // namespace internal

// Parses `bytes` as a T (a generated protobuf message type).
//
// `what` names the bytes for the error message, e.g. "envelope payload". Returns InvalidArgument
// "malformed <what> (<full proto name>): ..." if the bytes are not a valid encoding: bad wire format, a string
// field that is not UTF-8 (proto3 requires it), nesting deeper than protobuf's recursion limit, or more than
// 2 GiB. Unknown fields are kept, as Fabric's Go code keeps them, so re-serializing preserves them.
//
// An empty `bytes` is a valid encoding of the all-default message; callers that need a layer to be present
// check for emptiness first and report it as missing. Thread-safe; the result owns its data.
template <typename T>
absl::StatusOr<T> Unmarshal(std::string_view bytes, std::string_view what) {
  static_assert(std::is_base_of_v<google::protobuf::MessageLite, T>, "Unmarshal needs a protobuf message type");
  T message;
  // ParseFromArray takes an int: anything larger cannot be a message protobuf would have written.
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()) ||
      !message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return internal::MalformedMessageError(what, message.GetTypeName(), bytes.size());
  }
  return message;
}

}  // namespace careledger::protoutil

#endif  // CARELEDGER_COMMON_PROTOUTIL_UNMARSHAL_H_
