#include "common/crypto/ecdsa.h"

#include <openssl/bn.h>
#include <openssl/ec.h>

#include <atomic>
#include <thread>
#include <vector>

#include "common/encoding/hex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::crypto {
namespace {

using ::testing::HasSubstr;

// Fixtures made with the openssl CLI, independently of this code:
//   openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out k.pem
//   printf 'CareLedger known answer' > msg; openssl dgst -sha256 -sign k.pem -out sig.der msg   (repeated)
constexpr char kPkcs8Pem[] = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgj2Ncr1OQaUVRdhYc
ChmUjgUj7MltvoMMYTFpfUIzFeahRANCAAREc9rK36aPG6RgpC7FKZFIERqi2TR0
HDyxJv0HyVF8gsQ052/1AsLU1mKC+XHuIwrJK92D/LNX2ZrLMFvrwmHn
-----END PRIVATE KEY-----
)";
constexpr char kSec1Pem[] = R"(-----BEGIN EC PRIVATE KEY-----
MHcCAQEEII9jXK9TkGlFUXYWHAoZlI4FI+zJbb6DDGExaX1CMxXmoAoGCCqGSM49
AwEHoUQDQgAERHPayt+mjxukYKQuxSmRSBEaotk0dBw8sSb9B8lRfILENOdv9QLC
1NZigvlx7iMKySvdg/yzV9mayzBb68Jh5w==
-----END EC PRIVATE KEY-----
)";
constexpr char kPublicPem[] = R"(-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAERHPayt+mjxukYKQuxSmRSBEaotk0
dBw8sSb9B8lRfILENOdv9QLC1NZigvlx7iMKySvdg/yzV9mayzBb68Jh5w==
-----END PUBLIC KEY-----
)";
constexpr char kMessage[] = "CareLedger known answer";
// s = 39a6... (below n/2).
constexpr char kLowSSignatureHex[] =
    "3045022100efd8661157d6c1b5d6f999f2bf09386643c2a057d22ae41e5b8dbe29145aad27022039a638a76b56718fbdc9a5ebf257f1"
    "755002f5a6f6ff59286e16c1ad0add8f23";
// s = f995... (above n/2): mathematically valid, but the malleable form.
constexpr char kHighSSignatureHex[] =
    "3046022100aa548a316f36d3b4dfd06132daba2fad6305f5b2b38b30c5996080cc5433a149022100f995ec1be46ec90947a5d08b92e9"
    "42846f4c41711382e6d479d1377b45dfc007";
constexpr char kRsaPublicPem[] = R"(-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC1G8wB9vFskZcK/wWYoekLbmXC
d7j7dpzLNNJ5N7j0mwy2kiUamTdE0qZSP290H6fjCErA+yAXoSvxlAL6FS2r4ENg
KLhYOh5VLygZoelKUmkX+UhFBFGYL8iRq8AwgNaZF+Iub6gTf1zbRWlzJOnkqNcc
xKJjHGhaZwtXaw4G1QIDAQAB
-----END PUBLIC KEY-----
)";
constexpr char kP384PublicPem[] = R"(-----BEGIN PUBLIC KEY-----
MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEq68ltT9KFFtPw2iA9jUuS3KIIO3brCGT
eUkRW956RteAwl4OetHVIwb2s8r6gN18YLRkexK9RxMU0QF2Ai5CD8NR4972I85U
WiR2zdpdIjlhyJRQnlxDHqaoE6F0FYZH
-----END PUBLIC KEY-----
)";

std::string Unhex(std::string_view hex) { return *HexDecode(hex); }

// Returns the S value of a DER signature, using OpenSSL directly (independent of the code under test).
std::string SOf(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  char* hex = BN_bn2hex(ECDSA_SIG_get0_s(sig));
  std::string out(hex);
  OPENSSL_free(hex);
  ECDSA_SIG_free(sig);
  return out;
}

TEST(EcdsaTest, VerifiesSignatureMadeByOpensslCli) {
  auto key = PublicKey::FromPem(kPublicPem);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_TRUE(key->Verify(kMessage, Unhex(kLowSSignatureHex)).ok());
}

TEST(EcdsaTest, RejectsHighSSignatureEvenThoughMathematicallyValid) {
  auto key = PublicKey::FromPem(kPublicPem);
  ASSERT_TRUE(key.ok());
  absl::Status st = key->Verify(kMessage, Unhex(kHighSSignatureHex));
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(st.message(), HasSubstr("high S"));
}

TEST(EcdsaTest, WrongMessageOrKeyIsUnauthenticated) {
  auto key = PublicKey::FromPem(kPublicPem);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->Verify("another message", Unhex(kLowSSignatureHex)).code(), absl::StatusCode::kUnauthenticated);
  auto other = PrivateKey::Generate();
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->public_key().Verify(kMessage, Unhex(kLowSSignatureHex)).code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(EcdsaTest, SignProducesLowSSignaturesThatVerify) {
  auto key = PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  const std::string half_order = "7FFFFFFF800000007FFFFFFFFFFFFFFFDE737D56D38BCF4279DCE5617E3192A8";
  // About half of raw ECDSA signatures are high-S; 64 signatures all low-S shows normalisation happens.
  for (int i = 0; i < 64; ++i) {
    const std::string message = "message " + std::to_string(i);
    auto sig = key->Sign(message);
    ASSERT_TRUE(sig.ok()) << sig.status();
    std::string s = SOf(*sig);
    ASSERT_TRUE(s.size() < half_order.size() || (s.size() == half_order.size() && s <= half_order)) << s;
    ASSERT_TRUE(key->public_key().Verify(message, *sig).ok());
  }
}

// One key object serves many concurrent requests (an endorser signs, a validator verifies, from many threads):
// the per-key OpenSSL contexts are shared and duplicated per call, so concurrent use must be safe.
TEST(EcdsaTest, OneKeySignsAndVerifiesFromManyThreadsAtOnce) {
  const PrivateKey key = *PrivateKey::Generate();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        const std::string message = "thread " + std::to_string(t) + " message " + std::to_string(i);
        auto sig = key.Sign(message);
        if (!sig.ok() || !key.public_key().Verify(message, *sig).ok() ||
            key.public_key().Verify(message + "!", *sig).ok()) {
          failures.fetch_add(1);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(EcdsaTest, PkcsEightAndSecOneKeysAreTheSameKey) {
  auto pkcs8 = PrivateKey::FromPem(kPkcs8Pem);
  auto sec1 = PrivateKey::FromPem(kSec1Pem);
  auto pub = PublicKey::FromPem(kPublicPem);
  ASSERT_TRUE(pkcs8.ok() && sec1.ok() && pub.ok());
  EXPECT_EQ(pkcs8->public_key(), *pub);
  EXPECT_EQ(sec1->public_key(), *pub);
  EXPECT_EQ(pub->raw_point().size(), 65u);
  EXPECT_EQ(pub->raw_point()[0], '\x04');
}

TEST(EcdsaTest, PemAndDerRoundTrips) {
  auto key = PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  auto reloaded = PrivateKey::FromPem(key->ToPem());
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  EXPECT_EQ(reloaded->public_key(), key->public_key());
  EXPECT_THAT(key->ToPem(), HasSubstr("BEGIN PRIVATE KEY"));  // PKCS#8, as Fabric writes keys
  auto from_pem = PublicKey::FromPem(key->public_key().ToPem());
  auto from_der = PublicKey::FromDer(key->public_key().ToDer());
  ASSERT_TRUE(from_pem.ok() && from_der.ok());
  EXPECT_EQ(*from_pem, key->public_key());
  EXPECT_EQ(*from_der, key->public_key());
}

TEST(EcdsaTest, RejectsKeysOtherThanP256) {
  EXPECT_THAT(PublicKey::FromPem(kRsaPublicPem).status().message(), HasSubstr("not an ECDSA P-256 key"));
  EXPECT_THAT(PublicKey::FromPem(kP384PublicPem).status().message(), HasSubstr("not an ECDSA P-256 key"));
}

TEST(EcdsaTest, RejectsMalformedKeys) {
  EXPECT_EQ(PublicKey::FromPem("").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(PublicKey::FromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(PublicKey::FromDer("\x30\x03\x02\x01\x01").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(PrivateKey::FromPem(kPublicPem).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(PrivateKey::FromPem("garbage").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(PrivateKey::FromPem("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n")
                  .status()
                  .message(),
              HasSubstr("encrypted private keys are not supported"));
  auto pub = PublicKey::FromPem(kPublicPem);
  ASSERT_TRUE(pub.ok());
  const std::string der = pub->ToDer();
  EXPECT_THAT(PublicKey::FromDer(der + "x").status().message(), HasSubstr("trailing bytes"));
}

TEST(EcdsaTest, RejectsMalformedSignatures) {
  auto key = PublicKey::FromPem(kPublicPem);
  ASSERT_TRUE(key.ok());
  const std::string good = Unhex(kLowSSignatureHex);
  EXPECT_THAT(key->Verify(kMessage, "").message(), HasSubstr("empty"));
  EXPECT_EQ(key->Verify(kMessage, good.substr(0, good.size() - 1)).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(key->Verify(kMessage, good + '\0').message(), HasSubstr("trailing bytes"));
  EXPECT_EQ(key->Verify(kMessage, std::string(100, '\x30')).code(), absl::StatusCode::kInvalidArgument);
  // The same signature with its SEQUENCE length in long form (0x81 0x45): valid BER, not DER.
  std::string ber = std::string("\x30\x81", 2) + good.substr(1);
  EXPECT_EQ(key->Verify(kMessage, ber).code(), absl::StatusCode::kInvalidArgument);
  // r = 0, s = 1.
  EXPECT_EQ(key->Verify(kMessage, std::string("\x30\x06\x02\x01\x00\x02\x01\x01", 8)).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace careledger::crypto
