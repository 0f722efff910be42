#include "peer/committer/block_verifier.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/protoutil/block.h"
#include "common/protoutil/block_hash.h"
#include "common/status_macros.h"
#include "peer/committer/canonical.h"

namespace careledger::committer {
namespace {

std::string Hex(std::string_view bytes) { return absl::BytesToHexString(AsAbsl(bytes)); }

absl::Status BlockError(uint64_t number, std::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat("block ", number, ": ", AsAbsl(reason)));
}

absl::Status CheckDataHash(const ::common::Block& block) {
  const std::string expected = protoutil::BlockDataHash(block.data());
  if (block.header().data_hash() != expected) {
    return BlockError(block.header().number(),
                      absl::StrCat("data hash ", Hex(block.header().data_hash()), " is not the hash of its data (",
                                   Hex(expected), ")"));
  }
  return absl::OkStatus();
}

// The rule that makes the data hash commit to the entries' boundaries (see the header).
absl::Status CheckEntriesWellFormed(const ::common::Block& block) {
  const uint64_t number = block.header().number();
  for (int i = 0; i < block.data().data_size(); ++i) {
    const std::string where = absl::StrCat("entry ", i);
    absl::StatusOr<::common::Envelope> envelope = ParseCanonical<::common::Envelope>(block.data().data(i), where);
    if (!envelope.ok()) return BlockError(number, AsStd(envelope.status().message()));
    if (envelope->payload().empty()) return BlockError(number, absl::StrCat(where, " has no payload"));
    if (envelope->signature().empty()) return BlockError(number, absl::StrCat(where, " has no signature"));
  }
  return absl::OkStatus();
}

absl::Status CheckHasData(const ::common::Block& block) {
  if (block.data().data_size() == 0) return BlockError(block.header().number(), "no data entry");
  return absl::OkStatus();
}

}  // namespace

absl::Status VerifyGenesisBlock(const ::common::Block& block) {
  if (!block.has_header()) return absl::InvalidArgumentError("genesis block has no header");
  const uint64_t number = block.header().number();
  if (number != 0) return BlockError(number, "a channel's first block must be block 0");
  if (!block.header().previous_hash().empty()) {
    return BlockError(number, "the genesis block has a previous hash; it must be empty");
  }
  RETURN_IF_ERROR(CheckHasData(block));
  return CheckDataHash(block);
}

absl::Status VerifyBlock(const ::common::Block& block, const ::common::BlockHeader& previous,
                         const policies::Policy& block_validation, const policies::IdentityDeserializer& deserializer) {
  if (!block.has_header()) {
    return absl::InvalidArgumentError(absl::StrCat("the block after block ", previous.number(), " has no header"));
  }
  const uint64_t number = block.header().number();
  if (previous.number() == std::numeric_limits<uint64_t>::max() || number != previous.number() + 1) {
    return BlockError(number, absl::StrCat("expected block ", previous.number(), " + 1"));
  }
  const std::string previous_hash = protoutil::BlockHeaderHash(previous);
  if (block.header().previous_hash() != previous_hash) {
    return BlockError(number, absl::StrCat("previous hash ", Hex(block.header().previous_hash()),
                                           " is not the hash of block ", previous.number(), " (", Hex(previous_hash),
                                           ")"));
  }
  RETURN_IF_ERROR(CheckHasData(block));
  RETURN_IF_ERROR(CheckEntriesWellFormed(block));
  RETURN_IF_ERROR(CheckDataHash(block));

  // Signatures last: they are the expensive part, and a block failing the cheap checks is refused anyway.
  absl::StatusOr<std::vector<protoutil::BlockSignature>> signatures = protoutil::BlockSignatures(block);
  if (!signatures.ok()) return BlockError(number, AsStd(signatures.status().message()));
  std::vector<policies::SignedData> signed_data;
  signed_data.reserve(signatures->size());
  for (const protoutil::BlockSignature& signature : *signatures) {
    signed_data.push_back({signature.data, signature.identity, signature.signature});
  }
  const absl::Status satisfied = policies::EvaluateSignedData(block_validation, signed_data, deserializer);
  if (!satisfied.ok()) {
    return absl::PermissionDeniedError(absl::StrCat("block ", number, ": its ", signed_data.size(),
                                                    " orderer signature(s) do not satisfy the BlockValidation policy: ",
                                                    satisfied.message()));
  }
  return absl::OkStatus();
}

}  // namespace careledger::committer
