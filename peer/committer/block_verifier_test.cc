#include "peer/committer/block_verifier.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/policies/policy_parser.h"
#include "common/policies/signature_policy.h"
#include "common/protoutil/block.h"
#include "common/protoutil/block_hash.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "peer/committer/testing/test_chain.h"
#include "peer/committer/testing/test_channel.h"
#include "peer/committer/testing/test_transaction.h"

namespace careledger::committer {
namespace {

using ::testing::HasSubstr;
using testing::Channel;

class BlockVerifierTest : public ::testing::Test {
 protected:
  // A valid endorser transaction; `seed` makes it unique.
  static std::string Tx(int seed) {
    const testing::TestChannel& c = Channel();
    return testing::BuildEndorserTransaction(
        testing::DefaultEndorserTransaction(c.id, "records", c.client1, {&c.peer1, &c.peer2}, seed));
  }

  absl::Status Verify(const ::common::Block& block) const {
    return VerifyBlock(block, previous_, *Channel().block_validation, *Channel().msps);
  }

  // Block 1, `entries` chained to the genesis block, signed by `signer`.
  ::common::Block SignedBlock(std::vector<std::string> entries, const protoutil::Signer& signer) const {
    return testing::TestChain(signer, previous_).Next(std::move(entries));
  }

  const ::common::BlockHeader previous_ = Channel().genesis.header();
  testing::TestChain chain_{Channel().orderer, previous_};
};

TEST_F(BlockVerifierTest, AcceptsTheNextBlockSignedByTheOrderer) {
  const ::common::Block block1 = chain_.Next({Tx(1), Tx(2)});
  EXPECT_TRUE(Verify(block1).ok()) << Verify(block1);
  const ::common::Block block2 = chain_.Next({Tx(3)});
  EXPECT_TRUE(VerifyBlock(block2, block1.header(), *Channel().block_validation, *Channel().msps).ok());
}

TEST_F(BlockVerifierTest, AcceptsTheChannelsGenesisBlock) {
  EXPECT_TRUE(VerifyGenesisBlock(Channel().genesis).ok()) << VerifyGenesisBlock(Channel().genesis);
}

TEST_F(BlockVerifierTest, GenesisBlockMustBeBlockZeroWithoutPreviousHash) {
  ::common::Block block = Channel().genesis;
  block.mutable_header()->set_number(1);
  EXPECT_THAT(VerifyGenesisBlock(block).message(), HasSubstr("must be block 0"));
  block = Channel().genesis;
  block.mutable_header()->set_previous_hash("x");
  EXPECT_THAT(VerifyGenesisBlock(block).message(), HasSubstr("previous hash"));
  block = Channel().genesis;
  block.mutable_data()->set_data(0, Tx(1));
  EXPECT_EQ(VerifyGenesisBlock(block).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(VerifyGenesisBlock(block).message(), HasSubstr("is not the hash of its data"));
  block.clear_header();
  EXPECT_THAT(VerifyGenesisBlock(block).message(), HasSubstr("no header"));
}

TEST_F(BlockVerifierTest, RefusesABlockThatDoesNotFollow) {
  chain_.Next({Tx(1)});
  const ::common::Block block2 = chain_.Next({Tx(2)});  // signed, chained to block 1, but block 1 is skipped
  const absl::Status status = Verify(block2);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("block 2: expected block 0 + 1"));
}

TEST_F(BlockVerifierTest, RefusesATamperedPreviousHash) {
  // Signed by the orderer after the tampering, so only the hash chain can catch it.
  ::common::Block block = protoutil::NewBlock(1, std::string(32, 'x'), {Tx(1)});
  ASSERT_TRUE(protoutil::SignBlock(&block, Channel().orderer, 0, "").ok());
  const absl::Status status = Verify(block);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("block 1: previous hash 7878"));
  EXPECT_THAT(status.message(), HasSubstr("is not the hash of block 0"));
}

TEST_F(BlockVerifierTest, RefusesATamperedDataHash) {
  ::common::Block block = protoutil::NewBlock(1, protoutil::BlockHeaderHash(previous_), {Tx(1)});
  block.mutable_header()->set_data_hash(std::string(32, 'x'));
  ASSERT_TRUE(protoutil::SignBlock(&block, Channel().orderer, 0, "").ok());
  const absl::Status status = Verify(block);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("block 1: data hash 7878"));
}

TEST_F(BlockVerifierTest, RefusesTamperedData) {
  ::common::Block block = chain_.Next({Tx(1), Tx(2)});
  block.mutable_data()->set_data(1, Tx(3));
  const absl::Status status = Verify(block);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("is not the hash of its data"));
}

TEST_F(BlockVerifierTest, RefusesEntriesSplitDifferentlyFromWhatTheOrdererCut) {
  const ::common::Block block = chain_.Next({Tx(1), Tx(2)});
  // A relay joins the two entries into one: the data hash and the orderer's signature still hold, and protobuf
  // reads the joined bytes as a single envelope.
  ::common::Block joined = block;
  joined.mutable_data()->clear_data();
  joined.mutable_data()->add_data(absl::StrCat(block.data().data(0), block.data().data(1)));
  ASSERT_EQ(protoutil::BlockDataHash(joined.data()), block.header().data_hash());
  ::common::Envelope merged;
  ASSERT_TRUE(merged.ParseFromString(joined.data().data(0)));

  const absl::Status status = Verify(joined);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("block 1: entry 0 (common.Envelope) is not in canonical encoding"));
}

TEST_F(BlockVerifierTest, RefusesAnEntryWithoutSignatureOrPayload) {
  ::common::Envelope unsigned_envelope;
  unsigned_envelope.set_payload("payload");
  EXPECT_THAT(Verify(SignedBlock({Tx(1), unsigned_envelope.SerializeAsString()}, Channel().orderer)).message(),
              HasSubstr("block 1: entry 1 has no signature"));
  ::common::Envelope no_payload;
  no_payload.set_signature("signature");
  EXPECT_THAT(Verify(SignedBlock({no_payload.SerializeAsString()}, Channel().orderer)).message(),
              HasSubstr("block 1: entry 0 has no payload"));
}

TEST_F(BlockVerifierTest, RefusesABlockWithoutData) {
  const absl::Status status = Verify(SignedBlock({}, Channel().orderer));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("block 1: no data entry"));
}

TEST_F(BlockVerifierTest, RefusesATamperedSignature) {
  ::common::Block block = chain_.Next({Tx(1)});
  ::common::Metadata signatures;
  ASSERT_TRUE(signatures.ParseFromString(block.metadata().metadata(::common::SIGNATURES)));
  std::string& signature = *signatures.mutable_signatures(0)->mutable_signature();
  signature[signature.size() / 2] = static_cast<char>(signature[signature.size() / 2] ^ 1);
  block.mutable_metadata()->set_metadata(::common::SIGNATURES, signatures.SerializeAsString());
  const absl::Status status = Verify(block);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(status.message(), HasSubstr("block 1: its 1 orderer signature(s) do not satisfy the BlockValidation"));
}

TEST_F(BlockVerifierTest, RefusesAHeaderChangedAfterSigning) {
  ::common::Block block = chain_.Next({Tx(1)});
  ::common::Block other = SignedBlock({Tx(2)}, Channel().orderer);
  // Block 1's signatures on another valid block 1: they cover the header, so they do not verify.
  other.mutable_metadata()->set_metadata(::common::SIGNATURES, block.metadata().metadata(::common::SIGNATURES));
  EXPECT_EQ(Verify(other).code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(BlockVerifierTest, RefusesABlockSignedByANonOrderer) {
  const absl::Status status = Verify(SignedBlock({Tx(1)}, Channel().peer1));
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(status.message(), HasSubstr("BlockValidation"));
  EXPECT_EQ(Verify(SignedBlock({Tx(1)}, Channel().outsider)).code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(BlockVerifierTest, RefusesAnUnsignedBlock) {
  ::common::Block block = protoutil::NewBlock(1, protoutil::BlockHeaderHash(previous_), {Tx(1)});
  ::common::Metadata no_signatures;
  block.mutable_metadata()->set_metadata(::common::SIGNATURES, no_signatures.SerializeAsString());
  const absl::Status status = Verify(block);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(status.message(), HasSubstr("its 0 orderer signature(s)"));
}

TEST_F(BlockVerifierTest, RefusesMalformedSignatureMetadata) {
  ::common::Block block = chain_.Next({Tx(1)});
  block.mutable_metadata()->set_metadata(::common::SIGNATURES, "\xff\xff");
  const absl::Status status = Verify(block);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("block 1: malformed SIGNATURES metadata"));
  block.mutable_metadata()->clear_metadata();
  EXPECT_THAT(Verify(block).message(), HasSubstr("no SIGNATURES metadata"));
}

TEST_F(BlockVerifierTest, AnExtraBadSignatureDoesNotSpoilTheOrderersOne) {
  ::common::Block by_peer = SignedBlock({Tx(1)}, Channel().peer1);
  ::common::Block block = SignedBlock({Tx(1)}, Channel().orderer);
  ::common::Metadata peer_signatures, signatures;
  ASSERT_TRUE(peer_signatures.ParseFromString(by_peer.metadata().metadata(::common::SIGNATURES)));
  ASSERT_TRUE(signatures.ParseFromString(block.metadata().metadata(::common::SIGNATURES)));
  ASSERT_EQ(peer_signatures.value(), signatures.value());
  // The peer's valid signature first, then the orderer's: the policy needs only the orderer's.
  ::common::Metadata both;
  both.set_value(signatures.value());
  *both.add_signatures() = peer_signatures.signatures(0);
  *both.add_signatures() = signatures.signatures(0);
  block.mutable_metadata()->set_metadata(::common::SIGNATURES, both.SerializeAsString());
  EXPECT_TRUE(Verify(block).ok()) << Verify(block);
}

// Block 1 holding `entries`, with one signature by each of `signers`.
::common::Block SignedByEach(const ::common::BlockHeader& previous, std::vector<std::string> entries,
                             const std::vector<const protoutil::Signer*>& signers) {
  const ::common::Block unsigned_block =
      protoutil::NewBlock(previous.number() + 1, protoutil::BlockHeaderHash(previous), std::move(entries));
  ::common::Metadata all;
  for (const protoutil::Signer* signer : signers) {
    ::common::Block block = unsigned_block;
    EXPECT_TRUE(protoutil::SignBlock(&block, *signer, 0, "").ok());
    ::common::Metadata one;
    EXPECT_TRUE(one.ParseFromString(block.metadata().metadata(::common::SIGNATURES)));
    all.set_value(one.value());
    *all.add_signatures() = one.signatures(0);
  }
  ::common::Block block = unsigned_block;
  block.mutable_metadata()->set_metadata(::common::SIGNATURES, all.SerializeAsString());
  return block;
}

TEST_F(BlockVerifierTest, AnOrdererCountsOnceWhateverTheEncodingOfItsCertificate) {
  absl::StatusOr<::common::SignaturePolicyEnvelope> envelope =
      policies::ParseSignaturePolicy("OutOf(2, 'OrdererMSP.orderer', 'OrdererMSP.orderer')");
  ASSERT_TRUE(envelope.ok()) << envelope.status();
  absl::StatusOr<std::unique_ptr<policies::Policy>> two_orderers = policies::NewSignaturePolicy(*envelope);
  ASSERT_TRUE(two_orderers.ok()) << two_orderers.status();
  const msp::SigningIdentity other_orderer = channelconfig::testing::Network().orderer_org().Issue(
      "orderer1.orderer.example.org", msp::NodeRole::kOrderer);
  const testing::ReencodedSigner same_orderer(Channel().orderer,
                                              testing::AnotherEncoding(Channel().orderer.SerializedIdentity()));

  const ::common::Block by_one = SignedByEach(previous_, {Tx(1)}, {&Channel().orderer, &same_orderer});
  const absl::Status status = VerifyBlock(by_one, previous_, **two_orderers, *Channel().msps);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << status;
  const ::common::Block by_two = SignedByEach(previous_, {Tx(1)}, {&same_orderer, &other_orderer});
  EXPECT_TRUE(VerifyBlock(by_two, previous_, **two_orderers, *Channel().msps).ok());
}

TEST_F(BlockVerifierTest, RefusesABlockWithoutHeader) {
  ::common::Block block = chain_.Next({Tx(1)});
  block.clear_header();
  EXPECT_THAT(Verify(block).message(), HasSubstr("the block after block 0 has no header"));
}

}  // namespace
}  // namespace careledger::committer
