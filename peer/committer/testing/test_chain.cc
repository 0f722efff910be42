#include "peer/committer/testing/test_chain.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/protoutil/block.h"
#include "common/protoutil/block_hash.h"
#include "common/strings.h"

namespace careledger::committer::testing {

::common::Block TestChain::Next(std::vector<std::string> entries) {
  ::common::Block block =
      protoutil::NewBlock(last_.number() + 1, protoutil::BlockHeaderHash(last_), std::move(entries));
  if (absl::Status signed_block = protoutil::SignBlock(&block, orderer_, /*last_config_index=*/0, "");
      !signed_block.ok()) {
    std::fprintf(stderr, "test chain: signing block %llu: %s\n", static_cast<unsigned long long>(last_.number() + 1),
                 signed_block.ToString().c_str());
    std::abort();
  }
  last_ = block.header();
  return block;
}

absl::StatusOr<const policies::Policy*> FixedEndorsementPolicies::ForChaincode(std::string_view name) const {
  auto it = policies_.find(name);
  if (it == policies_.end()) return absl::NotFoundError(absl::StrCat("no chaincode \"", AsAbsl(name), "\""));
  return it->second.get();
}

}  // namespace careledger::committer::testing
