#include "peer/committer/block_committer.h"

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/strings.h"
#include "peer/committer/block_verifier.h"
#include "peer/committer/mvcc/mvcc_validator.h"
#include "peer/committer/transactions_filter.h"
#include "peer/committer/tx_validator.h"
#include "peer/lifecycle/chaincode_definition.h"
#include "peer/lifecycle/committed_definitions.h"

namespace careledger::committer {
namespace {

constexpr char kBlockValidationPolicy[] = "/Channel/Orderer/BlockValidation";

// A committed definition whose policy cannot be compiled (it refers to a channel policy the channel no longer
// has): every transaction of that chaincode fails its endorsement policy, deterministically on every peer.
class UnsatisfiablePolicy : public policies::Policy {
 public:
  explicit UnsatisfiablePolicy(std::string reason) : reason_(std::move(reason)) {}
  absl::Status Evaluate(std::span<const policies::Identity* const>) const override {
    return absl::PermissionDeniedError(reason_);
  }

 private:
  std::string reason_;
};

// The endorsement policies of the chaincodes defined before the block, compiled at most once per block.
class CommittedDefinitionPolicies final : public EndorsementPolicySource {
 public:
  CommittedDefinitionPolicies(const ledger::StateSnapshot& state, const channelconfig::PolicyManager& channel_policies)
      : state_(state), channel_policies_(channel_policies) {}

  absl::StatusOr<const policies::Policy*> ForChaincode(std::string_view name) const override {
    if (name == lifecycle::kLifecycleNamespace) return lifecycle::LifecycleEndorsementPolicy(channel_policies_);
    std::lock_guard<std::mutex> lock(mu_);
    auto cached = compiled_.find(name);
    if (cached == compiled_.end()) {
      ASSIGN_OR_RETURN(std::optional<lifecycle::ChaincodeDefinition> definition,
                       lifecycle::ReadCommittedDefinition(state_, name));
      std::unique_ptr<policies::Policy> policy;
      if (definition) {
        absl::StatusOr<std::unique_ptr<policies::Policy>> compiled =
            lifecycle::CompileEndorsementPolicy(*definition, channel_policies_);
        policy = compiled.ok() ? *std::move(compiled)
                               : std::make_unique<UnsatisfiablePolicy>(std::string(compiled.status().message()));
      }
      cached = compiled_.emplace(std::string(name), std::move(policy)).first;
    }
    if (cached->second == nullptr) {
      return absl::NotFoundError(absl::StrCat("chaincode '", AsAbsl(name), "' is not defined on the channel"));
    }
    return cached->second.get();
  }

 private:
  const ledger::StateSnapshot& state_;
  const channelconfig::PolicyManager& channel_policies_;
  mutable std::mutex mu_;
  // null: no such chaincode. Guarded by mu_.
  mutable std::map<std::string, std::unique_ptr<policies::Policy>, std::less<>> compiled_;
};

class LedgerTxIds final : public CommittedTxIds {
 public:
  explicit LedgerTxIds(const ledger::Ledger& ledger) : ledger_(ledger) {}
  absl::StatusOr<bool> Contains(std::string_view tx_id) const override {
    absl::StatusOr<blockstore::TransactionLocation> location = ledger_.FindTransaction(tx_id);
    if (location.ok()) return true;
    if (absl::IsNotFound(location.status())) return false;
    return location.status();
  }

 private:
  const ledger::Ledger& ledger_;
};

std::vector<MvccTransaction> MvccInput(const std::vector<ValidatedTransaction>& txs) {
  std::vector<MvccTransaction> input(txs.size());
  for (size_t i = 0; i < txs.size(); ++i) {
    input[i].code = txs[i].code;
    if (txs[i].code != ::protos::VALID || !txs[i].endorser_transaction) continue;
    const protoutil::ParsedTransactionAction& action = txs[i].endorser_transaction->actions.front();
    for (int n = 0; n < action.read_write_set.ns_rwset_size(); ++n) {
      input[i].namespaces.push_back(
          {action.read_write_set.ns_rwset(n).namespace_(), &action.kv_read_write_sets[static_cast<size_t>(n)]});
    }
  }
  return input;
}

}  // namespace

BlockCommitter::BlockCommitter(const channelconfig::ChannelConfig& config, const msp::MspManager& msps,
                               ledger::Ledger& ledger, ThreadPool* pool)
    : config_(config), msps_(msps), ledger_(ledger), pool_(pool) {}

absl::StatusOr<CommittedBlock> BlockCommitter::CommitGenesis(::common::Block block) {
  if (ledger_.Height() != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("channel ", config_.channel_id(), " already has ", ledger_.Height(), " blocks"));
  }
  RETURN_IF_ERROR(VerifyGenesisBlock(block));
  absl::StatusOr<channelconfig::ChannelConfig> genesis_config = channelconfig::ChannelConfig::FromConfigBlock(block);
  if (!genesis_config.ok()) return Annotate(genesis_config.status(), "genesis block");
  if (genesis_config->channel_id() != config_.channel_id()) {
    return absl::InvalidArgumentError(absl::StrCat("the genesis block is channel ", genesis_config->channel_id(),
                                                   "'s, not ", config_.channel_id(), "'s"));
  }
  CommittedBlock committed;
  committed.codes.assign(static_cast<size_t>(block.data().data_size()), ::protos::VALID);
  committed.has_config = true;
  RETURN_IF_ERROR(SetTransactionsFilter(committed.codes, &block));
  RETURN_IF_ERROR(ledger_.Commit(std::move(block)));
  return committed;
}

absl::StatusOr<CommittedBlock> BlockCommitter::Commit(::common::Block block) {
  const uint64_t number = block.header().number();
  const uint64_t height = ledger_.Height();
  if (height == 0 || number != height) {
    return absl::FailedPreconditionError(absl::StrCat("channel ", config_.channel_id(), ": block ", number,
                                                      " is not the next block (height ", height, ")"));
  }
  const policies::Policy* block_validation = config_.policy_manager().Get(kBlockValidationPolicy);
  if (block_validation == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("channel ", config_.channel_id(), " has no ", kBlockValidationPolicy, " policy"));
  }
  if (!last_header_ || last_header_->number() != number - 1) {
    ASSIGN_OR_RETURN(::common::Block previous, ledger_.GetBlock(number - 1));
    last_header_ = previous.header();
  }
  RETURN_IF_ERROR(VerifyBlock(block, *last_header_, *block_validation, msps_));

  // Both validation stages judge against the state after the previous block.
  std::unique_ptr<ledger::StateSnapshot> state = ledger_.NewSnapshot();
  const CommittedDefinitionPolicies endorsement_policies(*state, config_.policy_manager());
  const TxValidator validator(config_.channel_id(), msps_, endorsement_policies, pool_);
  ASSIGN_OR_RETURN(std::vector<ValidatedTransaction> txs, validator.Validate(block, LedgerTxIds(ledger_)));
  ASSIGN_OR_RETURN(MvccOutcome outcome, ValidateBlockMvcc(*state, number, MvccInput(txs)));

  CommittedBlock committed;
  committed.number = number;
  committed.codes = std::move(outcome.codes);
  for (size_t i = 0; i < txs.size(); ++i) {
    committed.has_config |= committed.codes[i] == ::protos::VALID && txs[i].channel_header.type() == ::common::CONFIG;
  }
  RETURN_IF_ERROR(SetTransactionsFilter(committed.codes, &block));
  ::common::BlockHeader header = block.header();
  RETURN_IF_ERROR(ledger_.Commit(std::move(block)));
  last_header_ = std::move(header);
  return committed;
}

}  // namespace careledger::committer
