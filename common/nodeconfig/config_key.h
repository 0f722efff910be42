// ConfigKey: one key of a configuration document, as the checks that run after reading name it in errors.
//
// The getters of common/config report their own errors; a check across keys (a key that does not match its
// certificate, two listeners on one port) runs later and still has to point at the key at fault. A ConfigKey
// remembers the mapping holding the key and the key's name there, so that
//   key.Error("is not the key of the certificate in peer.tls.cert.file")
// gives the same "<file>:<line>:<column>: <key path>: ..." (or "$VARIABLE: ...") as a getter's error.
//
// Ownership and threads: a ConfigKey holds a config::ConfigNode, a handle into its ConfigDocument, which must
// outlive it; use it from the thread reading that document.
#ifndef CARELEDGER_COMMON_NODECONFIG_CONFIG_KEY_H_
#define CARELEDGER_COMMON_NODECONFIG_CONFIG_KEY_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/config/config_node.h"

namespace careledger::nodeconfig {

struct ConfigKey {
  config::ConfigNode node;  // the mapping holding the key (possibly absent from the file)
  std::string key;          // the key's name in that mapping, literally (no dots)

  // The full key path: "General.TLS.Certificate", "peer.tls.cert.file".
  std::string Path() const;

  // Whether the key has a value in the file or the environment (as opposed to its default).
  bool Has() const { return node.Has(key); }

  // InvalidArgument pointing at the key's value, override or mapping: ConfigNode::InvalidValueError.
  absl::Status Error(std::string_view explanation) const { return node.InvalidValueError(key, explanation); }
};

// The key `dotted` of `section`, where a dot descends into a nested mapping, as Fabric's core.yaml writes
// single values ("cert.file" is key "file" of mapping "cert"). The mappings on the way need not be in the
// file; each is marked as known. InvalidArgument (common/config's message) if one of them is in the file but
// is not a mapping; an empty segment ("cert..file") is a bug in the caller: Internal.
absl::StatusOr<ConfigKey> LocateKey(const config::ConfigNode& section, std::string_view dotted);

}  // namespace careledger::nodeconfig

#endif  // CARELEDGER_COMMON_NODECONFIG_CONFIG_KEY_H_
