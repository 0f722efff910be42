// careledger-peer: a CareLedger peer node. The command line is every node's (common/nodeconfig/node_main.h):
//
//   careledger-peer [--config core.yaml] [--set key.path=value ...]   run until SIGTERM or SIGINT
//   careledger-peer config show [--config core.yaml] [--set ...]     print every key as the node would use it
//
// CORE_* environment variables override the file's keys (peer/config/peer_config.h).
#include "common/nodeconfig/node_main.h"
#include "peer/config/peer_config.h"
#include "peer/server/peer_server.h"

int main(int argc, char** argv) {
  using careledger::peer::PeerConfig;
  using careledger::peer::PeerServer;
  careledger::nodeconfig::NodeProgram<PeerConfig, PeerServer> program{
      .name = "careledger-peer",
      .description = "careledger-peer: a CareLedger peer, serving Fabric's Gateway, Endorser and Deliver",
      .default_config = "core.yaml",
      .environment_prefix = careledger::peer::kPeerEnvironmentPrefix,
      .set_example = "peer.listenAddress=0.0.0.0:7061",
      .logger = "peer.server",
      .load = [](const std::string& path,
                 const careledger::config::Environment& environment) {
        return careledger::peer::LoadPeerConfig(path, environment);
      },
      .format_effective_config = [](const PeerConfig& config) { return careledger::peer::FormatEffectiveConfig(config); },
      .start = [](const PeerConfig& config) { return PeerServer::Start(config); },
  };
  return careledger::nodeconfig::RunNodeMain(argc, argv, program);
}
