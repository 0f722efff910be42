#include "common/protoutil/block.h"

#include "absl/strings/str_cat.h"
#include "common/protoutil/block_hash.h"
#include "common/protoutil/test_signer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::protoutil {
namespace {

using ::testing::HasSubstr;
using testing::FailingSigner;
using testing::FakeSigner;

TEST(BlockTest, NewBlockChainsAndHashesItsData) {
  ::common::Block genesis = NewBlock(0, "", {"config"});
  ::common::Block next = NewBlock(1, BlockHeaderHash(genesis.header()), {"tx1", "tx2"});
  EXPECT_EQ(next.header().number(), 1u);
  EXPECT_EQ(next.header().previous_hash(), BlockHeaderHash(genesis.header()));
  EXPECT_EQ(next.header().data_hash(), BlockDataHash(next.data()));
  EXPECT_EQ(next.data().data_size(), 2);
  EXPECT_EQ(next.metadata().metadata_size(), 5);
}

TEST(BlockTest, SignatureCoversValueSignatureHeaderAndHeaderBytes) {
  ::common::Block block = NewBlock(7, std::string(32, 'p'), {"tx"});
  FakeSigner signer("orderer1-identity");
  ASSERT_TRUE(SignBlock(&block, signer, /*last_config_index=*/3, "raft-index").ok());

  auto signatures = BlockSignatures(block);
  ASSERT_TRUE(signatures.ok()) << signatures.status();
  ASSERT_EQ(signatures->size(), 1u);
  const BlockSignature& sig = (*signatures)[0];
  EXPECT_EQ(sig.identity, "orderer1-identity");
  EXPECT_EQ(sig.signature, FakeSigner::SignatureOf("orderer1-identity", sig.data));

  // Rebuild the signed bytes independently from the metadata, as Fabric's verifier does.
  ::common::Metadata metadata;
  ASSERT_TRUE(metadata.ParseFromString(block.metadata().metadata(::common::SIGNATURES)));
  EXPECT_EQ(sig.data, absl::StrCat(metadata.value(), metadata.signatures(0).signature_header(),
                                   BlockHeaderBytes(block.header())));
  ::common::OrdererBlockMetadata orderer;
  ASSERT_TRUE(orderer.ParseFromString(metadata.value()));
  EXPECT_EQ(orderer.consenter_metadata(), "raft-index");
  EXPECT_EQ(*LastConfigIndex(block), 3u);

  // Changing the header after signing breaks the signature.
  block.mutable_header()->set_number(8);
  EXPECT_NE((*BlockSignatures(block))[0].signature, FakeSigner::SignatureOf("orderer1-identity",
                                                                            (*BlockSignatures(block))[0].data));
}

TEST(BlockTest, SignerFailureIsReported) {
  ::common::Block block = NewBlock(1, "", {});
  FailingSigner signer("x");
  EXPECT_THAT(SignBlock(&block, signer, 0, "").message(), HasSubstr("signing block"));
}

TEST(BlockTest, MalformedMetadataIsInvalidArgument) {
  ::common::Block no_metadata;
  EXPECT_THAT(BlockSignatures(no_metadata).status().message(), HasSubstr("no SIGNATURES metadata"));
  ::common::Block garbage = NewBlock(2, "", {});
  garbage.mutable_metadata()->set_metadata(::common::SIGNATURES, "\xff\xff\xff");
  EXPECT_EQ(BlockSignatures(garbage).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(LastConfigIndex(garbage).status().code(), absl::StatusCode::kInvalidArgument);
  ::common::Block unsigned_block = NewBlock(3, "", {});
  EXPECT_TRUE(BlockSignatures(unsigned_block)->empty());
  EXPECT_THAT(LastConfigIndex(unsigned_block).status().message(), HasSubstr("records no last config"));
}

}  // namespace
}  // namespace careledger::protoutil
