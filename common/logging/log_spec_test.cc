#include "common/logging/log_spec.h"

#include <string>

#include "absl/status/status.h"
#include "common/logging/level.h"
#include "gtest/gtest.h"

namespace careledger::logging {
namespace {

std::string ErrorOf(std::string_view spec) {
  const absl::StatusOr<LogSpec> parsed = LogSpec::Parse(spec);
  EXPECT_FALSE(parsed.ok()) << spec;
  if (parsed.ok()) return "";
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(parsed.status().message());
}

TEST(LevelTest, NamesRoundTrip) {
  for (const Level level : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    EXPECT_EQ(*ParseLevel(LevelName(level)), level);
  }
  EXPECT_EQ(*ParseLevel("WARNING"), Level::kWarn);
  EXPECT_EQ(*ParseLevel("Debug"), Level::kDebug);
  EXPECT_EQ(ParseLevel("verbose").status().message(),
            "unknown log level \"verbose\" (expected debug, info, warn or error)");
  EXPECT_EQ(ParseLevel("FATAL").status().message(),
            "unknown log level \"FATAL\" (expected debug, info, warn or error; CareLedger logging never stops the "
            "process, so there is no fatal level)");
}

TEST(LogSpecTest, DefaultOnly) {
  EXPECT_EQ(LogSpec::Parse("warn")->default_level(), Level::kWarn);
  EXPECT_EQ(LogSpec::Parse("")->default_level(), Level::kInfo);
  EXPECT_EQ(LogSpec::Parse("  ")->default_level(), Level::kInfo);
  EXPECT_EQ(LogSpec().ToString(), "info");
}

TEST(LogSpecTest, ModuleLevelsApplyToTheModuleAndBelow) {
  const absl::StatusOr<LogSpec> spec = LogSpec::Parse("warn:orderer.raft=debug:peer.gossip=error:peer=info");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->LevelFor("orderer.raft"), Level::kDebug);
  EXPECT_EQ(spec->LevelFor("orderer.raft.storage"), Level::kDebug);
  EXPECT_EQ(spec->LevelFor("orderer.raftx"), Level::kWarn);  // not below orderer.raft
  EXPECT_EQ(spec->LevelFor("orderer"), Level::kWarn);
  EXPECT_EQ(spec->LevelFor("peer.gossip.pull"), Level::kError);  // longest match wins over "peer"
  EXPECT_EQ(spec->LevelFor("peer.committer"), Level::kInfo);
  EXPECT_EQ(spec->LevelFor("msp"), Level::kWarn);
}

TEST(LogSpecTest, SharedLevelsBlanksAndDefaultAnywhere) {
  const absl::StatusOr<LogSpec> spec = LogSpec::Parse(" gossip , msp = debug : error : ledger=WARNING ");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->default_level(), Level::kError);
  EXPECT_EQ(spec->LevelFor("gossip"), Level::kDebug);
  EXPECT_EQ(spec->LevelFor("msp.cache"), Level::kDebug);
  EXPECT_EQ(spec->LevelFor("ledger"), Level::kWarn);
}

TEST(LogSpecTest, ToStringIsCanonicalAndRoundTrips) {
  const absl::StatusOr<LogSpec> spec = LogSpec::Parse("peer.gossip=error:warn:policies,orderer.raft=debug");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->ToString(), "orderer.raft,policies=debug:peer.gossip=error:warn");
  EXPECT_EQ(*LogSpec::Parse(spec->ToString()), *spec);
}

TEST(LogSpecTest, PreciseErrors) {
  EXPECT_EQ(ErrorOf("warn:orderer.raft=verbose"),
            "invalid logging spec \"warn:orderer.raft=verbose\": term 2 \"orderer.raft=verbose\": unknown log level "
            "\"verbose\" (expected debug, info, warn or error)");
  EXPECT_EQ(
      ErrorOf("info::gossip=debug"),
      "invalid logging spec \"info::gossip=debug\": term 2 \"\": empty term (two ':' in a row, or one at an end)");
  EXPECT_EQ(ErrorOf("info:"),
            "invalid logging spec \"info:\": term 2 \"\": empty term (two ':' in a row, or one at an end)");
  EXPECT_EQ(ErrorOf("info:warn"),
            "invalid logging spec \"info:warn\": term 2 \"warn\": the default level is given twice (info and warn)");
  EXPECT_EQ(ErrorOf("a=debug:b,a=info"),
            "invalid logging spec \"a=debug:b,a=info\": term 2 \"b,a=info\": module a is given a level twice");
  EXPECT_EQ(ErrorOf("orderer..raft=debug"),
            "invalid logging spec \"orderer..raft=debug\": term 1 \"orderer..raft=debug\": invalid module name "
            "\"orderer..raft\" (expected names like orderer.raft: letters, digits, '_' and '-', joined by single "
            "dots)");
  EXPECT_EQ(ErrorOf("=debug"),
            "invalid logging spec \"=debug\": term 1 \"=debug\": invalid module name \"\" (expected names like "
            "orderer.raft: letters, digits, '_' and '-', joined by single dots)");
  EXPECT_EQ(ErrorOf("gossip,=debug"),
            "invalid logging spec \"gossip,=debug\": term 1 \"gossip,=debug\": invalid module name \"\" (expected "
            "names like orderer.raft: letters, digits, '_' and '-', joined by single dots)");
  EXPECT_EQ(ErrorOf("gossip="),
            "invalid logging spec \"gossip=\": term 1 \"gossip=\": unknown log level \"\" (expected debug, info, warn "
            "or error)");
  EXPECT_EQ(ErrorOf("a=b=debug"),
            "invalid logging spec \"a=b=debug\": term 1 \"a=b=debug\": unknown log level \"b=debug\" (expected debug, "
            "info, warn or error)");
  EXPECT_EQ(ErrorOf("peer gossip=debug"),
            "invalid logging spec \"peer gossip=debug\": term 1 \"peer gossip=debug\": invalid module name \"peer "
            "gossip\" (expected names like orderer.raft: letters, digits, '_' and '-', joined by single dots)");
  // A hostile spec is quoted, escaped and cut in the message.
  EXPECT_EQ(ErrorOf("x\ny=debug").find('\n'), std::string::npos);
}

TEST(ModuleNameTest, Syntax) {
  for (const char* name : {"peer", "peer.gossip", "orderer.raft-2", "a_b.c1"})
    EXPECT_TRUE(IsValidModuleName(name)) << name;
  for (const char* name : {"", ".", "a.", ".a", "a..b", "a b", "a:b", "a=b", "a,b", "é"}) {
    EXPECT_FALSE(IsValidModuleName(name)) << name;
  }
}

}  // namespace
}  // namespace careledger::logging
