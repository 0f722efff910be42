// Relative paths in a node's configuration file are relative to the file's folder, as in Fabric (where they
// are relative to FABRIC_CFG_PATH, the folder of core.yaml and orderer.yaml), never to the current folder: a
// node started from another folder, or by a service manager, finds the same files.
//
// Pure path arithmetic (no file is opened); FolderOf reads the current folder only for a bare file name.
// Thread-safe, except that FolderOf must not race with a change of the current folder.
#ifndef CARELEDGER_COMMON_NODECONFIG_CONFIG_PATHS_H_
#define CARELEDGER_COMMON_NODECONFIG_CONFIG_PATHS_H_

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/nodeconfig/node_settings.h"

namespace careledger::nodeconfig {

// The absolute, normalised folder holding `file` (the current folder for a name without one). Internal if
// the current folder cannot be determined.
absl::StatusOr<std::filesystem::path> FolderOf(std::string_view file);

// `path` made absolute against `base` if relative, then normalised ("a/./b/../c" -> "a/c"). An empty path
// stays empty: it means "not set", and the checks report it as such.
std::string ResolvePath(const std::filesystem::path& base, const std::string& path);

// ResolvePath on each of `paths`, in place.
void ResolvePaths(const std::filesystem::path& base, std::vector<std::string>& paths);

// ResolvePath on every file of `tls`, in place.
void ResolvePaths(const std::filesystem::path& base, TlsConfig& tls);

}  // namespace careledger::nodeconfig

#endif  // CARELEDGER_COMMON_NODECONFIG_CONFIG_PATHS_H_
