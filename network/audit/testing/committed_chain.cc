#include "network/audit/testing/committed_chain.h"

#include <memory>
#include <utility>

#include "gtest/gtest.h"
#include "peer/committer/block_committer.h"
#include "peer/committer/testing/test_chain.h"
#include "peer/committer/testing/test_channel.h"
#include "peer/committer/testing/test_transaction.h"
#include "peer/ledger/ledger.h"

namespace careledger::audit::testing {

using ::careledger::committer::testing::Channel;

CommittedChain CommitChain(const std::string& ledger_dir, const std::vector<std::vector<std::string>>& blocks) {
  CommittedChain chain;
  chain.ledger_dir = ledger_dir;
  absl::StatusOr<std::unique_ptr<ledger::Ledger>> ledger = ledger::Ledger::Open(ledger_dir);
  if (!ledger.ok()) {
    ADD_FAILURE() << ledger.status();
    return chain;
  }
  {
    committer::BlockCommitter block_committer(*Channel().config, *Channel().msps, **ledger, nullptr);
    absl::StatusOr<committer::CommittedBlock> genesis = block_committer.CommitGenesis(Channel().genesis);
    if (!genesis.ok()) {
      ADD_FAILURE() << genesis.status();
      return chain;
    }
    committer::testing::TestChain orderer(Channel().orderer, Channel().genesis.header());
    for (const std::vector<std::string>& entries : blocks) {
      absl::StatusOr<committer::CommittedBlock> committed = block_committer.Commit(orderer.Next(entries));
      if (!committed.ok()) {
        ADD_FAILURE() << committed.status();
        return chain;
      }
    }
  }
  for (uint64_t n = 0; n < (*ledger)->Height(); ++n) {
    absl::StatusOr<::common::Block> block = (*ledger)->GetBlock(n);
    if (!block.ok()) {
      ADD_FAILURE() << block.status();
      return chain;
    }
    chain.blocks.push_back(*std::move(block));
  }
  return chain;
}

std::string LifecycleWrite(int nonce, const std::string& key, const std::string& value, bool both_organisations) {
  std::vector<const protoutil::Signer*> endorsers = {&Channel().peer1};
  if (both_organisations) endorsers.push_back(&Channel().peer2);
  committer::testing::EndorserTransactionSpec spec = committer::testing::DefaultEndorserTransaction(
      Channel().id, "_lifecycle", Channel().client1, std::move(endorsers), nonce);
  ::kvrwset::KVRWSet& kv = spec.namespaces.at(0).kv;
  kv.clear_reads();
  kv.clear_writes();
  ::kvrwset::KVWrite* write = kv.add_writes();
  write->set_key(key);
  write->set_value(value);
  return committer::testing::BuildEndorserTransaction(spec);
}

}  // namespace careledger::audit::testing
