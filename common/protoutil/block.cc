#include "common/protoutil/block.h"

#include "absl/strings/str_cat.h"
#include "common/protoutil/block_hash.h"
#include "common/protoutil/envelope.h"
#include "common/protoutil/marshal.h"
#include "common/protoutil/txid.h"
#include "common/protoutil/unmarshal.h"
#include "common/status_macros.h"

namespace careledger::protoutil {
namespace {

constexpr int kMetadataEntries = 5;  // SIGNATURES, LAST_CONFIG, TRANSACTIONS_FILTER, ORDERER, COMMIT_HASH
// BlockMetadataIndex LAST_CONFIG: deprecated in the proto (the index moved into SIGNATURES) but still read by
// older Fabric tools, so it is written as well; named here to avoid the deprecation warning on every use.
constexpr int kLastConfigMetadata = 1;

}  // namespace

::common::Block NewBlock(uint64_t number, std::string_view previous_hash, std::vector<std::string> envelopes) {
  ::common::Block block;
  for (std::string& e : envelopes) block.mutable_data()->add_data(std::move(e));
  ::common::BlockHeader* header = block.mutable_header();
  header->set_number(number);
  header->set_previous_hash(std::string(previous_hash));
  header->set_data_hash(BlockDataHash(block.data()));
  for (int i = 0; i < kMetadataEntries; ++i) block.mutable_metadata()->add_metadata();
  return block;
}

absl::Status SignBlock(::common::Block* block, const Signer& signer, uint64_t last_config_index,
                       std::string_view consenter_metadata) {
  while (block->metadata().metadata_size() < kMetadataEntries) block->mutable_metadata()->add_metadata();
  ::common::OrdererBlockMetadata orderer_metadata;
  orderer_metadata.mutable_last_config()->set_index(last_config_index);
  orderer_metadata.set_consenter_metadata(std::string(consenter_metadata));
  ::common::Metadata signatures;
  ASSIGN_OR_RETURN(*signatures.mutable_value(), Marshal(orderer_metadata, "common.OrdererBlockMetadata"));
  ASSIGN_OR_RETURN(std::string nonce, CreateNonce());
  ::common::MetadataSignature* sig = signatures.add_signatures();
  ASSIGN_OR_RETURN(*sig->mutable_signature_header(),
                   Marshal(MakeSignatureHeader(signer.SerializedIdentity(), nonce), "common.SignatureHeader"));
  const std::string signed_bytes =
      absl::StrCat(signatures.value(), sig->signature_header(), BlockHeaderBytes(block->header()));
  absl::StatusOr<std::string> signature = signer.Sign(signed_bytes);
  if (!signature.ok()) return Annotate(signature.status(), "signing block");
  sig->set_signature(*std::move(signature));
  ASSIGN_OR_RETURN(*block->mutable_metadata()->mutable_metadata(::common::SIGNATURES),
                   Marshal(signatures, "common.Metadata"));

  ::common::LastConfig last_config;
  last_config.set_index(last_config_index);
  ::common::Metadata last_config_metadata;
  ASSIGN_OR_RETURN(*last_config_metadata.mutable_value(), Marshal(last_config, "common.LastConfig"));
  ASSIGN_OR_RETURN(*block->mutable_metadata()->mutable_metadata(kLastConfigMetadata),
                   Marshal(last_config_metadata, "common.Metadata"));
  return absl::OkStatus();
}

namespace {

absl::StatusOr<::common::Metadata> SignaturesMetadata(const ::common::Block& block) {
  if (block.metadata().metadata_size() <= ::common::SIGNATURES) {
    return absl::InvalidArgumentError(absl::StrCat("block ", block.header().number(), " has no SIGNATURES metadata"));
  }
  return Unmarshal<::common::Metadata>(block.metadata().metadata(::common::SIGNATURES),
                                       absl::StrCat("SIGNATURES metadata of block ", block.header().number()));
}

}  // namespace

absl::StatusOr<std::vector<BlockSignature>> BlockSignatures(const ::common::Block& block) {
  ASSIGN_OR_RETURN(::common::Metadata metadata, SignaturesMetadata(block));
  const std::string header_bytes = BlockHeaderBytes(block.header());
  std::vector<BlockSignature> out;
  for (int i = 0; i < metadata.signatures_size(); ++i) {
    const ::common::MetadataSignature& sig = metadata.signatures(i);
    ASSIGN_OR_RETURN(::common::SignatureHeader header,
                     Unmarshal<::common::SignatureHeader>(
                         sig.signature_header(), absl::StrCat("signature header ", i, " of block ", block.header().number())));
    out.push_back({absl::StrCat(metadata.value(), sig.signature_header(), header_bytes), header.creator(),
                   sig.signature()});
  }
  return out;
}

absl::StatusOr<uint64_t> LastConfigIndex(const ::common::Block& block) {
  ASSIGN_OR_RETURN(::common::Metadata metadata, SignaturesMetadata(block));
  ASSIGN_OR_RETURN(::common::OrdererBlockMetadata orderer,
                   Unmarshal<::common::OrdererBlockMetadata>(
                       metadata.value(), absl::StrCat("orderer metadata of block ", block.header().number())));
  if (!orderer.has_last_config()) {
    return absl::InvalidArgumentError(absl::StrCat("block ", block.header().number(), " records no last config"));
  }
  return orderer.last_config().index();
}

}  // namespace careledger::protoutil
