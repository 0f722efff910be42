// Three careledger-orderer processes joined to a channel through the channel participation API, as an
// operator does it with osnadmin or `careledger orderer channel`.
#include <signal.h>

#include "absl/strings/str_cat.h"
#include "common/file/file_io.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/orderer/orderer_network.h"
#include "tests/testing/process.h"

namespace careledger::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kChannel[] = "healthchannel";

class OrdererAdminIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    OrdererNetworkOptions options;
    options.orderer_binary = CARELEDGER_ORDERER_BINARY;
    auto net = OrdererNetwork::Create(dir_.path(), options);
    ASSERT_TRUE(net.ok()) << net.status();
    net_ = *std::move(net);
  }

  void TearDown() override {
    if (HasFailure() && net_ != nullptr) std::cerr << net_->LogTails();
    net_.reset();  // kills whatever still runs
  }

  // Runs `careledger` to completion; its stdout and stderr end up in `output`.
  int RunCli(const std::vector<std::string>& args, std::string* output) {
    ProcessOptions options;
    options.executable = CARELEDGER_CLI_BINARY;
    options.args = args;
    options.log_path = dir_.Path(absl::StrCat("cli-", cli_runs_++, ".log"));
    auto process = Process::Start(options);
    EXPECT_TRUE(process.ok()) << process.status();
    if (!process.ok()) return -1;
    absl::StatusOr<int> code = (*process)->Wait(absl::Seconds(60));
    EXPECT_TRUE(code.ok()) << code.status();
    *output = (*process)->ReadLog();
    return code.value_or(-1);
  }

  std::vector<std::string> Cli(std::vector<std::string> command, int orderer) {
    std::vector<std::string> flags = net_->AdminCliFlags(orderer);
    command.insert(command.end(), flags.begin(), flags.end());
    return command;
  }

  ScopedTempDir dir_;
  std::unique_ptr<OrdererNetwork> net_;
  int cli_runs_ = 0;
};

TEST_F(OrdererAdminIntegrationTest, JoinsThreeOrderersToAChannelThroughTheAdminApi) {
  ASSERT_TRUE(net_->StartAll().ok()) << net_->LogTails();
  absl::StatusOr<::common::Block> genesis = net_->GenesisBlock(kChannel);
  ASSERT_TRUE(genesis.ok()) << genesis.status();

  for (int i = 0; i < net_->size(); ++i) {
    absl::StatusOr<participation::ParticipationClient> admin = net_->Admin(i);
    ASSERT_TRUE(admin.ok()) << admin.status();
    absl::StatusOr<participation::ParticipationReply> joined = admin->Join(genesis->SerializeAsString());
    ASSERT_TRUE(joined.ok()) << joined.status();
    ASSERT_EQ(joined->status, 201) << "orderer" << i << ": " << joined->body;
    EXPECT_EQ(joined->location, "/participation/v1/channels/healthchannel");
    const nlohmann::json info = nlohmann::json::parse(joined->body);
    EXPECT_EQ(info.at("name"), kChannel);
    EXPECT_EQ(info.at("consensusRelation"), "consenter");
    EXPECT_EQ(info.at("status"), "active");
    EXPECT_EQ(info.at("height"), 1);
  }

  for (int i = 0; i < net_->size(); ++i) {
    absl::StatusOr<participation::ParticipationReply> list = net_->Admin(i)->List();
    ASSERT_TRUE(list.ok()) << list.status();
    EXPECT_EQ(list->status, 200);
    const nlohmann::json channels = nlohmann::json::parse(list->body);
    EXPECT_TRUE(channels.at("systemChannel").is_null());
    ASSERT_EQ(channels.at("channels").size(), 1u) << list->body;
    EXPECT_EQ(channels.at("channels").at(0).at("name"), kChannel);
    EXPECT_EQ(channels.at("channels").at(0).at("url"), "/participation/v1/channels/healthchannel");
  }

  // The three consenters found each other over the cluster's mutual TLS: one of them leads the channel.
  EXPECT_TRUE(WaitUntil(
      [&] {
        for (int i = 0; i < net_->size(); ++i) {
          if (net_->orderer(i).process->ReadLog().find("leading channel=healthchannel") != std::string::npos) {
            return true;
          }
        }
        return false;
      },
      absl::Seconds(60)))
      << "no orderer leads healthchannel";

  // Joining again is Fabric's 405.
  absl::StatusOr<participation::ParticipationReply> again = net_->Admin(0)->Join(genesis->SerializeAsString());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->status, 405);
  EXPECT_EQ(again->allow, "GET, DELETE");
  EXPECT_EQ(again->ErrorMessage(), "cannot join: channel already exists");

  // The same through the command-line tool.
  std::string output;
  EXPECT_EQ(RunCli(Cli({"orderer", "channel", "list"}, 1), &output), 0) << output;
  EXPECT_THAT(output, HasSubstr("\"name\":\"healthchannel\""));
  EXPECT_EQ(RunCli(Cli({"orderer", "channel", "info", "--channel", kChannel}, 2), &output), 0) << output;
  EXPECT_THAT(output, HasSubstr("\"consensusRelation\":\"consenter\""));
  const std::string block_file = dir_.Path("healthchannel.block");
  ASSERT_TRUE(file::WriteFileAtomic(block_file, genesis->SerializeAsString()).ok());
  std::vector<std::string> join = Cli({"orderer", "channel", "join", "--config-block", block_file}, 2);
  EXPECT_EQ(RunCli(join, &output), 1) << output;
  EXPECT_THAT(output, HasSubstr("replied 405: cannot join: channel already exists"));
  // `careledger peer channel` is the same code over the same API (common/participation): until a peer process
  // exists, it is driven here against an orderer's listener; its errors name the node kind it was asked for.
  EXPECT_EQ(RunCli(Cli({"peer", "channel", "list"}, 0), &output), 0) << output;
  EXPECT_THAT(output, HasSubstr("\"name\":\"healthchannel\""));
  EXPECT_EQ(RunCli(Cli({"peer", "channel", "remove", "--channel", "otherchannel"}, 0), &output), 1) << output;
  EXPECT_THAT(output, HasSubstr("peer admin at " + net_->admin_address(0) +
                                " replied 404: cannot remove: channel does not exist"));

  // A restarted orderer serves the channel it joined.
  absl::StatusOr<int> stopped = net_->Stop(1);
  ASSERT_TRUE(stopped.ok()) << stopped.status();
  EXPECT_EQ(*stopped, 0) << "SIGTERM must stop the orderer gracefully";
  ASSERT_TRUE(net_->Start(1).ok()) << net_->LogTails();
  absl::StatusOr<participation::ParticipationReply> info = net_->Admin(1)->Info(kChannel);
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->status, 200) << info->body;

  for (int i = 0; i < net_->size(); ++i) {
    absl::StatusOr<int> code = net_->Stop(i);
    ASSERT_TRUE(code.ok()) << code.status();
    EXPECT_EQ(*code, 0) << net_->orderer(i).name;
  }
}

TEST_F(OrdererAdminIntegrationTest, RefusesAPortInUseAndExitsWithAnError) {
  ASSERT_TRUE(net_->Start(0).ok()) << net_->LogTails();
  ProcessOptions options;
  options.executable = CARELEDGER_ORDERER_BINARY;
  options.args = {"--config", net_->orderer(0).config_path};
  options.log_path = dir_.Path("second.log");
  auto second = Process::Start(options);
  ASSERT_TRUE(second.ok()) << second.status();
  absl::StatusOr<int> code = (*second)->Wait(absl::Seconds(60));
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 1);
  EXPECT_THAT((*second)->ReadLog(), HasSubstr("cannot listen on 127.0.0.1:"));
  EXPECT_TRUE(net_->orderer(0).process->IsRunning());
}

TEST_F(OrdererAdminIntegrationTest, ShowsItsEffectiveConfigurationWithEnvironmentOverrides) {
  ProcessOptions options;
  options.executable = CARELEDGER_ORDERER_BINARY;
  options.args = {"config", "show", "--config", net_->orderer(0).config_path};
  options.env = {{"ORDERER_GENERAL_KEEPALIVE_SERVERTIMEOUT", "7s"}};
  options.log_path = dir_.Path("show.log");
  auto show = Process::Start(options);
  ASSERT_TRUE(show.ok()) << show.status();
  absl::StatusOr<int> code = (*show)->Wait(absl::Seconds(30));
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(*code, 0) << (*show)->ReadLog();
  const std::string output = (*show)->ReadLog();
  EXPECT_THAT(output, HasSubstr(absl::StrCat("General.ListenPort: ", net_->orderer(0).port)));
  EXPECT_THAT(output, HasSubstr("$ORDERER_GENERAL_KEEPALIVE_SERVERTIMEOUT"));

  options.args = {"--config", dir_.Path("missing.yaml")};
  options.log_path = dir_.Path("missing.log");
  auto missing = Process::Start(options);
  ASSERT_TRUE(missing.ok());
  code = (*missing)->Wait(absl::Seconds(30));
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(*code, 1);
  EXPECT_THAT((*missing)->ReadLog(), HasSubstr("missing.yaml"));
}

}  // namespace
}  // namespace careledger::testing
