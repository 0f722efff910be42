#include "common/crypto/aes_gcm.h"

#include "common/crypto/random.h"
#include "common/encoding/hex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::crypto {
namespace {

using ::testing::HasSubstr;

std::string Unhex(std::string_view hex) { return *HexDecode(hex); }

// NIST GCM test vector (gcmEncryptExtIV256.rsp, Keylen 256, IVlen 96, PTlen 128, AADlen 0, Count 0).
TEST(AesGcmTest, NistKnownAnswer) {
  const std::string key = Unhex("31bdadd96698c204aa9ce1448ea94ae1fb4a9a0b3c9d773b51bb1822666b8f22");
  const std::string iv = Unhex("0d18e06c7c725ac9e362e1ce");
  const std::string pt = Unhex("2db5168e932556f8089a0622981d017d");
  auto sealed = Aes256GcmSeal(key, iv, pt, "");
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  EXPECT_EQ(HexEncode(*sealed), "fa4362189661d163fcd6a56d8bf0405ad636ac1bbedd5cc3ee727dc2ab4a9489");
  EXPECT_EQ(*Aes256GcmOpen(key, iv, *sealed, ""), pt);
}

TEST(AesGcmTest, RoundTripWithAssociatedData) {
  const std::string key = *RandomBytes(kAes256KeySize);
  const std::string nonce = *RandomBytes(kGcmNonceSize);
  const std::string document(100000, 'd');
  auto sealed = Aes256GcmSeal(key, nonce, document, "record R-1 v2");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->size(), document.size() + kGcmTagSize);
  EXPECT_EQ(*Aes256GcmOpen(key, nonce, *sealed, "record R-1 v2"), document);
  EXPECT_EQ(*Aes256GcmOpen(key, nonce, *Aes256GcmSeal(key, nonce, "", ""), ""), "");
}

TEST(AesGcmTest, AnyAlterationIsDataLoss) {
  const std::string key = *RandomBytes(kAes256KeySize);
  const std::string nonce = *RandomBytes(kGcmNonceSize);
  const std::string sealed = *Aes256GcmSeal(key, nonce, "discharge summary", "aad");
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string tampered = sealed;
    tampered[i] = static_cast<char>(tampered[i] ^ 1);
    auto opened = Aes256GcmOpen(key, nonce, tampered, "aad");
    EXPECT_EQ(opened.status().code(), absl::StatusCode::kDataLoss) << "byte " << i;
  }
  EXPECT_EQ(Aes256GcmOpen(key, nonce, sealed, "other aad").status().code(), absl::StatusCode::kDataLoss);
  std::string other_nonce = nonce;
  other_nonce[0] = static_cast<char>(other_nonce[0] ^ 1);
  EXPECT_EQ(Aes256GcmOpen(key, other_nonce, sealed, "aad").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(Aes256GcmOpen(*RandomBytes(32), nonce, sealed, "aad").status().code(), absl::StatusCode::kDataLoss);
}

TEST(AesGcmTest, RejectsBadSizes) {
  const std::string key(32, 'k');
  const std::string nonce(12, 'n');
  EXPECT_THAT(Aes256GcmSeal("short", nonce, "x", "").status().message(), HasSubstr("must be 32 bytes, got 5"));
  EXPECT_THAT(Aes256GcmSeal(key, "n", "x", "").status().message(), HasSubstr("must be 12 bytes, got 1"));
  EXPECT_THAT(Aes256GcmOpen(key, nonce, "tiny", "").status().message(), HasSubstr("shorter than a tag"));
}

}  // namespace
}  // namespace careledger::crypto
