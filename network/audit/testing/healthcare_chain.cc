#include "network/audit/testing/healthcare_chain.h"

#include <map>
#include <optional>
#include <utility>

#include "chaincode/builtin/healthcare/healthcare_chaincode.h"
#include "chaincode/runtime/registry.h"
#include "chaincode/runtime/testing/chaincode_harness.h"
#include "common/protoutil/block.h"
#include "common/protoutil/block_hash.h"
#include "common/protoutil/envelope.h"
#include "gtest/gtest.h"
#include "msp/testing/test_org.h"
#include "peer/committer/testing/test_channel.h"
#include "peer/committer/testing/test_transaction.h"
#include "peer/committer/transactions_filter.h"

namespace careledger::audit::testing {
namespace {

using ::careledger::committer::testing::Channel;

chaincode::CreatorInfo Creator(const msp::testing::TestOrg& org, const std::string& name, const std::string& ou,
                               const msp::Attributes& attributes) {
  const msp::SigningIdentity identity = org.Issue(name, std::vector<std::string>{ou}, attributes);
  chaincode::CreatorInfo creator;
  creator.msp_id = org.msp_id();
  creator.serialized_identity = identity.SerializedIdentity();
  creator.id = "x509::" + identity.certificate().subject().one_line + "::" + identity.certificate().issuer().one_line;
  creator.certificate_pem = identity.certificate().ToPem();
  creator.attributes.insert(attributes.begin(), attributes.end());
  return creator;
}

chaincode::CreatorInfo Person(const msp::testing::TestOrg& org, const std::string& role, const std::string& id) {
  return Creator(org, id + "@" + org.msp_id(), "client", {{"role", role}, {"person_id", id}});
}

// A transaction of the test channel carrying `event` of `chaincode` at `seconds`.
std::string Transaction(const std::string& chaincode, const std::optional<::protos::ChaincodeEvent>& event,
                        int64_t seconds, int nonce) {
  committer::testing::EndorserTransactionSpec spec = committer::testing::DefaultEndorserTransaction(
      Channel().id, chaincode, Channel().client1, {&Channel().peer1, &Channel().peer2}, nonce);
  spec.channel_header.mutable_timestamp()->set_seconds(seconds);
  spec.channel_header.mutable_timestamp()->set_nanos(0);
  if (event) spec.chaincode_action.set_events(event->SerializeAsString());
  return committer::testing::BuildEndorserTransaction(spec);
}

std::string TxIdOf(const std::string& entry) {
  ::common::Envelope envelope;
  envelope.ParseFromString(entry);
  return protoutil::ParseEnvelope(envelope)->channel_header.tx_id();
}

}  // namespace

HealthcareChain BuildHealthcareChain() {
  const msp::testing::TestOrg hospital1("Hospital1MSP");
  const msp::testing::TestOrg hospital2("Hospital2MSP");
  chaincode::ChaincodeRegistry registry;
  chaincode::testing::ChaincodeHarness harness(
      registry.AddBuiltin(chaincode::builtin::kHealthcareChaincodeName,
                          chaincode::builtin::HealthcareChaincodeDescriptor())
          .value(),
      "healthcare");
  const chaincode::CreatorInfo patient = Person(hospital1, "patient", "P-1001");
  const chaincode::CreatorInfo patient2 = Person(hospital1, "patient", "P-1002");
  const chaincode::CreatorInfo doctor1 = Person(hospital1, "doctor", "D-1001");
  const chaincode::CreatorInfo doctor2 = Person(hospital2, "doctor", "D-2001");
  const chaincode::CreatorInfo admin1 = Creator(hospital1, "Admin@Hospital1MSP", "admin", {});
  const std::string expiry = std::to_string(kHealthcareEpoch + 100000);

  const std::vector<std::pair<const chaincode::CreatorInfo*, std::vector<std::string>>> calls = {
      {&patient, {"RegisterPatient", "P-1001", "vault://hospital1/profiles/P-1001"}},
      {&patient, {"GrantConsent", "P-1001", "Hospital1MSP", "D-1001", "readwrite", "lab", expiry}},
      {&patient, {"GrantConsent", "P-1001", "Hospital2MSP", "*", "read", "imaging", expiry}},
      {&doctor1,
       {"AddRecord", "P-1001", "R-1", "lab", kRecordSha1, "1234", "application/pdf", "vault://hospital1/R-1"}},
      {&doctor1, {"AmendRecord", "R-1", kRecordSha2, "2345", "application/pdf", "vault://hospital1/R-1.v2"}},
      {&doctor1, {"LogAccess", "R-1"}},
      {&doctor2, {"OpenEmergencyAccess", "P-1001", "unconscious in the emergency room", "3600"}},
      {&doctor2, {"LogAccess", "R-1"}},
      {&patient, {"RevokeConsent", "P-1001", "Hospital1MSP", "D-1001"}},
      {&admin1, {"RegisterPatient", "P-1002", "vault://hospital1/profiles/P-1002"}},
      {&patient2, {"GrantConsent", "P-1002", "Hospital1MSP", "D-1001", "read", "", expiry}},
  };
  HealthcareChain chain;
  std::vector<std::string> entries;
  for (size_t i = 0; i < calls.size(); ++i) {
    harness.context().creator = *calls[i].first;
    absl::StatusOr<chaincode::InvocationResult> result = harness.Submit(calls[i].second);
    if (!result.ok() || result->response.status() != 200 || !result->event) {
      ADD_FAILURE() << "call " << i + 1 << " (" << calls[i].second[0]
                    << ") failed: " << (result.ok() ? result->response.message() : result.status().ToString());
      return chain;
    }
    entries.push_back(Transaction("healthcare", result->event, kHealthcareEpoch + static_cast<int64_t>(i) + 1,
                                  static_cast<int>(i) + 1));
    chain.tx_ids.push_back(TxIdOf(entries.back()));
  }

  // The blocks, each with its filter.
  struct BlockSpec {
    std::vector<std::string> entries;
    std::vector<::protos::TxValidationCode> codes;
  };
  const std::vector<BlockSpec> specs = {
      {{entries[0], entries[1], entries[2]}, {::protos::VALID, ::protos::VALID, ::protos::VALID}},
      {{entries[3], entries[4], entries[5], Transaction("asset", std::nullopt, kHealthcareEpoch + 6, 100)},
       {::protos::VALID, ::protos::VALID, ::protos::VALID, ::protos::VALID}},
      {{entries[6], entries[7], entries[8]}, {::protos::VALID, ::protos::VALID, ::protos::MVCC_READ_CONFLICT}},
      {{entries[8], entries[9], entries[10]}, {::protos::VALID, ::protos::VALID, ::protos::VALID}},
  };
  ::common::Block genesis = Channel().genesis;
  const std::vector<::protos::TxValidationCode> genesis_codes(static_cast<size_t>(genesis.data().data_size()),
                                                              ::protos::VALID);
  EXPECT_TRUE(committer::SetTransactionsFilter(genesis_codes, &genesis).ok());
  chain.blocks.push_back(genesis);
  for (const BlockSpec& spec : specs) {
    ::common::Block block = protoutil::NewBlock(chain.blocks.size(),
                                                protoutil::BlockHeaderHash(chain.blocks.back().header()), spec.entries);
    EXPECT_TRUE(protoutil::SignBlock(&block, Channel().orderer, 0, "").ok());
    EXPECT_TRUE(committer::SetTransactionsFilter(spec.codes, &block).ok());
    chain.blocks.push_back(std::move(block));
  }
  return chain;
}

}  // namespace careledger::audit::testing
