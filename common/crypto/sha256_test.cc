#include "common/crypto/sha256.h"

#include "common/encoding/hex.h"
#include "gtest/gtest.h"

namespace careledger::crypto {
namespace {

// FIPS 180-2 test vectors.
TEST(Sha256Test, KnownAnswers) {
  EXPECT_EQ(HexEncode(Sha256Bytes("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexEncode(Sha256Bytes("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexEncode(Sha256Bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256Test, HasherMatchesOneShotAcrossPieces) {
  Sha256Hasher h;
  h.Update("abcdbcdecdefdefgefghfghighij");
  h.Update("");
  h.Update("hijkijkljklmklmnlmnomnopnopq");
  EXPECT_EQ(h.Finish(), Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
}

}  // namespace
}  // namespace careledger::crypto
