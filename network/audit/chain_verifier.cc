#include "network/audit/chain_verifier.h"

#include <stdlib.h>

#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/channelconfig/channel_config.h"
#include "common/encoding/hex.h"
#include "common/protoutil/block_hash.h"
#include "common/protoutil/envelope.h"
#include "common/status_macros.h"
#include "common/strings.h"
#include "msp/msp_manager.h"
#include "peer/committer/block_committer.h"
#include "peer/committer/block_verifier.h"
#include "peer/committer/tx_validator.h"
#include "peer/ledger/block_metadata.h"
#include "peer/ledger/ledger.h"
#include "peer/lifecycle/committed_definitions.h"

namespace careledger::audit {
namespace {

namespace fs = std::filesystem;

std::string Hex(std::string_view bytes) { return bytes.empty() ? "(empty)" : HexEncode(bytes); }

std::string CodeName(::protos::TxValidationCode code) { return ::protos::TxValidationCode_Name(code); }

// The scratch folder: the caller's (kept) or a temporary one (removed).
class WorkDir {
 public:
  static absl::StatusOr<WorkDir> Create(const std::string& requested) {
    WorkDir dir;
    std::error_code error;
    if (!requested.empty()) {
      if (fs::exists(requested, error) && !fs::is_empty(requested, error)) {
        return absl::FailedPreconditionError(
            absl::StrCat("work folder ", requested, " is not empty: give a new or empty folder"));
      }
      fs::create_directories(requested, error);
      if (error) return absl::InternalError(absl::StrCat("cannot create ", requested, ": ", error.message()));
      dir.path_ = requested;
      return dir;
    }
    std::string pattern = (fs::temp_directory_path(error) / "careledger-audit-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      return absl::InternalError(absl::StrCat("cannot create a temporary folder like ", pattern));
    }
    dir.path_ = pattern;
    dir.remove_ = true;
    return dir;
  }
  WorkDir(WorkDir&& other) noexcept : path_(std::move(other.path_)), remove_(std::exchange(other.remove_, false)) {}
  ~WorkDir() {
    std::error_code ignored;
    if (remove_) fs::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  WorkDir() = default;
  std::string path_;
  bool remove_ = false;
};

// The endorsement policies as the committer derives them (committed `_lifecycle` definitions over the state
// before the block), to explain a verdict that differs from the recorded one. Only used on a mismatch.
class DefinitionPolicies final : public committer::EndorsementPolicySource {
 public:
  DefinitionPolicies(const ledger::StateSnapshot& state, const channelconfig::PolicyManager& channel_policies)
      : state_(state), channel_policies_(channel_policies) {}

  absl::StatusOr<const policies::Policy*> ForChaincode(std::string_view name) const override {
    if (name == lifecycle::kLifecycleNamespace) return lifecycle::LifecycleEndorsementPolicy(channel_policies_);
    ASSIGN_OR_RETURN(std::optional<lifecycle::ChaincodeDefinition> definition,
                     lifecycle::ReadCommittedDefinition(state_, name));
    if (!definition) return absl::NotFoundError(absl::StrCat("chaincode '", AsAbsl(name), "' is not defined"));
    ASSIGN_OR_RETURN(std::unique_ptr<policies::Policy> policy,
                     lifecycle::CompileEndorsementPolicy(*definition, channel_policies_));
    const policies::Policy* raw = policy.get();
    compiled_.push_back(std::move(policy));
    return raw;
  }

 private:
  const ledger::StateSnapshot& state_;
  const channelconfig::PolicyManager& channel_policies_;
  mutable std::vector<std::unique_ptr<policies::Policy>> compiled_;  // used from the calling thread only
};

class NoCommittedTxIds final : public committer::CommittedTxIds {
 public:
  absl::StatusOr<bool> Contains(std::string_view) const override { return false; }
};

// The configuration the next blocks are judged under, and the committer built on it.
struct Configuration {
  std::unique_ptr<const channelconfig::ChannelConfig> config;
  std::unique_ptr<msp::MspManager> msps;
  std::unique_ptr<committer::BlockCommitter> committer;
};

absl::StatusOr<Configuration> ConfigurationOf(const ::common::Block& block, ledger::Ledger& ledger, ThreadPool* pool) {
  Configuration configuration;
  ASSIGN_OR_RETURN(channelconfig::ChannelConfig config, channelconfig::ChannelConfig::FromConfigBlock(block));
  configuration.config = std::make_unique<const channelconfig::ChannelConfig>(std::move(config));
  ASSIGN_OR_RETURN(configuration.msps, msp::MspManager::FromDefinitions(configuration.config->MspConfigs()));
  configuration.committer =
      std::make_unique<committer::BlockCommitter>(*configuration.config, *configuration.msps, ledger, pool);
  return configuration;
}

std::string TxIdOf(const ::common::Block& block, int index) {
  ::common::Envelope envelope;
  if (!envelope.ParseFromString(block.data().data(index))) return "";
  absl::StatusOr<protoutil::ParsedEnvelope> parsed = protoutil::ParseEnvelope(envelope);
  return parsed.ok() ? parsed->channel_header.tx_id() : "";
}

class Verifier {
 public:
  Verifier(BlockSource& source, const VerifyOptions& options) : source_(source), options_(options) {}

  absl::StatusOr<VerifyResult> Run() {
    ASSIGN_OR_RETURN(WorkDir work, WorkDir::Create(options_.work_dir));
    ASSIGN_OR_RETURN(ledger_, ledger::Ledger::Open(work.path() + "/ledger"));
    absl::Status status = Walk();
    configuration_ = {};  // the committer refers to the ledger
    ledger_.reset();
    if (!status.ok()) return status;
    return std::move(result_);
  }

 private:
  // Walks the chain; returns OK when it ended or an inconsistency was recorded.
  absl::Status Walk() {
    for (uint64_t number = 0;; ++number) {
      absl::StatusOr<std::optional<::common::Block>> next = source_.Next();
      if (!next.ok()) {
        if (next.status().code() != absl::StatusCode::kDataLoss) {
          return Annotate(next.status(), absl::StrCat("reading block ", number, " from ", source_.Describe()));
        }
        return Found(number, std::string(next.status().message()));
      }
      if (!next->has_value()) {
        if (number == 0) {
          return absl::FailedPreconditionError(absl::StrCat(source_.Describe(), " holds no block"));
        }
        return absl::OkStatus();
      }
      ::common::Block& block = **next;
      if (!block.has_header()) return Found(number, "the block has no header");
      if (block.header().number() != number) {
        return Found(number, absl::StrCat("the chain's block ", number, " is numbered ", block.header().number(),
                                          ": blocks are missing, repeated or out of order"));
      }
      RETURN_IF_ERROR(number == 0 ? CheckGenesis(block) : CheckBlock(block));
      if (found()) return absl::OkStatus();
      result_.blocks_checked = number + 1;
      result_.last_block_hash = protoutil::BlockHeaderHash(block.header());
      if (options_.on_block) options_.on_block(number + 1);
    }
  }

  bool found() const { return result_.inconsistency.has_value(); }

  // Records the chain's inconsistency; returns OK so that callers can `return Found(...)`.
  absl::Status Found(uint64_t number, std::string what, std::optional<uint32_t> tx_index = std::nullopt,
                     std::string tx_id = "") {
    Inconsistency inconsistency;
    inconsistency.block_number = number;
    inconsistency.tx_index = tx_index;
    inconsistency.tx_id = std::move(tx_id);
    std::string where = absl::StrCat("block ", number);
    if (tx_index) {
      absl::StrAppend(&where, " tx ", *tx_index);
      if (!inconsistency.tx_id.empty()) absl::StrAppend(&where, " (txid ", inconsistency.tx_id, ")");
    }
    inconsistency.message = absl::StrCat(where, ": ", what);
    result_.inconsistency = std::move(inconsistency);
    return absl::OkStatus();
  }

  absl::Status CheckGenesis(const ::common::Block& block) {
    const std::string header_hash = protoutil::BlockHeaderHash(block.header());
    if (!options_.expected_genesis_hash.empty() && header_hash != options_.expected_genesis_hash) {
      return Found(0, absl::StrCat("header hash ", Hex(header_hash), " is not the expected genesis block hash ",
                                   Hex(options_.expected_genesis_hash), ": this is another channel's chain, or a "
                                                                        "forged one"));
    }
    if (absl::Status genesis = committer::VerifyGenesisBlock(block); !genesis.ok()) {
      return Found(0, std::string(genesis.message()));
    }
    absl::StatusOr<Configuration> configuration = ConfigurationOf(block, *ledger_, options_.pool);
    if (!configuration.ok()) {
      return Found(0, absl::StrCat("its channel configuration cannot be used: ", configuration.status().message()));
    }
    configuration_ = *std::move(configuration);
    result_.channel_id = configuration_.config->channel_id();
    result_.genesis_hash = protoutil::BlockHeaderHash(block.header());
    result_.peer_chain = ledger::StoredCommitHash(block).ok();
    if (options_.require_peer_chain && !result_.peer_chain) {
      return Found(0, "the block records no commit hash, but the chain comes from a peer, which records one in "
                      "every block");
    }
    ASSIGN_OR_RETURN(Recorded recorded, ReadRecorded(block));
    if (found()) return absl::OkStatus();
    absl::StatusOr<committer::CommittedBlock> committed = configuration_.committer->CommitGenesis(block);
    if (!committed.ok()) {
      if (!IsBlockRefusal(committed.status())) return Annotate(committed.status(), "replaying block 0");
      return Found(0, std::string(committed.status().message()));
    }
    ++result_.config_blocks;
    return Compare(block, *committed, recorded, nullptr);
  }

  absl::Status CheckBlock(const ::common::Block& block) {
    const uint64_t number = block.header().number();
    if (block.header().previous_hash() != result_.last_block_hash) {
      return Found(number, absl::StrCat("previous hash ", Hex(block.header().previous_hash()), " does not match block ",
                                        number - 1, "'s header hash ", Hex(result_.last_block_hash)));
    }
    const std::string data_hash = protoutil::BlockDataHash(block.data());
    if (block.header().data_hash() != data_hash) {
      return Found(number, absl::StrCat("data hash ", Hex(block.header().data_hash()),
                                        " is not the hash of the block's data, ", Hex(data_hash),
                                        ": its transactions were changed after the orderer signed it"));
    }
    ASSIGN_OR_RETURN(Recorded recorded, ReadRecorded(block));
    if (found()) return absl::OkStatus();

    // The state before the block, kept to explain a verdict that differs from the recorded one.
    std::unique_ptr<ledger::StateSnapshot> before = ledger_->NewSnapshot();
    absl::StatusOr<committer::CommittedBlock> committed = configuration_.committer->Commit(block);
    if (!committed.ok()) {
      if (!IsBlockRefusal(committed.status())) {
        return Annotate(committed.status(), absl::StrCat("replaying block ", number));
      }
      return Found(number, absl::StrCat("refused by the peer's block verification: ", committed.status().message()));
    }
    RETURN_IF_ERROR(Compare(block, *committed, recorded, before.get()));
    if (found() || !committed->has_config) return absl::OkStatus();
    absl::StatusOr<Configuration> configuration = ConfigurationOf(block, *ledger_, options_.pool);
    if (!configuration.ok()) {
      return Found(number, absl::StrCat("its valid config transaction cannot be applied: ",
                                        configuration.status().message()));
    }
    configuration_ = *std::move(configuration);
    ++result_.config_blocks;
    return absl::OkStatus();
  }

  // InvalidArgument and PermissionDenied are the committer's verdicts on the block itself (block_committer.h);
  // anything else is a failure of the scratch ledger.
  static bool IsBlockRefusal(const absl::Status& status) {
    return status.code() == absl::StatusCode::kInvalidArgument || status.code() == absl::StatusCode::kPermissionDenied;
  }

  struct Recorded {
    std::string filter;       // one code per transaction; empty for an orderer's chain
    std::string commit_hash;  // empty for an orderer's chain
  };

  // The recorded metadata, or an inconsistency recorded (and an empty result) if it is missing or malformed.
  absl::StatusOr<Recorded> ReadRecorded(const ::common::Block& block) {
    Recorded recorded;
    const uint64_t number = block.header().number();
    if (!result_.peer_chain) {
      if (ledger::StoredCommitHash(block).ok()) {
        RETURN_IF_ERROR(Found(number, "the block records a commit hash but block 0 does not: the chain mixes a "
                                      "peer's blocks with an orderer's, or block 0's metadata was removed"));
      }
      return recorded;
    }
    absl::StatusOr<std::string_view> filter = ledger::TransactionsFilter(block);
    if (!filter.ok()) {
      RETURN_IF_ERROR(Found(number, absl::StrCat("recorded validation codes: ", filter.status().message())));
      return recorded;
    }
    recorded.filter = std::string(*filter);
    absl::StatusOr<std::string> commit_hash = ledger::StoredCommitHash(block);
    if (!commit_hash.ok()) {
      RETURN_IF_ERROR(Found(number, absl::StrCat("recorded commit hash: ", commit_hash.status().message())));
      return recorded;
    }
    recorded.commit_hash = *std::move(commit_hash);
    return recorded;
  }

  absl::Status Compare(const ::common::Block& block, const committer::CommittedBlock& committed,
                       const Recorded& recorded, const ledger::StateSnapshot* before) {
    const uint64_t number = block.header().number();
    result_.transactions += committed.codes.size();
    for (::protos::TxValidationCode code : committed.codes) result_.valid_transactions += code == ::protos::VALID;
    ASSIGN_OR_RETURN(result_.last_commit_hash, ledger_->CommitHash(number));
    if (!result_.peer_chain) return absl::OkStatus();
    for (size_t i = 0; i < committed.codes.size(); ++i) {
      const auto recorded_code = static_cast<::protos::TxValidationCode>(static_cast<uint8_t>(recorded.filter[i]));
      if (recorded_code == committed.codes[i]) continue;
      std::string says = CodeName(committed.codes[i]);
      if (before != nullptr) {
        const std::string reason = Explain(block, i, committed.codes[i], *before);
        if (!reason.empty()) absl::StrAppend(&says, ": ", reason);
      }
      return Found(number, absl::StrCat("recorded ", CodeName(recorded_code), ", re-validation says ", says),
                   static_cast<uint32_t>(i), TxIdOf(block, static_cast<int>(i)));
    }
    if (recorded.commit_hash != result_.last_commit_hash) {
      return Found(number, absl::StrCat("recorded commit hash ", Hex(recorded.commit_hash),
                                        " differs from the recomputed ", Hex(result_.last_commit_hash),
                                        ": the recorded state changes are not those of the valid transactions"));
    }
    return absl::OkStatus();
  }

  // Why re-validation gave transaction `index` the code `code`: the validator's reason, when its stage-1 verdict
  // is that code (duplicates and MVCC conflicts need no more words than their code). Empty if unknown.
  std::string Explain(const ::common::Block& block, size_t index, ::protos::TxValidationCode code,
                      const ledger::StateSnapshot& before) const {
    const DefinitionPolicies policies(before, configuration_.config->policy_manager());
    const committer::TxValidator validator(configuration_.config->channel_id(), *configuration_.msps, policies,
                                           nullptr);
    absl::StatusOr<std::vector<committer::ValidatedTransaction>> validated =
        validator.Validate(block, NoCommittedTxIds());
    if (!validated.ok() || index >= validated->size() || (*validated)[index].code != code) return "";
    return (*validated)[index].reason;
  }

  BlockSource& source_;
  const VerifyOptions& options_;
  std::unique_ptr<ledger::Ledger> ledger_;
  Configuration configuration_;
  VerifyResult result_;
};

}  // namespace

absl::StatusOr<VerifyResult> VerifyChain(BlockSource& source, const VerifyOptions& options) {
  return Verifier(source, options).Run();
}

}  // namespace careledger::audit
