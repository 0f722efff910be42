// Text the runtime puts into protobuf string fields and error messages. A proto3 `string` must be UTF-8
// (Fabric's Go clients refuse a message that is not), but a chaincode's messages and keys are arbitrary
// bytes.
#ifndef CARELEDGER_CHAINCODE_RUNTIME_TEXT_H_
#define CARELEDGER_CHAINCODE_RUNTIME_TEXT_H_

#include <string>
#include <string_view>

namespace careledger::chaincode {

bool IsValidUtf8(std::string_view text);

// `text` with every byte that is not part of a valid UTF-8 sequence replaced by U+FFFD.
std::string ToValidUtf8(std::string_view text);

// `key` for an error message: printable ASCII and valid multi-byte UTF-8 as they are, control bytes,
// backslashes and invalid bytes as \xNN (composite keys show as "\x00asset\x00id1\x00").
std::string PrintableKey(std::string_view key);

}  // namespace careledger::chaincode

#endif  // CARELEDGER_CHAINCODE_RUNTIME_TEXT_H_
