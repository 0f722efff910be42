#include "chaincode/runtime/library_loader.h"

#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/strings.h"

namespace careledger::chaincode {
namespace {

absl::Status ErrnoError(std::string_view what, std::string_view label) {
  return absl::InternalError(
      absl::StrCat("chaincode library ", AsAbsl(label), ": ", AsAbsl(what), ": ", std::strerror(errno)));
}

// Writes every byte, resuming after short writes and interrupted calls.
bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(written));
  }
  return true;
}

// Why `bytes` cannot be loaded as a shared library of this process, or "" if it may be. dlopen checks the
// headers too, but it maps segments that extend past the end of the file, and touching those pages kills
// the process with SIGBUS: a truncated library must be refused before it gets there.
std::string ElfImageProblem(std::string_view bytes) {
  ElfW(Ehdr) header;
  if (bytes.size() < sizeof(header)) return "too short for an ELF header";
  std::memcpy(&header, bytes.data(), sizeof(header));
  if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0) return "not an ELF file";
  if (header.e_ident[EI_CLASS] != (sizeof(void*) == 8 ? ELFCLASS64 : ELFCLASS32)) {
    return "an ELF file of another word size than this peer's";
  }
  if (header.e_type != ET_DYN) return "not a shared library (ELF type " + std::to_string(header.e_type) + ")";
  if (header.e_phentsize != sizeof(ElfW(Phdr))) return "unexpected ELF program header size";
  const uint64_t table_end = uint64_t{header.e_phoff} + uint64_t{header.e_phnum} * sizeof(ElfW(Phdr));
  if (header.e_phoff > bytes.size() || table_end > bytes.size()) {
    return "the program header table lies past the end of the file (truncated?)";
  }
  for (size_t i = 0; i < header.e_phnum; ++i) {
    ElfW(Phdr) segment;
    std::memcpy(&segment, bytes.data() + header.e_phoff + i * sizeof(segment), sizeof(segment));
    if (segment.p_offset > bytes.size() || segment.p_filesz > bytes.size() - segment.p_offset) {
      return "segment " + std::to_string(i) + " lies past the end of the file (truncated?)";
    }
  }
  return "";
}

}  // namespace

absl::StatusOr<const careledger_chaincode_descriptor*> LoadChaincodeLibrary(std::string_view bytes,
                                                                            std::string_view label) {
  if (const std::string problem = ElfImageProblem(bytes); !problem.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("chaincode library ", AsAbsl(label), " is not a loadable shared library: ", problem));
  }
  const int fd = ::memfd_create("careledger-chaincode", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return ErrnoError("memfd_create", label);
  if (!WriteAll(fd, bytes)) {
    absl::Status status = ErrnoError("writing the memfd", label);
    ::close(fd);
    return status;
  }
  if (::fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0) {
    absl::Status status = ErrnoError("sealing the memfd", label);
    ::close(fd);
    return status;
  }

  const std::string path = absl::StrCat("/proc/self/fd/", fd);
  ::dlerror();  // clear any earlier message
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* reason = ::dlerror();
    ::close(fd);  // nothing was loaded from it
    return absl::InvalidArgumentError(
        absl::StrCat("chaincode library ", AsAbsl(label),
                     " is not a loadable shared library: ", reason != nullptr ? reason : "dlopen failed"));
  }
  // From here on the library is loaded for good (see the header): the memfd and the handle stay open.

  ::dlerror();
  void* symbol = ::dlsym(handle, CARELEDGER_CHAINCODE_ENTRY_SYMBOL);
  if (symbol == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("chaincode library ", AsAbsl(label), " does not export ", CARELEDGER_CHAINCODE_ENTRY_SYMBOL,
                     ": it is not a CareLedger chaincode of ABI major ", CARELEDGER_CHAINCODE_ABI_MAJOR));
  }
  careledger_chaincode_entry_fn entry;
  static_assert(sizeof(entry) == sizeof(symbol));
  std::memcpy(&entry, &symbol, sizeof(entry));  // POSIX guarantees data and function pointers convert
  const careledger_chaincode_descriptor* descriptor = entry();
  if (descriptor == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat("chaincode library ", AsAbsl(label), ": ",
                                                      CARELEDGER_CHAINCODE_ENTRY_SYMBOL, " returned no descriptor"));
  }
  return descriptor;
}

}  // namespace careledger::chaincode
