#include "common/nodeconfig/config_paths.h"

#include <system_error>

#include "absl/strings/str_cat.h"
#include "common/strings.h"

namespace careledger::nodeconfig {

absl::StatusOr<std::filesystem::path> FolderOf(std::string_view file) {
  std::error_code error;
  std::filesystem::path folder = std::filesystem::path(file).parent_path();
  folder = folder.empty() ? std::filesystem::current_path(error) : std::filesystem::absolute(folder, error);
  if (error) {
    return absl::InternalError(absl::StrCat("cannot find the folder of ", AsAbsl(file), ": ", error.message()));
  }
  return folder.lexically_normal();
}

std::string ResolvePath(const std::filesystem::path& base, const std::string& path) {
  if (path.empty()) return path;
  std::filesystem::path p(path);
  if (p.is_relative()) p = base / p;
  return p.lexically_normal().string();
}

void ResolvePaths(const std::filesystem::path& base, std::vector<std::string>& paths) {
  for (std::string& path : paths) path = ResolvePath(base, path);
}

void ResolvePaths(const std::filesystem::path& base, TlsConfig& tls) {
  tls.certificate = ResolvePath(base, tls.certificate);
  tls.private_key = ResolvePath(base, tls.private_key);
  ResolvePaths(base, tls.root_cas);
  ResolvePaths(base, tls.client_root_cas);
}

}  // namespace careledger::nodeconfig
