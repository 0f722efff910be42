#include "peer/committer/block_committer.h"

#include <memory>
#include <string>
#include <vector>

#include "common/protoutil/envelope.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "peer/committer/testing/test_chain.h"
#include "peer/committer/testing/test_channel.h"
#include "peer/committer/testing/test_transaction.h"
#include "peer/ledger/ledger.h"

namespace careledger::committer {
namespace {

using ::careledger::committer::testing::Channel;
using ::careledger::committer::testing::DefaultEndorserTransaction;
using ::careledger::committer::testing::EndorserTransactionSpec;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class BlockCommitterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ledger = ledger::Ledger::Open(dir_.path() + "/ledger");
    ASSERT_TRUE(ledger.ok()) << ledger.status();
    ledger_ = *std::move(ledger);
    committer_ = std::make_unique<BlockCommitter>(*Channel().config, *Channel().msps, *ledger_, &pool_);
    auto genesis = committer_->CommitGenesis(Channel().genesis);
    ASSERT_TRUE(genesis.ok()) << genesis.status();
    chain_ = std::make_unique<testing::TestChain>(Channel().orderer, Channel().genesis.header());
  }

  // A `_lifecycle` transaction (the one chaincode defined without a definition: its policy is the channel's
  // LifecycleEndorsement, MAJORITY of the two organisations) that reads `reads` and writes `writes`.
  static std::string LifecycleTx(std::vector<const protoutil::Signer*> endorsers, int nonce,
                                 std::vector<std::pair<std::string, std::optional<ledger::Version>>> reads,
                                 std::vector<std::pair<std::string, std::string>> writes) {
    EndorserTransactionSpec spec =
        DefaultEndorserTransaction(Channel().id, "_lifecycle", Channel().client1, std::move(endorsers), nonce);
    ::kvrwset::KVRWSet& kv = spec.namespaces.at(0).kv;
    kv.clear_reads();
    kv.clear_writes();
    for (const auto& [key, version] : reads) {
      ::kvrwset::KVRead* read = kv.add_reads();
      read->set_key(key);
      if (version) {
        read->mutable_version()->set_block_num(version->block_num);
        read->mutable_version()->set_tx_num(version->tx_num);
      }
    }
    for (const auto& [key, value] : writes) {
      ::kvrwset::KVWrite* write = kv.add_writes();
      write->set_key(key);
      write->set_value(value);
    }
    return testing::BuildEndorserTransaction(spec);
  }

  const protoutil::Signer* peer1() const { return &Channel().peer1; }
  const protoutil::Signer* peer2() const { return &Channel().peer2; }

  careledger::testing::ScopedTempDir dir_;
  ThreadPool pool_{2};
  std::unique_ptr<ledger::Ledger> ledger_;
  std::unique_ptr<BlockCommitter> committer_;
  std::unique_ptr<testing::TestChain> chain_;
};

TEST_F(BlockCommitterTest, CommitsValidTransactionsAndMarksEachInvalidOneWithItsCode) {
  const std::string defined = LifecycleTx({peer1(), peer2()}, 1, {{"x", std::nullopt}}, {{"x", "1"}});
  const std::string undefined_chaincode = testing::BuildEndorserTransaction(
      DefaultEndorserTransaction(Channel().id, "bench", Channel().client1, {peer1(), peer2()}, 2));
  const std::string one_organisation = LifecycleTx({peer1()}, 3, {}, {{"y", "1"}});
  auto block1 = committer_->Commit(chain_->Next({defined, undefined_chaincode, one_organisation}));
  ASSERT_TRUE(block1.ok()) << block1.status();
  EXPECT_THAT(block1->codes,
              ElementsAre(::protos::VALID, ::protos::INVALID_CHAINCODE, ::protos::ENDORSEMENT_POLICY_FAILURE));

  // Block 2: a read of x at the version block 1 wrote is current; one at an older (absent) version conflicts;
  // block 1's first transaction again is a duplicate.
  const std::string current = LifecycleTx({peer1(), peer2()}, 4, {{"x", ledger::Version{1, 0}}}, {{"z", "2"}});
  const std::string stale = LifecycleTx({peer1(), peer2()}, 5, {{"x", std::nullopt}}, {{"w", "3"}});
  auto block2 = committer_->Commit(chain_->Next({current, stale, defined}));
  ASSERT_TRUE(block2.ok()) << block2.status();
  EXPECT_THAT(block2->codes,
              ElementsAre(::protos::VALID, ::protos::MVCC_READ_CONFLICT, ::protos::DUPLICATE_TXID));

  EXPECT_EQ(ledger_->Height(), 3u);
  std::unique_ptr<ledger::StateSnapshot> state = ledger_->NewSnapshot();
  auto x = state->Get("_lifecycle", "x");
  ASSERT_TRUE(x.ok() && x->has_value());
  EXPECT_EQ((*x)->value, "1");
  EXPECT_EQ((*x)->version, (ledger::Version{1, 0}));
  for (const char* never_written : {"y", "w"}) {
    auto absent = state->Get("_lifecycle", never_written);
    ASSERT_TRUE(absent.ok());
    EXPECT_FALSE(absent->has_value()) << never_written;
  }

  // The ledger answers commit status from the recorded filter.
  ::common::Envelope envelope;
  ASSERT_TRUE(envelope.ParseFromString(stale));
  auto parsed = protoutil::ParseEnvelope(envelope);
  ASSERT_TRUE(parsed.ok());
  auto status = ledger_->GetTransactionStatus(parsed->channel_header.tx_id());
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(status->code, ::protos::MVCC_READ_CONFLICT);
  EXPECT_EQ(status->block_number, 2u);
}

TEST_F(BlockCommitterTest, RefusesABlockTheOrderingServiceDidNotSignAndCommitsNothing) {
  testing::TestChain forged(Channel().outsider, Channel().genesis.header());
  auto refused = committer_->Commit(forged.Next({LifecycleTx({peer1(), peer2()}, 1, {}, {{"x", "1"}})}));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ledger_->Height(), 1u);

  // The genuine block 1 is still accepted afterwards.
  auto block1 = committer_->Commit(chain_->Next({LifecycleTx({peer1(), peer2()}, 1, {}, {{"x", "1"}})}));
  EXPECT_TRUE(block1.ok()) << block1.status();
}

TEST_F(BlockCommitterTest, RefusesABlockOutOfOrderAndASecondGenesis) {
  ::common::Block block1 = chain_->Next({LifecycleTx({peer1(), peer2()}, 1, {}, {{"x", "1"}})});
  ::common::Block block2 = chain_->Next({LifecycleTx({peer1(), peer2()}, 2, {}, {{"y", "1"}})});
  auto early = committer_->Commit(block2);
  EXPECT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(early.status().message(), HasSubstr("is not the next block"));
  EXPECT_TRUE(committer_->Commit(block1).ok());
  EXPECT_TRUE(committer_->Commit(block2).ok());
  EXPECT_EQ(committer_->CommitGenesis(Channel().genesis).status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace careledger::committer
