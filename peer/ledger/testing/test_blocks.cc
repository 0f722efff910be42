#include "peer/ledger/testing/test_blocks.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/configtx.pb.h"
#include "common/protoutil/block.h"
#include "common/protoutil/block_hash.h"
#include "common/protoutil/envelope.h"
#include "common/protoutil/proposal.h"
#include "common/protoutil/test_signer.h"
#include "common/protoutil/transaction.h"
#include "common/protoutil/txid.h"
#include "common/protoutil/unmarshal.h"
#include "ledger/rwset/kvrwset/kv_rwset.pb.h"
#include "ledger/rwset/rwset.pb.h"

namespace careledger::ledger::testing {
namespace {

constexpr char kClient[] = "hospital1-clinician";
constexpr char kEndorser[] = "peer0.hospital1";
constexpr int64_t kFirstTimestamp = 1700000000;

template <typename T>
T OrDie(absl::StatusOr<T> value, std::string_view what) {
  if (!value.ok()) {
    std::fprintf(stderr, "test_blocks: %.*s failed: %s\n", static_cast<int>(what.size()), what.data(),
                 value.status().ToString().c_str());
    std::abort();
  }
  return *std::move(value);
}

// The namespace read-write sets of `tx`, one per namespace in order of first appearance.
std::string ReadWriteSet(const TestTransaction& tx) {
  std::vector<std::string> order;
  std::vector<::kvrwset::KVRWSet> sets;
  const auto set_of = [&](const std::string& ns) -> ::kvrwset::KVRWSet& {
    for (size_t i = 0; i < order.size(); ++i) {
      if (order[i] == ns) return sets[i];
    }
    order.push_back(ns);
    return sets.emplace_back();
  };
  for (const TestRead& read : tx.reads) {
    ::kvrwset::KVRead& kv_read = *set_of(read.ns).add_reads();
    kv_read.set_key(read.key);
    if (read.version) {
      kv_read.mutable_version()->set_block_num(read.version->block_num);
      kv_read.mutable_version()->set_tx_num(read.version->tx_num);
    }
  }
  for (const TestWrite& write : tx.writes) {
    ::kvrwset::KVWrite& kv_write = *set_of(write.ns).add_writes();
    kv_write.set_key(write.key);
    kv_write.set_is_delete(!write.value.has_value());
    if (write.value) kv_write.set_value(*write.value);
  }
  ::rwset::TxReadWriteSet rwset;
  rwset.set_data_model(::rwset::TxReadWriteSet::KV);
  for (size_t i = 0; i < order.size(); ++i) {
    ::rwset::NsReadWriteSet& ns = *rwset.add_ns_rwset();
    ns.set_namespace_(order[i]);
    ns.set_rwset(sets[i].SerializeAsString());
  }
  return rwset.SerializeAsString();
}

}  // namespace

TestWrite Put(std::string_view ns, std::string_view key, std::string_view value) {
  return TestWrite{std::string(ns), std::string(key), std::string(value)};
}

TestWrite Delete(std::string_view ns, std::string_view key) {
  return TestWrite{std::string(ns), std::string(key), std::nullopt};
}

TestTransaction TxWriting(std::vector<TestWrite> writes, ::protos::TxValidationCode code) {
  TestTransaction tx;
  tx.writes = std::move(writes);
  tx.code = code;
  return tx;
}

TestEnvelope EndorserEnvelope(std::string_view channel, const TestTransaction& tx, std::string_view nonce,
                              const google::protobuf::Timestamp& timestamp) {
  std::string chaincode = "records";
  if (!tx.writes.empty()) {
    chaincode = tx.writes.front().ns;
  } else if (!tx.reads.empty()) {
    chaincode = tx.reads.front().ns;
  }
  const std::vector<std::string> args = {"invoke"};
  protoutil::ChaincodeProposal proposal = OrDie(
      protoutil::CreateChaincodeProposalWithNonce(channel, chaincode, args, kClient, {}, timestamp, nonce),
      "CreateChaincodeProposalWithNonce");
  ::protos::Response response;
  response.set_status(protoutil::kResponseStatusOk);
  ::protos::ChaincodeID chaincode_id;
  chaincode_id.set_name(chaincode);
  chaincode_id.set_version("1.0");
  const std::vector<::protos::ProposalResponse> responses = {
      OrDie(protoutil::CreateProposalResponse(proposal.proposal, response, ReadWriteSet(tx), "", chaincode_id,
                                              protoutil::testing::FakeSigner(kEndorser)),
            "CreateProposalResponse")};
  const ::common::Envelope envelope =
      OrDie(protoutil::CreateSignedTransaction(proposal.proposal, responses, protoutil::testing::FakeSigner(kClient)),
            "CreateSignedTransaction");
  return TestEnvelope{envelope.SerializeAsString(), std::move(proposal.tx_id)};
}

std::string TxIdAt(const ::common::Block& block, int index) {
  const ::common::Envelope envelope = OrDie(
      protoutil::Unmarshal<::common::Envelope>(block.data().data(index), "envelope"), "parsing the envelope");
  return OrDie(protoutil::ParseEnvelope(envelope), "ParseEnvelope").channel_header.tx_id();
}

TestBlockBuilder::TestBlockBuilder(std::string channel) : channel_(std::move(channel)) {}

google::protobuf::Timestamp TestBlockBuilder::NextTimestamp() const {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(kFirstTimestamp + static_cast<int64_t>(transactions_));
  timestamp.set_nanos(static_cast<int32_t>(transactions_ % 1000) * 1000);
  return timestamp;
}

std::string TestBlockBuilder::NextNonce() {
  // kNonceSize bytes, unique per transaction of this builder.
  std::string nonce = absl::StrCat("nonce-", channel_, "-", transactions_);
  nonce.resize(protoutil::kNonceSize, '.');
  return nonce;
}

::common::Block TestBlockBuilder::NextBlock(const std::vector<TestTransaction>& transactions) {
  std::vector<std::string> envelopes;
  std::string filter;
  for (const TestTransaction& tx : transactions) {
    const google::protobuf::Timestamp timestamp = NextTimestamp();
    envelopes.push_back(EndorserEnvelope(channel_, tx, NextNonce(), timestamp).bytes);
    filter.push_back(static_cast<char>(tx.code));
    ++transactions_;
  }
  return NextBlockWithEntries(std::move(envelopes), std::move(filter));
}

::common::Block TestBlockBuilder::NextConfigBlock() {
  const std::string nonce = NextNonce();
  ::common::Payload payload;
  *payload.mutable_header() = OrDie(
      protoutil::MakePayloadHeader(protoutil::MakeChannelHeader(::common::CONFIG, channel_,
                                                                protoutil::ComputeTxId(nonce, kClient),
                                                                NextTimestamp(), 0, ""),
                                   protoutil::MakeSignatureHeader(kClient, nonce)),
      "MakePayloadHeader");
  payload.set_data(::common::ConfigEnvelope().SerializeAsString());
  ::common::Envelope envelope;
  envelope.set_payload(payload.SerializeAsString());
  envelope.set_signature(protoutil::testing::FakeSigner::SignatureOf(kClient, envelope.payload()));
  ++transactions_;
  return NextBlockWithEntries({envelope.SerializeAsString()}, std::string(1, static_cast<char>(::protos::VALID)));
}

::common::Block TestBlockBuilder::NextBlockWithEntries(std::vector<std::string> envelopes, std::string filter) {
  ::common::Block block = protoutil::NewBlock(height_, previous_hash_, std::move(envelopes));
  *block.mutable_metadata()->mutable_metadata(::common::TRANSACTIONS_FILTER) = std::move(filter);
  previous_hash_ = protoutil::BlockHeaderHash(block.header());
  ++height_;
  return block;
}

}  // namespace careledger::ledger::testing
