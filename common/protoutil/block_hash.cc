#include "common/protoutil/block_hash.h"

#include <cstdint>
#include <string_view>

#include "common/crypto/sha256.h"

namespace careledger::protoutil {
namespace {

// X.690 universal tags.
constexpr char kTagInteger = 0x02;
constexpr char kTagOctetString = 0x04;
constexpr char kTagSequence = 0x30;  // constructed

// Upper bound of a DER length's encoding: the long-form prefix byte plus sizeof(size_t) bytes.
constexpr size_t kMaxLengthBytes = 1 + sizeof(size_t);
// An INTEGER holding a uint64: tag, length, a possible 0x00 and eight bytes.
constexpr size_t kMaxIntegerTlvBytes = 2 + 1 + sizeof(uint64_t);

void AppendLength(size_t length, std::string& out) {
  if (length < 0x80) {
    out.push_back(static_cast<char>(length));
    return;
  }
  char bytes[sizeof(size_t)];
  size_t count = 0;
  for (size_t rest = length; rest != 0; rest >>= 8) bytes[count++] = static_cast<char>(rest & 0xff);
  out.push_back(static_cast<char>(0x80 | count));
  while (count > 0) out.push_back(bytes[--count]);
}

// Content octets of INTEGER `value`: minimal big-endian, with a 0x00 first if the top bit would be set,
// because DER integers are two's complement and the number is never negative.
void AppendIntegerTlv(uint64_t value, std::string& out) {
  char bytes[sizeof(uint64_t)];
  size_t count = 0;
  do {
    bytes[count++] = static_cast<char>(value & 0xff);
    value >>= 8;
  } while (value != 0);
  const bool needs_sign_byte = (static_cast<unsigned char>(bytes[count - 1]) & 0x80) != 0;
  out.push_back(kTagInteger);
  AppendLength(count + (needs_sign_byte ? 1 : 0), out);
  if (needs_sign_byte) out.push_back('\0');
  while (count > 0) out.push_back(bytes[--count]);
}

void AppendOctetStringTlv(std::string_view value, std::string& out) {
  out.push_back(kTagOctetString);
  AppendLength(value.size(), out);
  out.append(value);
}

}  // namespace

std::string BlockHeaderBytes(const ::common::BlockHeader& header) {
  std::string content;
  content.reserve(kMaxIntegerTlvBytes + 2 * (1 + kMaxLengthBytes) + header.previous_hash().size() +
                  header.data_hash().size());
  AppendIntegerTlv(header.number(), content);
  AppendOctetStringTlv(header.previous_hash(), content);
  AppendOctetStringTlv(header.data_hash(), content);

  std::string out;
  out.reserve(1 + kMaxLengthBytes + content.size());
  out.push_back(kTagSequence);
  AppendLength(content.size(), out);
  out.append(content);
  return out;
}

std::string BlockHeaderHash(const ::common::BlockHeader& header) {
  return crypto::Sha256Bytes(BlockHeaderBytes(header));
}

std::string BlockDataHash(const ::common::BlockData& data) {
  crypto::Sha256Hasher hasher;
  for (const std::string& entry : data.data()) hasher.Update(entry);
  return std::string(crypto::AsBytes(hasher.Finish()));
}

}  // namespace careledger::protoutil
