// Fixed-width integers in the ledger's on-disk keys and values and in the commit hash encoding
// (docs/formats/peer-ledger.md). Big-endian where byte-wise order must follow numeric order (keys) and in the
// hash encoding; little-endian in values. Internal to peer/ledger.
#ifndef CARELEDGER_PEER_LEDGER_BYTE_ORDER_H_
#define CARELEDGER_PEER_LEDGER_BYTE_ORDER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace careledger::ledger {

// Appends the low `bytes` bytes of `value`, most significant first.
inline void AppendBigEndian(std::string& out, uint64_t value, size_t bytes) {
  for (size_t i = bytes; i-- > 0;) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

// Appends the low `bytes` bytes of `value`, least significant first.
inline void AppendLittleEndian(std::string& out, uint64_t value, size_t bytes) {
  for (size_t i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

// Reads `in` (at most 8 bytes) as a big-endian number.
inline uint64_t LoadBigEndian(std::string_view in) {
  uint64_t value = 0;
  for (char c : in) value = (value << 8) | static_cast<unsigned char>(c);
  return value;
}

// Reads `in` (at most 8 bytes) as a little-endian number.
inline uint64_t LoadLittleEndian(std::string_view in) {
  uint64_t value = 0;
  for (size_t i = in.size(); i-- > 0;) value = (value << 8) | static_cast<unsigned char>(in[i]);
  return value;
}

}  // namespace careledger::ledger

#endif  // CARELEDGER_PEER_LEDGER_BYTE_ORDER_H_
