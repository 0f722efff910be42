// One configuration value as the program finally used it, for `careledger-peer config show`.
#ifndef CARELEDGER_COMMON_CONFIG_EFFECTIVE_VALUE_H_
#define CARELEDGER_COMMON_CONFIG_EFFECTIVE_VALUE_H_

#include <string>

namespace careledger::config {

struct EffectiveValue {
  enum class Source { kFile, kEnvironment, kDefault };

  std::string path;   // full key path: "General.Cluster.SendBufferSize", "Organizations[0].Name"
  std::string value;  // display form: strings quoted and escaped, durations "1m30s", sizes "2097152 (2 MiB)",
                      // lists ["a", "b"]; "(redacted)" for values read as secrets
  Source source = Source::kDefault;
  std::string origin;  // "orderer.yaml:12:3", "$ORDERER_GENERAL_LISTENPORT" or "default"
};

}  // namespace careledger::config

#endif  // CARELEDGER_COMMON_CONFIG_EFFECTIVE_VALUE_H_
