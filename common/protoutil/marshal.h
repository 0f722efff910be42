// Serializing the protobuf messages CareLedger builds and signs.
//
// The bytes protoutil produces are signed and hashed, so they must be reproducible: Marshal always uses
// deterministic serialization (map entries sorted by key), so the same message gives the same bytes on every
// run and every node. Other implementations may order map entries differently; that is why a signature or
// hash is always checked against the bytes that were received, never against a re-serialization.
#ifndef CARELEDGER_COMMON_PROTOUTIL_MARSHAL_H_
#define CARELEDGER_COMMON_PROTOUTIL_MARSHAL_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "google/protobuf/message_lite.h"

namespace careledger::protoutil {

// Returns the deterministic encoding of `message`. `what` names it for the error message.
// InvalidArgument if the encoding would exceed protobuf's 2 GiB limit (the only way serialization fails).
// Thread-safe as long as nobody modifies `message` meanwhile.
absl::StatusOr<std::string> Marshal(const google::protobuf::MessageLite& message, std::string_view what);

}  // namespace careledger::protoutil

#endif  // CARELEDGER_COMMON_PROTOUTIL_MARSHAL_H_
