#include "common/crypto/parallel_verify.h"

#include "gtest/gtest.h"

namespace careledger::crypto {
namespace {

TEST(ParallelVerifyTest, MatchesSequentialVerificationIncludingFailures) {
  ThreadPool pool(2);
  std::vector<PrivateKey> keys;
  for (int i = 0; i < 4; ++i) keys.push_back(*PrivateKey::Generate());
  std::vector<std::string> messages;
  std::vector<std::string> signatures;
  for (int i = 0; i < 64; ++i) {
    messages.push_back("tx " + std::to_string(i));
    signatures.push_back(*keys[i % 4].Sign(messages.back()));
  }
  signatures[5] = signatures[6];        // valid signature of another message: Unauthenticated
  signatures[9] = "\x30\x02\x02\x00";   // malformed: InvalidArgument
  std::vector<SignatureCheck> checks;
  for (int i = 0; i < 64; ++i) checks.push_back({&keys[i % 4].public_key(), messages[i], signatures[i]});
  checks[20].key = &keys[0].public_key();  // signed by keys[0]: 20 % 4 == 0, stays valid
  checks[21].key = &keys[0].public_key();  // signed by keys[1]: wrong key

  std::vector<absl::Status> results = VerifyAll(checks, pool);
  ASSERT_EQ(results.size(), checks.size());
  for (size_t i = 0; i < checks.size(); ++i) {
    EXPECT_EQ(results[i], checks[i].key->Verify(checks[i].message, checks[i].signature)) << i;
  }
  EXPECT_EQ(results[5].code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(results[9].code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(results[20].ok());
  EXPECT_EQ(results[21].code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(VerifyAll({}, pool).empty());
}

}  // namespace
}  // namespace careledger::crypto
