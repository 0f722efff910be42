// Test-only: blocks of real endorser transactions with chosen read and write sets, as a committer hands them to
// the ledger (hash-chained, data hash set, TRANSACTIONS_FILTER filled in). The envelopes are built with
// protoutil exactly as a client and an endorser build them (proposal, endorsement, signed transaction), signed by
// protoutil's deterministic FakeSigner, so ParseEnvelope and ParseEndorserTransaction accept them; signatures
// are not real ECDSA ones.
//
// Deterministic: two builders fed the same calls produce byte-identical blocks (nonces and timestamps come from
// a counter), so a test can build the same chain twice — e.g. for a ledger that crashed and one that did not.
//
// For the ledger's tests and for the committer's and endorser's. Not thread-safe.
#ifndef CARELEDGER_PEER_LEDGER_TESTING_TEST_BLOCKS_H_
#define CARELEDGER_PEER_LEDGER_TESTING_TEST_BLOCKS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/common.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "peer/ledger/state/state_snapshot.h"
#include "peer/transaction.pb.h"

namespace careledger::ledger::testing {

// A write of a test transaction; no value means a delete.
struct TestWrite {
  std::string ns;
  std::string key;
  std::optional<std::string> value;
};
TestWrite Put(std::string_view ns, std::string_view key, std::string_view value);
TestWrite Delete(std::string_view ns, std::string_view key);

// A read of a test transaction; no version means the key was read as absent.
struct TestRead {
  std::string ns;
  std::string key;
  std::optional<Version> version;
};

// One transaction of a test block and the code the committer gave it.
struct TestTransaction {
  std::vector<TestWrite> writes;
  std::vector<TestRead> reads;
  ::protos::TxValidationCode code = ::protos::VALID;
};

// A transaction making `writes`, to which the committer gave `code`.
TestTransaction TxWriting(std::vector<TestWrite> writes, ::protos::TxValidationCode code = ::protos::VALID);

// A serialized endorser transaction envelope and its transaction ID.
struct TestEnvelope {
  std::string bytes;
  std::string tx_id;
};

// The envelope of an endorser transaction on `channel` whose read-write set holds `tx`'s reads and writes, one
// namespace read-write set per namespace in order of first appearance, invoking the chaincode named by the first
// namespace ("records" if none). `nonce` (non-empty) determines the transaction ID; `timestamp` goes into the
// channel header. Aborts the test program if protoutil refuses (it never does for sane input).
TestEnvelope EndorserEnvelope(std::string_view channel, const TestTransaction& tx, std::string_view nonce,
                              const google::protobuf::Timestamp& timestamp);

// The transaction ID in the channel header of entry `index` of `block` (an envelope); aborts if there is none.
std::string TxIdAt(const ::common::Block& block, int index);

// Builds consecutive blocks of one chain, from block 0.
class TestBlockBuilder {
 public:
  explicit TestBlockBuilder(std::string channel = "patients");

  // The next block, one endorser transaction per element of `transactions`, with a TRANSACTIONS_FILTER holding
  // their codes. Transaction k of the builder gets timestamp 1700000000 + k seconds.
  ::common::Block NextBlock(const std::vector<TestTransaction>& transactions);

  // The next block holding one VALID CONFIG transaction (a config envelope with an empty config), as a channel's
  // genesis block or a config update block.
  ::common::Block NextConfigBlock();

  // The next block holding `envelopes` as they are, with `filter` as its TRANSACTIONS_FILTER (any length, to
  // test the ledger's checks).
  ::common::Block NextBlockWithEntries(std::vector<std::string> envelopes, std::string filter);

  // The number of blocks built: the next block's number.
  uint64_t height() const { return height_; }
  // The timestamp the builder's next transaction will get.
  google::protobuf::Timestamp NextTimestamp() const;

 private:
  std::string NextNonce();

  std::string channel_;
  uint64_t height_ = 0;
  std::string previous_hash_;
  uint64_t transactions_ = 0;
};

}  // namespace careledger::ledger::testing

#endif  // CARELEDGER_PEER_LEDGER_TESTING_TEST_BLOCKS_H_
