// careledger-orderer: a CareLedger ordering node. The command line is every node's
// (common/nodeconfig/node_main.h):
//
//   careledger-orderer [--config orderer.yaml] [--set Key.Path=value ...]   run until SIGTERM or SIGINT
//   careledger-orderer config show [--config orderer.yaml] [--set ...]      print every key as the node would use
//
// ORDERER_* environment variables override the file's keys (orderer/config/orderer_config.h).
#include "common/nodeconfig/node_main.h"
#include "orderer/config/orderer_config.h"
#include "orderer/server/orderer_server.h"

int main(int argc, char** argv) {
  using careledger::orderer::OrdererConfig;
  using careledger::orderer::OrdererServer;
  careledger::nodeconfig::NodeProgram<OrdererConfig, OrdererServer> program{
      .name = "careledger-orderer",
      .description = "careledger-orderer: a CareLedger ordering node (Raft), serving Fabric's Broadcast and Deliver",
      .default_config = "orderer.yaml",
      .environment_prefix = careledger::orderer::kOrdererEnvironmentPrefix,
      .set_example = "General.ListenPort=7060",
      .logger = "orderer.server",
      .load = [](const std::string& path,
                 const careledger::config::Environment& environment) {
        return careledger::orderer::LoadOrdererConfig(path, environment);
      },
      .format_effective_config =
          [](const OrdererConfig& config) { return careledger::orderer::FormatEffectiveConfig(config); },
      .start = [](const OrdererConfig& config) { return OrdererServer::Start(config); },
  };
  return careledger::nodeconfig::RunNodeMain(argc, argv, program);
}
