// ConfigDocument: one YAML configuration file (peer.yaml, orderer.yaml, the consortium description), read
// strictly.
//
// Configuration files are untrusted operator input. Reading one goes:
//
//   ASSIGN_OR_RETURN(ConfigDocument doc, ConfigDocument::Load(path, {.environment_prefix = "ORDERER",
//                                                                     .environment = Environment::FromProcess()}));
//   ASSIGN_OR_RETURN(OrdererOptions options, ReadOrdererOptions(doc.Root()));  // getters, see config_node.h
//   RETURN_IF_ERROR(doc.CheckNoUnknownKeys());  // after everything was read: misspelt keys and variables
//
// Every error is an absl::Status whose message starts with "<file>:<line>:<column>: " (1-based), then names
// the full key path where there is one; syntax errors too:
//   orderer.yaml:7:5: General.BatchTimout: unknown key; did you mean 'BatchTimeout'?
//   orderer.yaml:3:10: invalid YAML: end of map flow not found
// The exceptions: a file that cannot be read ("<file>: cannot open: <reason>"), and values that came from
// the environment ("$VARIABLE: <key path>: ...").
//
// Environment overrides follow Fabric's viper: with prefix "CORE", key path peer.listenAddress is overridden
// by CORE_PEER_LISTENADDRESS (dots and dashes become '_', upper case). See config_node.h for which keys take
// overrides. Two key paths that differ only in case or in '.' versus '_' share a variable; CareLedger's
// schemas avoid that.
//
// Ownership and threads: a ConfigDocument owns everything; ConfigNodes are handles into it (see
// config_node.h). Not thread-safe: read a document from one thread, typically main() at start-up.
#ifndef CARELEDGER_COMMON_CONFIG_CONFIG_DOCUMENT_H_
#define CARELEDGER_COMMON_CONFIG_CONFIG_DOCUMENT_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/config/config_node.h"
#include "common/config/effective_value.h"
#include "common/config/environment.h"

namespace careledger::config {

namespace internal {
struct DocumentState;
}  // namespace internal

struct LoadOptions {
  // Prefix of override variables, used verbatim ("CORE", "ORDERER"). Empty: no overrides, and the
  // environment is not looked at.
  std::string environment_prefix{};
  // Variables considered for overrides; in main() Environment::FromProcess(), in tests a literal map.
  Environment environment{};
};

class ConfigDocument {
 public:
  // Reads and parses the file at `path`, which also names it in messages. Errors: the code of the failed
  // open/read (NotFound for a missing file, PermissionDenied, ...) with "<path>: cannot open: <reason>";
  // InvalidArgument for anything Parse rejects.
  static absl::StatusOr<ConfigDocument> Load(const std::string& path, LoadOptions options = {});

  // Parses `text`; `source_name` is the file name to show in messages. InvalidArgument for YAML syntax
  // errors and for documents that are oversized, not UTF-8, hold control characters, hold more than one
  // YAML document, repeat a key, use non-standard tags or recursive aliases, nest too deep, or have a top
  // level that is not a mapping (limits in yaml_tree.h). An empty text is an empty mapping. YAML merge keys
  // ("<<: *defaults") are resolved.
  static absl::StatusOr<ConfigDocument> Parse(std::string_view text, std::string_view source_name,
                                              LoadOptions options = {});

  ConfigDocument(ConfigDocument&&) noexcept;
  ConfigDocument& operator=(ConfigDocument&&) noexcept;
  ~ConfigDocument();

  // The top-level mapping. Errors about keys missing from it point at 1:1.
  ConfigNode Root();

  // OK if every key present in every mapping the program read was asked for, and every environment variable
  // starting with "<prefix>_" was used. Otherwise InvalidArgument listing one problem per line, in file
  // order, overrides last (at most 50, then a count of the rest):
  //   peer.yaml:9:5: peer.gossip.bootstrp: unknown key; did you mean 'bootstrap'?
  //   $CORE_PEER_GOSIP_BOOTSTRAP: no configuration key has this variable; did you mean 'CORE_PEER_GOSSIP_BOOTSTRAP'?
  //   $CORE_PEER_GOSSIP: peer.gossip cannot be set from the environment, only the single values and lists in it
  // Mappings never read are not inspected: their own key is the one reported. Call this after the program
  // has read everything it will.
  absl::Status CheckNoUnknownKeys() const;

  // Every value read so far, in first-read order, with its final value and origin.
  std::vector<EffectiveValue> EffectiveValues() const;

  // EffectiveValues() as text, one value per line: "<path>: <value>  # <origin>".
  std::string FormatEffectiveValues() const;

  const std::string& source_name() const;

 private:
  explicit ConfigDocument(std::unique_ptr<internal::DocumentState> state);

  std::unique_ptr<internal::DocumentState> state_;
};

}  // namespace careledger::config

#endif  // CARELEDGER_COMMON_CONFIG_CONFIG_DOCUMENT_H_
