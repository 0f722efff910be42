// Composite keys, encoded exactly as Fabric's shim encodes them, so that keys written by a Fabric chaincode
// and by a CareLedger chaincode are the same bytes:
//
//   "\x00" objectType "\x00" attribute1 "\x00" attribute2 "\x00" ...
//
// The leading "\x00" keeps composite keys apart from simple keys (which may not start with it), and the
// "\x00" after every part makes a partial key a prefix of every key that extends it. The object type and
// attributes must be valid UTF-8 without U+0000 or U+10FFFF (the upper bound of a partial-key range).
#ifndef CARELEDGER_SHIM_COMPOSITE_KEY_H_
#define CARELEDGER_SHIM_COMPOSITE_KEY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "careledger/shim/shim_error.h"

namespace careledger::shim {

// The namespace byte of composite keys.
inline constexpr char kCompositeKeyNamespace = '\x00';
// What an empty start key of a simple-key range query means: the smallest simple key.
inline constexpr std::string_view kEmptyKeySubstitute = "\x01";
// U+10FFFF in UTF-8: appended to a partial composite key, it bounds the range of keys extending it.
inline constexpr std::string_view kMaxUnicodeRuneUtf8 = "\xF4\x8F\xBF\xBF";

namespace internal {

// Decodes the UTF-8 sequence at text[i]: returns its length (1 to 4) and sets *code_point, or returns 0
// when it is malformed (truncated, overlong, a surrogate, above U+10FFFF), as Go's utf8 package judges.
inline size_t DecodeUtf8(std::string_view text, size_t i, uint32_t* code_point) {
  const auto lead = static_cast<unsigned char>(text[i]);
  if (lead < 0x80) {
    *code_point = lead;
    return 1;
  }
  size_t length;
  uint32_t cp;
  uint32_t smallest;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, cp = lead & 0x1F, smallest = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, cp = lead & 0x0F, smallest = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, cp = lead & 0x07, smallest = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(text[i + k]);
    if ((next & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (next & 0x3F);
  }
  if (cp < smallest || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  *code_point = cp;
  return length;
}

inline bool IsValidUtf8(std::string_view text) {
  uint32_t cp;
  for (size_t i = 0; i < text.size();) {
    const size_t length = DecodeUtf8(text, i, &cp);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

inline std::string LowerHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    hex.push_back(kDigits[static_cast<unsigned char>(c) >> 4]);
    hex.push_back(kDigits[static_cast<unsigned char>(c) & 0x0F]);
  }
  return hex;
}

// Throws ShimError, with Fabric's texts, unless `part` may be part of a composite key.
inline void ValidateCompositeKeyAttribute(std::string_view part) {
  if (!IsValidUtf8(part)) throw ShimError("not a valid utf8 string: [" + LowerHex(part) + "]");
  uint32_t cp = 0;
  for (size_t i = 0; i < part.size();) {
    const size_t length = DecodeUtf8(part, i, &cp);
    if (cp == 0 || cp == 0x10FFFF) {
      throw ShimError(std::string("input contains unicode ") + (cp == 0 ? "U+0000" : "U+10FFFF") +
                      " starting at position [" + std::to_string(i) +
                      "]. U+0000 and U+10FFFF are not allowed in the input attribute of a composite key");
    }
    i += length;
  }
}

}  // namespace internal

// Returns the composite key of `object_type` and `attributes` (attributes may be empty: the key then
// covers every key of that type as a partial key). Throws ShimError if a part is not valid UTF-8 or
// contains U+0000 or U+10FFFF.
inline std::string CreateCompositeKey(std::string_view object_type, const std::vector<std::string>& attributes) {
  internal::ValidateCompositeKeyAttribute(object_type);
  size_t size = object_type.size() + 2;
  for (const std::string& attribute : attributes) size += attribute.size() + 1;
  std::string key;
  key.reserve(size);
  key.push_back(kCompositeKeyNamespace);
  key.append(object_type);
  key.push_back('\x00');
  for (const std::string& attribute : attributes) {
    internal::ValidateCompositeKeyAttribute(attribute);
    key.append(attribute);
    key.push_back('\x00');
  }
  return key;
}

struct CompositeKeyParts {
  std::string object_type;
  std::vector<std::string> attributes;
};

// Splits a composite key made by CreateCompositeKey back into its object type and attributes. Throws
// ShimError if `key` is not a composite key (it must start and end with "\x00").
inline CompositeKeyParts SplitCompositeKey(std::string_view key) {
  if (key.size() < 2 || key.front() != kCompositeKeyNamespace || key.back() != '\x00') {
    throw ShimError("not a composite key: [" + internal::LowerHex(key) +
                    "] (a composite key starts and ends with 0x00)");
  }
  CompositeKeyParts parts;
  bool have_type = false;
  size_t begin = 1;
  for (size_t i = 1; i < key.size(); ++i) {
    if (key[i] != '\x00') continue;
    std::string part(key.substr(begin, i - begin));
    if (have_type) {
      parts.attributes.push_back(std::move(part));
    } else {
      parts.object_type = std::move(part);
      have_type = true;
    }
    begin = i + 1;
  }
  return parts;
}

}  // namespace careledger::shim

#endif  // CARELEDGER_SHIM_COMPOSITE_KEY_H_
