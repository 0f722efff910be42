// `careledger chaincode ...` as a user runs it: the command group registered on a CLI app, parsed from argv,
// against peer1's gateway of the two-peer loopback network over TLS, signing with admins' msp folders on disk.
#include "network/cli/chaincode_commands.h"

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "common/channelconfig/test_network.h"
#include "common/file/file_io.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "msp/msp_dir.h"
#include "network/client/testing/gateway_front_door.h"
#include "peer/gateway/testing/two_peer_network.h"

namespace careledger::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

struct Outcome {
  absl::Status status;
  std::string out;
};

// Runs `careledger <args>` with only the chaincode commands registered, capturing what it prints.
Outcome RunCareledger(const std::vector<std::string>& args) {
  CLI::App app{"careledger"};
  app.require_subcommand(1);
  CommandResult result;
  RegisterChaincodeCommands(app, result);
  std::vector<const char*> argv = {"careledger"};
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  std::ostringstream out;
  std::streambuf* const cout = std::cout.rdbuf(out.rdbuf());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    result.status = absl::InvalidArgumentError(e.what());
  }
  std::cout.rdbuf(cout);
  return {result.status, out.str()};
}

// An msp folder holding a new admin of `org` (signcerts/, keystore/, cacerts/).
void WriteAdminMsp(const msp::testing::TestOrg& org, const std::string& dir) {
  auto [cert, key] = org.IssueWithKey("admin-cli." + org.msp_id(), {"admin"});
  msp::MspFolder folder;
  folder.ca_certs = {org.root_cert()};
  folder.sign_cert = cert;
  folder.private_key = key;
  absl::Status written = msp::WriteMspFolder(dir, folder);
  ASSERT_TRUE(written.ok()) << written;
}

class ChaincodeCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(net_.ok());
    ASSERT_TRUE(door_.ok());
    WriteAdminMsp(channelconfig::testing::Network().hospital1(), dir_.Path("admin1/msp"));
    WriteAdminMsp(channelconfig::testing::Network().hospital2(), dir_.Path("admin2/msp"));
    ASSERT_TRUE(file::WriteFileAtomic(dir_.Path("tlsca.pem"), door_.tls_ca_pem()).ok());
  }

  // `chaincode <command>` with the connection flags of hospital `org` (1 or 2)'s admin, then `more`.
  std::vector<std::string> Command(const std::string& command, int org, const std::vector<std::string>& more) {
    std::vector<std::string> args = {"chaincode",
                                     command,
                                     "--peer",
                                     door_.address(),
                                     "--tls-ca-file",
                                     dir_.Path("tlsca.pem"),
                                     "--server-name",
                                     client::testing::kPeerHostName,
                                     "--msp-dir",
                                     dir_.Path("admin" + std::to_string(org) + "/msp"),
                                     "--msp-id",
                                     "Hospital" + std::to_string(org) + "MSP",
                                     "-C",
                                     gateway::testing::kChannelId};
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }

  static std::vector<std::string> Definition() {
    return {"-n",         "bench", "--version",          "1.0",
            "--sequence", "1",     "--signature-policy", "AND('Hospital1MSP.peer','Hospital2MSP.peer')"};
  }
  static std::vector<std::string> Plus(std::vector<std::string> args, const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }

  careledger::testing::ScopedTempDir dir_;
  gateway::testing::TwoPeerNetwork net_;
  client::testing::GatewayFrontDoor door_{net_, client::testing::Security::kTls};
};

TEST_F(ChaincodeCommandsTest, InstallPrintsThePackageIdAndCopiesTheLibrary) {
  const std::string library = dir_.Path("librecords.so");
  ASSERT_TRUE(file::WriteFileAtomic(library, std::string("\177ELF") + "careledger test chaincode").ok());
  ASSERT_TRUE(file::CreateDirectories(dir_.Path("installed")).ok());
  Outcome installed = RunCareledger(
      {"chaincode", "install", "--file", library, "--label", "records_1.0", "--install-dir", dir_.Path("installed")});
  ASSERT_TRUE(installed.status.ok()) << installed.status;
  const std::string hash = "9c2a780ee3b99a416187bcda781e05e47da24f0660db5d0ad0936ddf65298110";
  EXPECT_EQ(installed.out, "records_1.0:" + hash + "\n");
  EXPECT_TRUE(file::Exists(dir_.Path("installed/" + hash + ".so")));

  Outcome missing = RunCareledger({"chaincode", "install", "--file", library, "--label", "records_1.0"});
  EXPECT_EQ(missing.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(missing.status.message()), HasSubstr("--install-dir is required"));
}

TEST_F(ChaincodeCommandsTest, ApproveTwiceCommitAndQuery) {
  client::testing::BlockCutter cutter(net_, door_);
  const std::string approve_package = "--package-id";
  Outcome approved1 = RunCareledger(Command("approve", 1, Plus(Definition(), {approve_package, "builtin:bench"})));
  ASSERT_TRUE(approved1.status.ok()) << approved1.status;
  EXPECT_THAT(approved1.out, MatchesRegex("approved chaincode bench sequence 1 for Hospital1MSP: transaction "
                                          "[0-9a-f]{64} VALID in block [0-9]+\n"));

  Outcome readiness = RunCareledger(Command("checkcommitreadiness", 1, Definition()));
  ASSERT_TRUE(readiness.status.ok()) << readiness.status;
  EXPECT_EQ(readiness.out,
            "Chaincode definition for chaincode 'bench', version '1.0', sequence '1' on channel 'healthchannel' "
            "approval status by org:\nHospital1MSP: true\nHospital2MSP: false\n");

  Outcome early = RunCareledger(Command("commit", 1, Definition()));
  EXPECT_EQ(early.status.code(), absl::StatusCode::kAborted);
  EXPECT_THAT(std::string(early.status.message()), HasSubstr("is not approved by enough organisations"));
  EXPECT_THAT(std::string(early.status.message()), HasSubstr("Endorse at " + door_.address()));

  Outcome approved2 = RunCareledger(Command("approve", 2, Plus(Definition(), {approve_package, "builtin:bench"})));
  ASSERT_TRUE(approved2.status.ok()) << approved2.status;
  ASSERT_TRUE(cutter.WaitUntilCut());  // the commit is endorsed on peer2 too
  Outcome committed = RunCareledger(Command("commit", 2, Definition()));
  ASSERT_TRUE(committed.status.ok()) << committed.status;
  EXPECT_THAT(committed.out, MatchesRegex("committed chaincode bench sequence 1 on channel healthchannel: "
                                          "transaction [0-9a-f]{64} VALID in block [0-9]+\n"));

  const std::string definition =
      "Version: 1.0, Sequence: 1, Endorsement Policy: AND('Hospital1MSP.peer', 'Hospital2MSP.peer'), "
      "Init Required: false, Endorsement Plugin: escc, Validation Plugin: vscc";
  Outcome one = RunCareledger(Command("querycommitted", 1, {"-n", "bench"}));
  ASSERT_TRUE(one.status.ok()) << one.status;
  EXPECT_EQ(one.out, "Committed chaincode definition for chaincode 'bench' on channel 'healthchannel':\n" + definition +
                         ", Approvals: [Hospital1MSP: true, Hospital2MSP: true]\n");
  Outcome all = RunCareledger(Command("list", 2, {}));
  ASSERT_TRUE(all.status.ok()) << all.status;
  EXPECT_EQ(all.out, "Committed chaincode definitions on channel 'healthchannel':\nName: bench, " + definition + "\n");
  Outcome json = RunCareledger(Command("querycommitted", 1, {"-n", "bench", "--output", "json"}));
  ASSERT_TRUE(json.status.ok()) << json.status;
  EXPECT_THAT(json.out, HasSubstr("\"version\": \"1.0\""));
  EXPECT_THAT(json.out, HasSubstr("\"Hospital2MSP\": true"));

  Outcome mine = RunCareledger(Command("queryapproved", 2, {"-n", "bench"}));
  ASSERT_TRUE(mine.status.ok()) << mine.status;
  EXPECT_EQ(mine.out,
            "Approved chaincode definition for chaincode 'bench' on channel 'healthchannel':\n"
            "sequence: 1, version: 1.0, init-required: false, package-id: builtin:bench, endorsement plugin: escc, "
            "validation plugin: vscc, endorsement policy: AND('Hospital1MSP.peer', 'Hospital2MSP.peer')\n");
}

TEST_F(ChaincodeCommandsTest, WrongCommandLinesAndUnreachablePeersFailClearly) {
  Outcome both = RunCareledger(Command("approve", 1, Plus(Definition(), {"--channel-config-policy", "/Channel/X"})));
  EXPECT_EQ(both.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(both.status.message()), HasSubstr("excludes"));

  Outcome timeout = RunCareledger(Command("list", 1, {"--timeout", "soon"}));
  EXPECT_EQ(timeout.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(timeout.status.message()), HasSubstr("--timeout 'soon'"));

  std::vector<std::string> no_msp = Command("list", 1, {});
  no_msp[9] = dir_.Path("nobody/msp");
  Outcome missing = RunCareledger(no_msp);
  EXPECT_EQ(missing.status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(missing.status.message()), HasSubstr("--msp-dir " + dir_.Path("nobody/msp")));

  std::vector<std::string> nowhere = Command("list", 1, {"--timeout", "5s"});
  nowhere[3] = "127.0.0.1:1";
  Outcome unreachable = RunCareledger(nowhere);
  EXPECT_EQ(unreachable.status.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(unreachable.status.message()), HasSubstr("Evaluate at 127.0.0.1:1: "));

  Outcome empty = RunCareledger(Command("list", 1, {}));
  ASSERT_TRUE(empty.status.ok()) << empty.status;
  EXPECT_EQ(empty.out, "No chaincode definition is committed on channel 'healthchannel'\n");
}

}  // namespace
}  // namespace careledger::cli
