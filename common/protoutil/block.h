// Creating, signing and reading the orderer's part of blocks, exactly as Fabric does, so that Fabric peers
// and tools accept CareLedger's blocks and CareLedger's committer checks Fabric's.
//
// A block's orderer signatures live in metadata[SIGNATURES]: a common.Metadata whose value is an
// OrdererBlockMetadata {last_config {index}, consenter_metadata} and whose signatures each carry a
// serialized SignatureHeader {creator, nonce} and a signature over
//   value || signature_header || BlockHeaderBytes(header)
// which is what a channel's BlockValidation policy is evaluated on.
#ifndef CARELEDGER_COMMON_PROTOUTIL_BLOCK_H_
#define CARELEDGER_COMMON_PROTOUTIL_BLOCK_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/common.pb.h"
#include "common/protoutil/signer.h"

namespace careledger::protoutil {

// Block `number` holding `envelopes` (serialized common.Envelopes), chained to `previous_hash` (the header
// hash of the block before it; empty for block 0), with its data hash set and five empty metadata entries.
::common::Block NewBlock(uint64_t number, std::string_view previous_hash, std::vector<std::string> envelopes);

// Signs `block` as an orderer: sets metadata[SIGNATURES] (see above) with `signer`'s signature and a fresh
// nonce, recording `last_config_index` and `consenter_metadata`, and metadata[LAST_CONFIG] for readers of
// Fabric 1.x. The header must be final. Errors: the signer's, annotated; Internal if no nonce can be drawn.
absl::Status SignBlock(::common::Block* block, const Signer& signer, uint64_t last_config_index,
                       std::string_view consenter_metadata);

// One orderer signature of a block, as the BlockValidation policy consumes it.
struct BlockSignature {
  std::string data;       // value || signature_header || header bytes
  std::string identity;   // serialized msp.SerializedIdentity of the signer
  std::string signature;
};

// The signatures in `block`'s SIGNATURES metadata. InvalidArgument naming the layer if the metadata or a
// signature header is malformed; an empty list if the block carries none.
absl::StatusOr<std::vector<BlockSignature>> BlockSignatures(const ::common::Block& block);

// The last-config index recorded in the SIGNATURES metadata. InvalidArgument if absent or malformed.
absl::StatusOr<uint64_t> LastConfigIndex(const ::common::Block& block);

}  // namespace careledger::protoutil

#endif  // CARELEDGER_COMMON_PROTOUTIL_BLOCK_H_
