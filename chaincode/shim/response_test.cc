#include "careledger/shim/response.h"

#include "gtest/gtest.h"

namespace careledger::shim {
namespace {

TEST(ResponseTest, HelpersUseFabricsStatuses) {
  const Response ok = Success("payload");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.payload, "payload");
  EXPECT_TRUE(ok.message.empty());
  EXPECT_EQ(Success().payload, "");

  const Response error = Error("no such patient");
  EXPECT_EQ(error.status, 500);
  EXPECT_EQ(error.message, "no such patient");
  EXPECT_TRUE(error.payload.empty());
  EXPECT_LT(ok.status, kErrorThreshold);
  EXPECT_GE(error.status, kErrorThreshold);
}

}  // namespace
}  // namespace careledger::shim
