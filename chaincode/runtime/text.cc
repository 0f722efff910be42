#include "chaincode/runtime/text.h"

#include <cstdint>

#include "common/encoding/utf8.h"

namespace careledger::chaincode {
namespace {

// The length of the valid UTF-8 character at text[i], or 0 if the byte there starts none.
size_t ValidCharacterLength(std::string_view text, size_t i) {
  if (static_cast<unsigned char>(text[i]) < 0x80) return 1;
  uint32_t code_point;
  return DecodeUtf8Sequence(text, i, &code_point);
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const size_t length = ValidCharacterLength(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::string ToValidUtf8(std::string_view text) {
  if (IsValidUtf8(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  for (size_t i = 0; i < text.size();) {
    const size_t length = ValidCharacterLength(text, i);
    if (length == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

std::string PrintableKey(std::string_view key) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(key.size());
  for (size_t i = 0; i < key.size();) {
    const auto byte = static_cast<unsigned char>(key[i]);
    const size_t length = ValidCharacterLength(key, i);
    if (length > 1 || (length == 1 && byte >= 0x20 && byte < 0x7F && byte != '\\')) {
      out.append(key.substr(i, length));
      i += length;
      continue;
    }
    out += "\\x";
    out += kDigits[byte >> 4];
    out += kDigits[byte & 0x0F];
    ++i;
  }
  return out;
}

}  // namespace careledger::chaincode
