#include "common/blockstore/chain_check.h"

#include "absl/strings/str_cat.h"
#include "common/encoding/hex.h"
#include "common/protoutil/block_hash.h"

namespace careledger::blockstore {
namespace {

// Hashes come from the block being checked: untrusted, possibly huge.
std::string ShortHex(std::string_view bytes) {
  constexpr size_t kMaxShown = 64;
  if (bytes.size() <= kMaxShown) return bytes.empty() ? std::string("(empty)") : HexEncode(bytes);
  return absl::StrCat(HexEncode(bytes.substr(0, kMaxShown)), "... (", bytes.size(), " bytes)");
}

}  // namespace

absl::Status CheckExtendsChain(const ::common::Block& block, uint64_t expected_number,
                               std::string_view previous_header_hash) {
  if (!block.has_header()) return absl::InvalidArgumentError("block has no header");
  const ::common::BlockHeader& header = block.header();
  if (header.number() != expected_number) {
    return absl::FailedPreconditionError(absl::StrCat("block number ", header.number(),
                                                      " is not the next block: expected block ", expected_number));
  }
  if (expected_number > 0 && header.previous_hash() != previous_header_hash) {
    return absl::FailedPreconditionError(absl::StrCat(
        "block ", expected_number, " has previous_hash ", ShortHex(header.previous_hash()), " but block ",
        expected_number - 1, " has header hash ", ShortHex(previous_header_hash)));
  }
  const std::string data_hash = protoutil::BlockDataHash(block.data());
  if (header.data_hash() != data_hash) {
    return absl::InvalidArgumentError(absl::StrCat("block ", expected_number, " has data_hash ",
                                                   ShortHex(header.data_hash()), " but its data hashes to ",
                                                   ShortHex(data_hash)));
  }
  return absl::OkStatus();
}

}  // namespace careledger::blockstore
