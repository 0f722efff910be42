#include "tests/wire_compat/handmade.h"

#include <utility>

#include "common/common.pb.h"
#include "gateway/gateway.pb.h"
#include "ledger/rwset/kvrwset/kv_rwset.pb.h"
#include "orderer/ab.pb.h"
#include "peer/proposal.pb.h"
#include "peer/proposal_response.pb.h"

namespace careledger::wire_compat {
namespace {

::protos::SignedProposal SignedProposal() {
  ::protos::SignedProposal proposal;
  proposal.set_proposal_bytes("proposal-bytes");
  proposal.set_signature(std::string("\x30\x45\x02\x21\x00", 5));
  return proposal;
}

std::unique_ptr<google::protobuf::Message> Envelope() {
  auto envelope = std::make_unique<::common::Envelope>();
  envelope->set_payload("payload-bytes");
  envelope->set_signature(std::string("\x30\x44\x02\x20\xff", 5));
  return envelope;
}

std::unique_ptr<google::protobuf::Message> Block() {
  auto block = std::make_unique<::common::Block>();
  block->mutable_header()->set_number((uint64_t{1} << 40) + 3);
  block->mutable_header()->set_previous_hash(std::string(32, '\x11'));
  block->mutable_header()->set_data_hash(std::string(32, '\x22'));
  block->mutable_data()->add_data("envelope-0");
  block->mutable_data()->add_data("envelope-1");
  // Empty entries count: metadata is indexed by position (BlockMetadataIndex).
  for (const std::string& entry : {std::string("signatures"), std::string(), std::string("\x00\x0b", 2), std::string(),
                                   std::string("commit-hash")}) {
    block->mutable_metadata()->add_metadata(entry);
  }
  return block;
}

std::unique_ptr<google::protobuf::Message> SignedProposalMessage() {
  return std::make_unique<::protos::SignedProposal>(SignedProposal());
}

std::unique_ptr<google::protobuf::Message> EndorseRequest() {
  auto request = std::make_unique<::gateway::EndorseRequest>();
  request->set_transaction_id("9b509b14e9418ff403128c815509476925771dc21a7c77e2899e7c170e960a45");
  request->set_channel_id("records");
  *request->mutable_proposed_transaction() = SignedProposal();
  request->add_endorsing_organizations("Hospital1MSP");
  request->add_endorsing_organizations("Hospital2MSP");
  return request;
}

std::unique_ptr<google::protobuf::Message> KvRwSet() {
  auto set = std::make_unique<::kvrwset::KVRWSet>();
  ::kvrwset::KVRead& read = *set->add_reads();
  read.set_key("patient-1");
  read.mutable_version()->set_block_num(5);
  read.mutable_version()->set_tx_num(2);
  set->add_reads()->set_key("patient-2");  // read of a key that did not exist: no version
  ::kvrwset::RangeQueryInfo& range = *set->add_range_queries_info();
  range.set_start_key("a");
  range.set_end_key("b");
  range.set_itr_exhausted(true);
  ::kvrwset::KVRead& range_read = *range.mutable_raw_reads()->add_kv_reads();
  range_read.set_key("a1");
  range_read.mutable_version()->set_block_num(7);
  ::kvrwset::KVWrite& write = *set->add_writes();
  write.set_key("patient-3");
  write.set_value("consent:granted");
  ::kvrwset::KVWrite& deletion = *set->add_writes();
  deletion.set_key("patient-4");
  deletion.set_is_delete(true);
  ::kvrwset::KVMetadataWrite& metadata = *set->add_metadata_writes();
  metadata.set_key("patient-5");
  ::kvrwset::KVMetadataEntry& entry = *metadata.add_entries();
  entry.set_name("VALIDATION_PARAMETER");
  entry.set_value("policy-bytes");
  return set;
}

std::unique_ptr<google::protobuf::Message> ChannelHeader() {
  auto header = std::make_unique<::common::ChannelHeader>();
  header->set_type(::common::ENDORSER_TRANSACTION);
  header->mutable_timestamp()->set_seconds(1700000000);
  header->mutable_timestamp()->set_nanos(5);
  header->set_channel_id("records");
  header->set_tx_id("tx-1");
  header->set_extension(
      std::string("\x12\x04\x12\x02"
                  "cc"));
  header->set_tls_cert_hash(std::string(32, '\x33'));
  return header;
}

std::unique_ptr<google::protobuf::Message> ProposalResponse() {
  auto response = std::make_unique<::protos::ProposalResponse>();
  response->set_version(1);
  response->mutable_response()->set_status(200);
  response->mutable_response()->set_message("OK");
  response->mutable_response()->set_payload("result");
  response->set_payload("prp-bytes\xff");  // not UTF-8: bytes, never string
  response->mutable_endorsement()->set_endorser("peer0");
  response->mutable_endorsement()->set_signature("sig\x80");
  return response;
}

std::unique_ptr<google::protobuf::Message> SeekInfo() {
  auto seek = std::make_unique<::orderer::SeekInfo>();
  seek->mutable_start()->mutable_specified()->set_number(10);
  seek->mutable_stop()->mutable_newest();
  seek->set_behavior(::orderer::SeekInfo::FAIL_IF_NOT_READY);
  return seek;
}

}  // namespace

std::vector<HandmadeMessage> HandmadeExpectations() {
  std::vector<HandmadeMessage> messages;
  messages.push_back({"envelope.bin", Envelope()});
  messages.push_back({"block.bin", Block()});
  messages.push_back({"signed_proposal.bin", SignedProposalMessage()});
  messages.push_back({"endorse_request.bin", EndorseRequest()});
  messages.push_back({"kv_rwset.bin", KvRwSet()});
  messages.push_back({"channel_header.bin", ChannelHeader()});
  messages.push_back({"proposal_response.bin", ProposalResponse()});
  messages.push_back({"seek_info.bin", SeekInfo()});
  return messages;
}

}  // namespace careledger::wire_compat
