#include "common/config/set_flags.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::config {
namespace {

using ::testing::HasSubstr;

TEST(SetFlagsTest, BecomeThePrefixedVariablesAndWinOverTheEnvironment) {
  const Environment environment({{"ORDERER_GENERAL_LISTENPORT", "7050"}, {"HOME", "/root"}});
  absl::StatusOr<Environment> applied = ApplySetFlags(
      environment, "ORDERER", {"General.ListenPort=7060", "Logging.Spec=info:orderer.raft=debug", "Admin.Empty="});
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_EQ(applied->Get("ORDERER_GENERAL_LISTENPORT"), "7060");
  EXPECT_EQ(applied->Get("ORDERER_LOGGING_SPEC"), "info:orderer.raft=debug");  // '=' in a value is kept
  EXPECT_EQ(applied->Get("ORDERER_ADMIN_EMPTY"), "");
  EXPECT_EQ(applied->Get("HOME"), "/root");
}

TEST(SetFlagsTest, RefuseFlagsThatAreNotKeyEqualsValue) {
  for (const std::string bad : {"General.ListenPort", "=7060", "General..Port=1", ".General=1", "General.=1",
                                "General.Listen Port=1", "9General=1", "General_ListenPort=1"}) {
    absl::StatusOr<Environment> applied = ApplySetFlags(Environment(), "ORDERER", {bad});
    ASSERT_FALSE(applied.ok()) << bad;
    EXPECT_EQ(applied.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(applied.status().message(), HasSubstr("'" + bad + "'"));
  }
}

}  // namespace
}  // namespace careledger::config
