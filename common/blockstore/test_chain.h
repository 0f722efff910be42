// Test-only: consecutive blocks with real hashes (protoutil::BlockHeaderHash / BlockDataHash) whose entries
// are envelopes carrying transaction IDs, as the orderer cuts them. For the block store's tests and benchmark.
#ifndef CARELEDGER_COMMON_BLOCKSTORE_TEST_CHAIN_H_
#define CARELEDGER_COMMON_BLOCKSTORE_TEST_CHAIN_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/common.pb.h"
#include "common/protoutil/block_hash.h"
#include "common/protoutil/envelope.h"
#include "google/protobuf/timestamp.pb.h"

namespace careledger::blockstore {

// A serialized Envelope whose channel header carries `tx_id`; its payload data is padded so that the envelope
// is about `size` bytes. The signature is not a real one: the store does not verify signatures.
inline std::string EnvelopeBytes(std::string_view tx_id, size_t size = 200) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(1700000000);
  ::common::Payload payload;
  *payload.mutable_header() = *protoutil::MakePayloadHeader(
      protoutil::MakeChannelHeader(::common::ENDORSER_TRANSACTION, "patients", tx_id, timestamp, 0, ""),
      protoutil::MakeSignatureHeader("creator certificate", "nonce-0123456789abcdef0123"));
  const size_t overhead = payload.ByteSizeLong() + 80;
  payload.set_data(std::string(size > overhead ? size - overhead : 1, 'd'));
  ::common::Envelope envelope;
  envelope.set_payload(payload.SerializeAsString());
  envelope.set_signature(std::string(72, 's'));
  return envelope.SerializeAsString();
}

// The transaction ID ChainBuilder gives entry `index` of block `block`.
inline std::string TxIdOf(uint64_t block, int index) { return absl::StrCat("tx-", block, "-", index); }

// Builds the blocks of one chain, each extending the one before.
class ChainBuilder {
 public:
  // The next block with `data` as its entries.
  ::common::Block NextWithData(std::vector<std::string> data) {
    ::common::Block block;
    for (std::string& entry : data) block.mutable_data()->add_data(std::move(entry));
    ::common::BlockHeader* header = block.mutable_header();
    header->set_number(next_);
    header->set_previous_hash(previous_hash_);
    header->set_data_hash(protoutil::BlockDataHash(block.data()));
    block.mutable_metadata()->add_metadata("signatures");
    previous_hash_ = protoutil::BlockHeaderHash(*header);
    ++next_;
    return block;
  }

  // The next block with `tx_count` envelopes of about `tx_size` bytes, IDs TxIdOf(number, i).
  ::common::Block Next(int tx_count = 3, size_t tx_size = 200) {
    std::vector<std::string> data;
    for (int i = 0; i < tx_count; ++i) data.push_back(EnvelopeBytes(TxIdOf(next_, i), tx_size));
    return NextWithData(std::move(data));
  }

  // The next `count` blocks.
  std::vector<::common::Block> NextBlocks(int count, int tx_count = 3, size_t tx_size = 200) {
    std::vector<::common::Block> blocks;
    for (int i = 0; i < count; ++i) blocks.push_back(Next(tx_count, tx_size));
    return blocks;
  }

  uint64_t height() const { return next_; }

 private:
  uint64_t next_ = 0;
  std::string previous_hash_;
};

}  // namespace careledger::blockstore

#endif  // CARELEDGER_COMMON_BLOCKSTORE_TEST_CHAIN_H_
