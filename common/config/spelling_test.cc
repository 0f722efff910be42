#include "common/config/spelling.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace careledger::config::internal {
namespace {

const std::vector<std::string> kKeys = {"BatchTimeout", "BatchSize", "ListenAddress", "Port", "TLS"};

TEST(ClosestSpellingTest, SuggestsTypos) {
  EXPECT_EQ(ClosestSpelling("BatchTimout", kKeys), "BatchTimeout");
  EXPECT_EQ(ClosestSpelling("ListenAdress", kKeys), "ListenAddress");
  EXPECT_EQ(ClosestSpelling("Prot", kKeys), "Port");  // a swap is one edit
  EXPECT_EQ(ClosestSpelling("BacthTiemout", kKeys), "BatchTimeout");
  EXPECT_EQ(ClosestSpelling("BatchSizes", kKeys), "BatchSize");
}

TEST(ClosestSpellingTest, CaseDifferencesAlwaysQualify) {
  EXPECT_EQ(ClosestSpelling("batchtimeout", kKeys), "BatchTimeout");
  EXPECT_EQ(ClosestSpelling("tls", kKeys), "TLS");
}

TEST(ClosestSpellingTest, NothingCloseMeansNoSuggestion) {
  EXPECT_EQ(ClosestSpelling("Orderer", kKeys), std::nullopt);
  EXPECT_EQ(ClosestSpelling("URL", kKeys), std::nullopt);  // 3 edits from "TLS"
  EXPECT_EQ(ClosestSpelling("", kKeys), std::nullopt);
  EXPECT_EQ(ClosestSpelling("Port", {}), std::nullopt);
  EXPECT_EQ(ClosestSpelling(std::string(1 << 20, 'x'), kKeys), std::nullopt);
}

TEST(ClosestSpellingTest, PrefersTheNearest) {
  EXPECT_EQ(ClosestSpelling("BatchSiz", {"BatchSize", "BatchSiz1"}), "BatchSize");  // tie: first wins
  EXPECT_EQ(ClosestSpelling("Timeout2", {"Timeouts", "Timeout"}), "Timeouts");
  EXPECT_EQ(ClosestSpelling("Timeou", {"Timeouts", "Timeout"}), "Timeout");
}

}  // namespace
}  // namespace careledger::config::internal
