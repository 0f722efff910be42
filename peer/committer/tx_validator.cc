#include "peer/committer/tx_validator.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/protoutil/proposal.h"
#include "common/protoutil/txid.h"
#include "common/status_macros.h"
#include "peer/chaincode_event.pb.h"
#include "peer/committer/canonical.h"

namespace careledger::committer {
namespace {

using ::protos::TxValidationCode;

// Why a transaction is invalid.
struct Rejection {
  TxValidationCode code;
  std::string reason;
};

// The outcome of one check: nullopt if the transaction passed it.
using Verdict = std::optional<Rejection>;

Verdict Reject(TxValidationCode code, std::string reason) { return Rejection{code, std::move(reason)}; }
Verdict Reject(TxValidationCode code, const absl::Status& why) { return Reject(code, std::string(why.message())); }

// Untrusted strings (channel IDs, chaincode and namespace names) are quoted, escaped and shortened in reasons.
std::string Shown(std::string_view untrusted) {
  constexpr size_t kMaxShown = 64;
  const bool cut = untrusted.size() > kMaxShown;
  return absl::StrCat("\"", absl::CHexEscape(AsAbsl(untrusted.substr(0, kMaxShown))), cut ? "...\"" : "\"");
}

std::string HeaderTypeName(int32_t type) {
  if (::common::HeaderType_IsValid(type)) {
    return absl::StrCat(::common::HeaderType_Name(static_cast<::common::HeaderType>(type)), " (", type, ")");
  }
  return absl::StrCat("unknown (", type, ")");
}

// What every check reads about the channel.
struct Channel {
  std::string_view id;
  const policies::IdentityDeserializer& deserializer;
  const EndorsementPolicySource& endorsement_policies;
};

// Stage 1's result for one transaction.
struct Stage1Result {
  ValidatedTransaction tx;
  // Whether stage 2 looks the transaction ID up: an endorser transaction that passed the envelope checks.
  bool check_tx_id = false;
  absl::Status error;  // a local failure
};

// The channel and signature headers, into tx; BAD_COMMON_HEADER if they are missing or wrong.
Verdict CheckCommonHeader(const ::common::Payload& payload, ValidatedTransaction& tx) {
  constexpr TxValidationCode kBad = ::protos::BAD_COMMON_HEADER;
  if (!payload.has_header()) return Reject(kBad, "the payload has no header");
  const ::common::Header& header = payload.header();
  if (header.channel_header().empty()) return Reject(kBad, "the header has no channel header");
  absl::StatusOr<::common::ChannelHeader> channel_header =
      ParseCanonical<::common::ChannelHeader>(header.channel_header(), "channel header");
  if (!channel_header.ok()) return Reject(kBad, channel_header.status());
  tx.channel_header = *std::move(channel_header);
  if (header.signature_header().empty()) return Reject(kBad, "the header has no signature header");
  absl::StatusOr<::common::SignatureHeader> signature_header =
      ParseCanonical<::common::SignatureHeader>(header.signature_header(), "signature header");
  if (!signature_header.ok()) return Reject(kBad, signature_header.status());
  tx.signature_header = *std::move(signature_header);

  switch (tx.channel_header.type()) {
    case ::common::ENDORSER_TRANSACTION:
    case ::common::CONFIG:
    case ::common::CONFIG_UPDATE:
      break;
    default:
      return Reject(kBad, absl::StrCat("header type ", HeaderTypeName(tx.channel_header.type()),
                                       " is not a transaction type"));
  }
  if (tx.channel_header.epoch() != 0) {
    return Reject(kBad, absl::StrCat("epoch is ", tx.channel_header.epoch(), "; it must be 0"));
  }
  if (tx.signature_header.creator().empty()) return Reject(kBad, "the signature header has no creator");
  if (tx.signature_header.nonce().empty()) return Reject(kBad, "the signature header has no nonce");
  return std::nullopt;
}

// Everything up to the creator's signature (Fabric's ValidateTransaction before the per-type checks).
Verdict CheckEnvelope(const Channel& channel, std::string_view entry, ValidatedTransaction& tx,
                      ::common::Payload& payload) {
  if (entry.empty()) return Reject(::protos::NIL_ENVELOPE, "the block entry is empty");
  absl::StatusOr<::common::Envelope> envelope = ParseCanonical<::common::Envelope>(entry, "envelope");
  if (!envelope.ok()) return Reject(::protos::INVALID_OTHER_REASON, envelope.status());
  if (envelope->payload().empty()) return Reject(::protos::BAD_PAYLOAD, "the envelope has no payload");
  absl::StatusOr<::common::Payload> parsed = ParseCanonical<::common::Payload>(envelope->payload(), "payload");
  if (!parsed.ok()) return Reject(::protos::BAD_PAYLOAD, parsed.status());
  payload = *std::move(parsed);
  if (Verdict verdict = CheckCommonHeader(payload, tx)) return verdict;

  if (tx.channel_header.channel_id() != channel.id) {
    return Reject(::protos::TARGET_CHAIN_NOT_FOUND, absl::StrCat("the transaction is for channel ",
                                                                 Shown(tx.channel_header.channel_id()), ", not ",
                                                                 Shown(channel.id)));
  }
  absl::StatusOr<std::shared_ptr<const policies::Identity>> creator =
      channel.deserializer.DeserializeIdentity(tx.signature_header.creator());
  if (!creator.ok()) {
    return Reject(::protos::BAD_CREATOR_SIGNATURE,
                  absl::StrCat("the creator is not a valid identity of this channel: ", creator.status().message()));
  }
  if (absl::Status verified = (*creator)->Verify(envelope->payload(), envelope->signature()); !verified.ok()) {
    return Reject(::protos::BAD_CREATOR_SIGNATURE,
                  absl::StrCat("the creator's signature over the payload does not verify: ", verified.message()));
  }
  return std::nullopt;
}

Verdict CheckConfigTransaction(const ::common::Payload& payload, ValidatedTransaction& tx) {
  constexpr TxValidationCode kBad = ::protos::INVALID_CONFIG_TRANSACTION;
  if (payload.data().empty()) return Reject(kBad, "the config transaction has no data");
  // Not ParseCanonical: the config tree is made of maps, which Fabric's Go code serializes in random order.
  absl::StatusOr<::common::ConfigEnvelope> config =
      protoutil::Unmarshal<::common::ConfigEnvelope>(payload.data(), "config envelope");
  if (!config.ok()) return Reject(kBad, config.status());
  if (!config->has_config()) return Reject(kBad, "the config envelope holds no config");
  tx.config_envelope = *std::move(config);
  return std::nullopt;
}

// The transaction's single action down to its ProposalResponsePayload, and the proposal hash
// (Fabric's validateEndorserTransaction): INVALID_ENDORSER_TRANSACTION.
Verdict ParseTransaction(const ::common::Payload& payload, const ::common::SignatureHeader& signature_header,
                         protoutil::ParsedEndorserTransaction& parsed) {
  constexpr TxValidationCode kBad = ::protos::INVALID_ENDORSER_TRANSACTION;
  absl::StatusOr<::protos::Transaction> transaction =
      ParseCanonical<::protos::Transaction>(payload.data(), "transaction");
  if (!transaction.ok()) return Reject(kBad, transaction.status());
  if (transaction->actions_size() != 1) {
    return Reject(kBad, absl::StrCat("the transaction has ", transaction->actions_size(),
                                     " actions; exactly one is supported"));
  }
  const ::protos::TransactionAction& raw = transaction->actions(0);
  protoutil::ParsedTransactionAction action;

  if (raw.header().empty()) return Reject(kBad, "the action has no signature header");
  absl::StatusOr<::common::SignatureHeader> action_header =
      ParseCanonical<::common::SignatureHeader>(raw.header(), "action signature header");
  if (!action_header.ok()) return Reject(kBad, action_header.status());
  action.signature_header = *std::move(action_header);
  if (action.signature_header.nonce().empty()) return Reject(kBad, "the action's signature header has no nonce");
  if (action.signature_header.creator() != signature_header.creator()) {
    return Reject(kBad, "the action's creator is not the transaction's creator");
  }

  if (raw.payload().empty()) return Reject(kBad, "the action has no payload");
  absl::StatusOr<::protos::ChaincodeActionPayload> action_payload =
      ParseCanonical<::protos::ChaincodeActionPayload>(raw.payload(), "chaincode action payload");
  if (!action_payload.ok()) return Reject(kBad, action_payload.status());
  action.chaincode_action_payload = *std::move(action_payload);
  if (!action.chaincode_action_payload.has_action()) return Reject(kBad, "the action has no endorsed action");
  const ::protos::ChaincodeEndorsedAction& endorsed = action.chaincode_action_payload.action();
  if (endorsed.proposal_response_payload().empty()) {
    return Reject(kBad, "the endorsed action has no proposal response payload");
  }
  absl::StatusOr<::protos::ProposalResponsePayload> response_payload =
      ParseCanonical<::protos::ProposalResponsePayload>(endorsed.proposal_response_payload(),
                                                        "proposal response payload");
  if (!response_payload.ok()) return Reject(kBad, response_payload.status());
  action.proposal_response_payload = *std::move(response_payload);

  // The endorsers signed a hash of the proposal; this binds their endorsements to this header and input.
  const std::string proposal_hash = protoutil::ProposalHashOfParts(
      payload.header().channel_header(), raw.header(), action.chaincode_action_payload.chaincode_proposal_payload());
  if (action.proposal_response_payload.proposal_hash() != proposal_hash) {
    return Reject(kBad, "the proposal hash does not match the transaction's header and proposal payload");
  }
  parsed.transaction = *std::move(transaction);
  parsed.actions.push_back(std::move(action));
  return std::nullopt;
}

// Whether a collection's hashed read-write set writes anything (Fabric's txWritesToNamespace).
bool Writes(const ::kvrwset::HashedRWSet& hashed) {
  return !hashed.hashed_writes().empty() || !hashed.metadata_writes().empty();
}

// The ChaincodeAction and the read-write sets, into `action`: BAD_RESPONSE_PAYLOAD or BAD_RWSET.
// namespace_writes[i] says whether namespace i writes anything.
Verdict ParseChaincodeAction(protoutil::ParsedTransactionAction& action, std::vector<bool>& namespace_writes) {
  if (action.proposal_response_payload.extension().empty()) {
    return Reject(::protos::BAD_RESPONSE_PAYLOAD, "the proposal response payload has no chaincode action");
  }
  absl::StatusOr<::protos::ChaincodeAction> chaincode_action =
      ParseCanonical<::protos::ChaincodeAction>(action.proposal_response_payload.extension(), "chaincode action");
  if (!chaincode_action.ok()) return Reject(::protos::BAD_RESPONSE_PAYLOAD, chaincode_action.status());
  action.chaincode_action = *std::move(chaincode_action);
  const int32_t status = action.chaincode_action.response().status();
  if (status < protoutil::kResponseStatusOk || status >= protoutil::kResponseStatusErrorThreshold) {
    return Reject(::protos::BAD_RESPONSE_PAYLOAD,
                  absl::StrCat("the chaincode response has status ", status, "; only a successful response (",
                               protoutil::kResponseStatusOk, " to ", protoutil::kResponseStatusErrorThreshold - 1,
                               ") can be committed"));
  }

  absl::StatusOr<::rwset::TxReadWriteSet> read_write_set =
      ParseCanonical<::rwset::TxReadWriteSet>(action.chaincode_action.results(), "read-write set");
  if (!read_write_set.ok()) return Reject(::protos::BAD_RWSET, read_write_set.status());
  action.read_write_set = *std::move(read_write_set);
  action.kv_read_write_sets.reserve(action.read_write_set.ns_rwset_size());
  namespace_writes.assign(action.read_write_set.ns_rwset_size(), false);
  for (int i = 0; i < action.read_write_set.ns_rwset_size(); ++i) {
    const ::rwset::NsReadWriteSet& ns = action.read_write_set.ns_rwset(i);
    absl::StatusOr<::kvrwset::KVRWSet> kv = ParseCanonical<::kvrwset::KVRWSet>(
        ns.rwset(), absl::StrCat("read-write set of namespace ", Shown(ns.namespace_())));
    if (!kv.ok()) return Reject(::protos::BAD_RWSET, kv.status());
    namespace_writes[i] = !kv->writes().empty() || !kv->metadata_writes().empty();
    action.kv_read_write_sets.push_back(*std::move(kv));
    for (const ::rwset::CollectionHashedReadWriteSet& collection : ns.collection_hashed_rwset()) {
      absl::StatusOr<::kvrwset::HashedRWSet> hashed = ParseCanonical<::kvrwset::HashedRWSet>(
          collection.hashed_rwset(), absl::StrCat("hashed read-write set of collection ",
                                                  Shown(collection.collection_name()), " in namespace ",
                                                  Shown(ns.namespace_())));
      if (!hashed.ok()) return Reject(::protos::BAD_RWSET, hashed.status());
      if (Writes(*hashed)) namespace_writes[i] = true;
    }
  }
  return std::nullopt;
}

// The chaincode named by the header extension and by the ChaincodeAction (Fabric's dispatcher checks).
Verdict CheckChaincodeIds(const ::protos::ChaincodeHeaderExtension& extension,
                          const ::protos::ChaincodeAction& chaincode_action) {
  if (!extension.has_chaincode_id()) {
    return Reject(::protos::INVALID_OTHER_REASON, "the header extension names no chaincode");
  }
  if (!chaincode_action.has_chaincode_id()) {
    return Reject(::protos::INVALID_OTHER_REASON, "the chaincode action names no chaincode");
  }
  const std::string& name = extension.chaincode_id().name();
  if (name.empty()) return Reject(::protos::INVALID_CHAINCODE, "the header extension's chaincode name is empty");
  if (chaincode_action.chaincode_id().name() != name) {
    return Reject(::protos::INVALID_CHAINCODE,
                  absl::StrCat("the proposal invoked chaincode ", Shown(name), " but the chaincode action is from ",
                               Shown(chaincode_action.chaincode_id().name())));
  }
  if (chaincode_action.chaincode_id().version().empty()) {
    return Reject(::protos::INVALID_CHAINCODE, "the chaincode action's chaincode version is empty");
  }
  return std::nullopt;
}

Verdict CheckEvent(const ::protos::ChaincodeAction& chaincode_action, std::string_view chaincode) {
  if (chaincode_action.events().empty()) return std::nullopt;
  absl::StatusOr<::protos::ChaincodeEvent> event =
      ParseCanonical<::protos::ChaincodeEvent>(chaincode_action.events(), "chaincode event");
  if (!event.ok()) return Reject(::protos::INVALID_OTHER_REASON, event.status());
  if (event->chaincode_id() != chaincode) {
    return Reject(::protos::INVALID_OTHER_REASON, absl::StrCat("the chaincode event is from chaincode ",
                                                               Shown(event->chaincode_id()), ", not from ",
                                                               Shown(chaincode)));
  }
  return std::nullopt;
}

Verdict CheckNamespaces(const ::rwset::TxReadWriteSet& read_write_set, const std::vector<bool>& namespace_writes,
                        std::string_view chaincode) {
  absl::flat_hash_set<std::string_view> seen;
  for (int i = 0; i < read_write_set.ns_rwset_size(); ++i) {
    const std::string& ns = read_write_set.ns_rwset(i).namespace_();
    if (!seen.insert(ns).second) {
      return Reject(::protos::ILLEGAL_WRITESET, absl::StrCat("namespace ", Shown(ns), " appears twice"));
    }
    if (namespace_writes[static_cast<size_t>(i)] && ns != chaincode) {
      return Reject(::protos::ILLEGAL_WRITESET, absl::StrCat("chaincode ", Shown(chaincode),
                                                             " wrote into namespace ", Shown(ns)));
    }
  }
  return std::nullopt;
}

// The chaincode's endorsement policy over the endorsements that verify. Errors are local failures.
absl::StatusOr<Verdict> CheckEndorsements(const Channel& channel, std::string_view chaincode,
                                          const ::protos::ChaincodeEndorsedAction& endorsed) {
  absl::StatusOr<const policies::Policy*> policy = channel.endorsement_policies.ForChaincode(chaincode);
  if (absl::IsNotFound(policy.status())) {
    return Reject(::protos::INVALID_CHAINCODE,
                  absl::StrCat("no chaincode ", Shown(chaincode), " is defined on this channel: ",
                               policy.status().message()));
  }
  if (!policy.ok()) {
    return Annotate(policy.status(), absl::StrCat("reading the endorsement policy of chaincode ", Shown(chaincode)));
  }
  if (*policy == nullptr) {
    return absl::InternalError(absl::StrCat("the endorsement policy source returned no policy for chaincode ",
                                            Shown(chaincode)));
  }

  // An endorser signs the response payload followed by its own identity, so that an endorsement cannot be
  // re-attributed to someone else.
  std::vector<std::string> messages;
  std::vector<policies::SignedData> signed_data;
  messages.reserve(endorsed.endorsements_size());
  signed_data.reserve(endorsed.endorsements_size());
  for (const ::protos::Endorsement& endorsement : endorsed.endorsements()) {
    messages.push_back(absl::StrCat(endorsed.proposal_response_payload(), endorsement.endorser()));
  }
  for (int i = 0; i < endorsed.endorsements_size(); ++i) {
    signed_data.push_back({messages[static_cast<size_t>(i)], endorsed.endorsements(i).endorser(),
                           endorsed.endorsements(i).signature()});
  }
  if (absl::Status satisfied = policies::EvaluateSignedData(**policy, signed_data, channel.deserializer);
      !satisfied.ok()) {
    return Reject(::protos::ENDORSEMENT_POLICY_FAILURE,
                  absl::StrCat("the ", signed_data.size(), " endorsement(s) do not satisfy the endorsement policy of ",
                               Shown(chaincode), ": ", satisfied.message()));
  }
  return Verdict(std::nullopt);
}

// Everything after the transaction ID for an endorser transaction. Errors are local failures.
absl::StatusOr<Verdict> CheckEndorserTransaction(const Channel& channel, const ::common::Payload& payload,
                                                 ValidatedTransaction& tx) {
  protoutil::ParsedEndorserTransaction parsed;
  if (Verdict verdict = ParseTransaction(payload, tx.signature_header, parsed)) return verdict;
  absl::StatusOr<::protos::ChaincodeHeaderExtension> extension = ParseCanonical<::protos::ChaincodeHeaderExtension>(
      tx.channel_header.extension(), "channel header extension");
  if (!extension.ok()) return Reject(::protos::BAD_HEADER_EXTENSION, extension.status());
  std::vector<bool> namespace_writes;
  if (Verdict verdict = ParseChaincodeAction(parsed.actions[0], namespace_writes)) return verdict;
  tx.endorser_transaction = std::move(parsed);

  const protoutil::ParsedTransactionAction& action = tx.endorser_transaction->actions[0];
  if (Verdict verdict = CheckChaincodeIds(*extension, action.chaincode_action)) return verdict;
  const std::string& chaincode = extension->chaincode_id().name();
  if (Verdict verdict = CheckEvent(action.chaincode_action, chaincode)) return verdict;
  if (Verdict verdict = CheckNamespaces(action.read_write_set, namespace_writes, chaincode)) return verdict;
  return CheckEndorsements(channel, chaincode, action.chaincode_action_payload.action());
}

void Record(const Verdict& verdict, ValidatedTransaction& tx) {
  if (verdict.has_value()) {
    tx.code = verdict->code;
    tx.reason = verdict->reason;
  } else {
    tx.code = ::protos::VALID;
  }
}

// Stage 1 for one entry. Returns only local failures; the verdict goes into result.tx.
absl::Status ValidateEntry(const Channel& channel, std::string_view entry, Stage1Result& result) {
  ValidatedTransaction& tx = result.tx;
  ::common::Payload payload;
  if (Verdict verdict = CheckEnvelope(channel, entry, tx, payload)) {
    Record(verdict, tx);
    return absl::OkStatus();
  }
  switch (tx.channel_header.type()) {
    case ::common::CONFIG_UPDATE:
      Record(Reject(::protos::UNSUPPORTED_TX_PAYLOAD,
                    "CONFIG_UPDATE transactions go to the orderer, which turns them into CONFIG transactions"),
             tx);
      return absl::OkStatus();
    case ::common::CONFIG:
      Record(CheckConfigTransaction(payload, tx), tx);
      return absl::OkStatus();
    default:  // ENDORSER_TRANSACTION: CheckCommonHeader admits no other type
      break;
  }
  if (absl::Status tx_id = protoutil::CheckTxId(tx.channel_header.tx_id(), tx.signature_header.nonce(),
                                                tx.signature_header.creator());
      !tx_id.ok()) {
    Record(Reject(::protos::BAD_PROPOSAL_TXID, tx_id), tx);
    return absl::OkStatus();
  }
  result.check_tx_id = true;
  ASSIGN_OR_RETURN(const Verdict verdict, CheckEndorserTransaction(channel, payload, tx));
  Record(verdict, tx);
  return absl::OkStatus();
}

// Stage 2: duplicate transaction IDs against the ledger, then within the block; in block order.
absl::Status MarkDuplicateTxIds(std::vector<Stage1Result>& results, const CommittedTxIds& committed,
                                uint64_t block_number) {
  for (size_t i = 0; i < results.size(); ++i) {
    ValidatedTransaction& tx = results[i].tx;
    if (!results[i].check_tx_id) continue;
    absl::StatusOr<bool> exists = committed.Contains(tx.channel_header.tx_id());
    if (!exists.ok()) {
      return Annotate(exists.status(), absl::StrCat("block ", block_number, ", transaction ", i,
                                                    ": looking up its transaction ID in the ledger"));
    }
    if (*exists) {
      tx.code = ::protos::DUPLICATE_TXID;
      tx.reason = absl::StrCat("transaction ", tx.channel_header.tx_id(), " is already committed");
    }
  }
  // Only transactions still valid take an ID, as in Fabric: an earlier invalid one does not spoil a later one.
  absl::flat_hash_map<std::string_view, size_t> first_with_id;
  for (size_t i = 0; i < results.size(); ++i) {
    ValidatedTransaction& tx = results[i].tx;
    if (!results[i].check_tx_id || tx.code != ::protos::VALID) continue;
    const auto [first, inserted] = first_with_id.try_emplace(tx.channel_header.tx_id(), i);
    if (!inserted) {
      tx.code = ::protos::DUPLICATE_TXID;
      tx.reason = absl::StrCat("transaction ", first->second, " of this block has the same ID");
    }
  }
  return absl::OkStatus();
}

}  // namespace

TxValidator::TxValidator(std::string channel_id, const policies::IdentityDeserializer& deserializer,
                         const EndorsementPolicySource& endorsement_policies, ThreadPool* pool)
    : channel_id_(std::move(channel_id)),
      deserializer_(deserializer),
      endorsement_policies_(endorsement_policies),
      pool_(pool) {}

absl::StatusOr<std::vector<ValidatedTransaction>> TxValidator::Validate(const ::common::Block& block,
                                                                        const CommittedTxIds& committed) const {
  const Channel channel{channel_id_, deserializer_, endorsement_policies_};
  const size_t count = static_cast<size_t>(block.data().data_size());
  std::vector<Stage1Result> results(count);
  // Each call writes only its own slot, so the result does not depend on which thread ran which entry.
  const auto validate = [&](size_t i) {
    results[i].error = ValidateEntry(channel, block.data().data(static_cast<int>(i)), results[i]);
  };
  if (pool_ != nullptr) {
    pool_->ParallelFor(count, validate);
  } else {
    for (size_t i = 0; i < count; ++i) validate(i);
  }
  for (size_t i = 0; i < count; ++i) {
    if (!results[i].error.ok()) {
      return Annotate(results[i].error, absl::StrCat("block ", block.header().number(), ", transaction ", i));
    }
  }
  RETURN_IF_ERROR(MarkDuplicateTxIds(results, committed, block.header().number()));

  std::vector<ValidatedTransaction> validated;
  validated.reserve(count);
  for (Stage1Result& result : results) validated.push_back(std::move(result.tx));
  return validated;
}

}  // namespace careledger::committer
