// Strict UTF-8 decoding, for validating untrusted text (configuration files, log fields).
#ifndef CARELEDGER_COMMON_ENCODING_UTF8_H_
#define CARELEDGER_COMMON_ENCODING_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace careledger {

// Decodes the multi-byte UTF-8 sequence that starts at text[i] (a lead byte of 0xC0 or above). Returns its
// length (2 to 4) and sets *code_point, or returns 0 if the sequence is malformed: truncated, overlong,
// a surrogate, or above U+10FFFF. ASCII bytes are not multi-byte sequences and also return 0.
size_t DecodeUtf8Sequence(std::string_view text, size_t i, uint32_t* code_point);

}  // namespace careledger

#endif  // CARELEDGER_COMMON_ENCODING_UTF8_H_
