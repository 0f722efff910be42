// Lower-case hexadecimal encoding of byte strings.
#ifndef CARELEDGER_COMMON_ENCODING_HEX_H_
#define CARELEDGER_COMMON_ENCODING_HEX_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace careledger {

// Returns the lower-case hex form of `bytes` (two characters per byte).
std::string HexEncode(std::string_view bytes);

// Decodes hex text (either case). InvalidArgument if the length is odd or a character is not a hex digit,
// naming its position.
absl::StatusOr<std::string> HexDecode(std::string_view hex);

}  // namespace careledger

#endif  // CARELEDGER_COMMON_ENCODING_HEX_H_
