#include "common/protoutil/block_hash.h"

#include <cstdint>
#include <string>

#include "common/encoding/hex.h"
#include "gtest/gtest.h"

namespace careledger::protoutil {
namespace {

// Every expected value below was derived outside CareLedger, from X.690 via OpenSSL's ASN.1 generator and
// coreutils, e.g. for number 128 with empty hashes:
//
//   cat > h.cnf <<EOF
//   asn1 = SEQUENCE:hdr
//   [hdr]
//   number = INTEGER:128                       # or 0xFFFFFFFFFFFFFFFF etc.
//   prev = OCTETSTRING:                        # or FORMAT:HEX,OCTETSTRING:6da0...
//   data = OCTETSTRING:
//   EOF
//   openssl asn1parse -genconf h.cnf -out h.der -noout
//   xxd -p h.der | tr -d '\n'      # the DER
//   sha256sum < h.der              # the header hash
//
// kPreviousHash is `printf previous | sha256sum`, kDataHash is `printf data | sha256sum`.
constexpr char kPreviousHashHex[] = "6da0633528deaa0144e7b058315f0b753ec0b945163a72bf96a0d18180f9de0d";
constexpr char kDataHashHex[] = "3a6eb0790f39ac87c94f3856b2dd2c5d110e6811602261a9a923d3bb23adc8b7";

::common::BlockHeader Header(uint64_t number, std::string previous_hash, std::string data_hash) {
  ::common::BlockHeader header;
  header.set_number(number);
  header.set_previous_hash(std::move(previous_hash));
  header.set_data_hash(std::move(data_hash));
  return header;
}

std::string Unhex(std::string_view hex) { return HexDecode(hex).value(); }

struct KnownHeader {
  uint64_t number;
  const char* der_hex;
  const char* hash_hex;
};

class BlockHeaderEmptyHashesTest : public ::testing::TestWithParam<KnownHeader> {};

TEST_P(BlockHeaderEmptyHashesTest, MatchesDerAndHash) {
  const KnownHeader& known = GetParam();
  const ::common::BlockHeader header = Header(known.number, "", "");
  EXPECT_EQ(HexEncode(BlockHeaderBytes(header)), known.der_hex);
  EXPECT_EQ(HexEncode(BlockHeaderHash(header)), known.hash_hex);
}

INSTANTIATE_TEST_SUITE_P(
    Numbers, BlockHeaderEmptyHashesTest,
    ::testing::Values(
        KnownHeader{0, "300702010004000400", "1d1c288c6851505be0b47a0f8e7dfb91ab2abe6ad71cef63a3791d14588d1d0e"},
        KnownHeader{1, "300702010104000400", "3c952b183a309f9ad2ac41628d0c04583546e841ec4fec9e68b3e4c8c3788ade"},
        KnownHeader{127, "300702017f04000400", "484b0d9e2cea40ec3868d49a98ebfca0797fa5d97cdfaa5246c5eb8d5d69a446"},
        // 128 needs a leading 0x00: its top bit would make a one-byte INTEGER negative.
        KnownHeader{128, "30080202008004000400", "2fc899e6fa44ba5e41f8476f1f3955b5794feee49c827d251dcf3196e3d8af71"},
        KnownHeader{255, "3008020200ff04000400", "cf5ce161ac375224a9858c49095993d6f01bbd54fad0643571421c38512c91ef"},
        KnownHeader{256, "30080202010004000400", "3dea8319b68bbee6c105036d945e3d8e0defbc4d6b7418c5204c28a4e89eed67"},
        KnownHeader{uint64_t{1} << 63, "300f020900800000000000000004000400",
                    "3c99078af37560c5f70db1f8366eac13bddbeb421841cd407345a350874969ad"},
        KnownHeader{UINT64_MAX, "300f020900ffffffffffffffff04000400",
                    "0f867fa41161925c3205313d2156753c9ca578818e2e1b80a940aeff9317dafb"}),
    [](const ::testing::TestParamInfo<KnownHeader>& info) { return "Number" + std::to_string(info.param.number); });

TEST(BlockHeaderTest, WithHashes) {
  const ::common::BlockHeader header = Header(1, Unhex(kPreviousHashHex), Unhex(kDataHashHex));
  EXPECT_EQ(HexEncode(BlockHeaderBytes(header)),
            "3047020101"
            "04206da0633528deaa0144e7b058315f0b753ec0b945163a72bf96a0d18180f9de0d"
            "04203a6eb0790f39ac87c94f3856b2dd2c5d110e6811602261a9a923d3bb23adc8b7");
  EXPECT_EQ(HexEncode(BlockHeaderHash(header)), "1f75391ad39c8a4300326be4552c56c485699b1fb628956a72cada36a30bf0b3");
}

TEST(BlockHeaderTest, LargestNumberWithHashes) {
  const ::common::BlockHeader header = Header(UINT64_MAX, Unhex(kPreviousHashHex), Unhex(kDataHashHex));
  EXPECT_EQ(HexEncode(BlockHeaderHash(header)), "9848497c71a8cf0d36f693bc241597773b12ac2e60a51c9956afe2aaaf883de9");
}

TEST(BlockHeaderTest, ShortHashes) {
  const ::common::BlockHeader header = Header(42, "\x01\x02", "\xff");
  EXPECT_EQ(HexEncode(BlockHeaderBytes(header)), "300a02012a040201020401ff");
  EXPECT_EQ(HexEncode(BlockHeaderHash(header)), "d91b9ffc86d3e36b5a3744fc336f58f6f30cbbe300d155e45dfe607ca4f8047f");
}

TEST(BlockHeaderTest, OneByteLongFormLengths) {
  // A 200-byte previous hash (0xab each) and data hash 0102: lengths 0x81 c8 and, for the sequence, 0x81 d2.
  const ::common::BlockHeader header = Header(7, std::string(200, '\xab'), "\x01\x02");
  const std::string der = HexEncode(BlockHeaderBytes(header));
  EXPECT_EQ(der.substr(0, 16), "3081d20201070481");
  EXPECT_EQ(der.size(), 2u * 213);
  EXPECT_EQ(HexEncode(BlockHeaderHash(header)), "df4de2de62922f6cdbef6867a91fef37cbb80d6c100b1a21ac41b10ef61a700c");
}

TEST(BlockHeaderTest, TwoByteLongFormLengths) {
  // Number 0x0123456789abcdef, a 300-byte previous hash (0xcd each) and kDataHash.
  const ::common::BlockHeader header = Header(0x0123456789abcdefULL, std::string(300, '\xcd'), Unhex(kDataHashHex));
  const std::string der = HexEncode(BlockHeaderBytes(header));
  EXPECT_EQ(der.substr(0, 40), "3082015c02080123456789abcdef0482012ccdcd");
  EXPECT_EQ(HexEncode(BlockHeaderHash(header)), "ab747a697a02b31d66d93e02bd04b474d0222dee5cd9ffccb025f77b49a4cf14");
}

TEST(BlockDataHashTest, HashesTheConcatenationOfEntries) {
  ::common::BlockData data;
  data.add_data("abc");
  data.add_data("");
  data.add_data("def");
  // printf abcdef | sha256sum
  EXPECT_EQ(HexEncode(BlockDataHash(data)), "bef57ec7f53a6d40beb640a780a639c83bc29ac8a9816f1fc6c5c6dcd93c4721");
}

TEST(BlockDataHashTest, EmptyDataIsTheHashOfNothing) {
  EXPECT_EQ(HexEncode(BlockDataHash(::common::BlockData())),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

}  // namespace
}  // namespace careledger::protoutil
