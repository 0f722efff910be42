// careledger crypto generate: identities for a whole consortium from its description.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/file/file_io.h"
#include "common/status_macros.h"
#include "network/cli/command.h"
#include "network/consortium/consortium.h"
#include "network/identity/consortium_identities.h"

namespace careledger::cli {
namespace {

struct GenerateOptions {
  std::string config;
  std::string out;
};

absl::Status RunGenerate(const GenerateOptions& opts) {
  ASSIGN_OR_RETURN(std::string text, file::ReadFile(opts.config, 4 << 20));
  ASSIGN_OR_RETURN(network::Consortium consortium, network::ParseConsortium(text, opts.config));
  const std::string recorded = opts.out + "/consortium.yaml";
  if (file::Exists(recorded)) {
    ASSIGN_OR_RETURN(std::string previous, file::ReadFile(recorded, 4 << 20));
    if (previous != text) {
      std::cout << "note: " << recorded << " differs from " << opts.config
                << "; existing keys are kept and missing identities are added\n";
    }
  }
  ASSIGN_OR_RETURN(auto identities, network::GenerateConsortiumIdentities(consortium, opts.out, absl::Now()));
  RETURN_IF_ERROR(file::WriteFileAtomic(recorded, text));
  int created = 0;
  for (const auto& id : identities) created += id.created ? 1 : 0;
  std::cout << "Consortium " << consortium.name << ": " << consortium.organizations.size() << " organisations, "
            << identities.size() << " identities (" << created << " created, " << identities.size() - created
            << " kept) in " << opts.out << "\n\n"
            << network::FormatIdentityTable(identities);
  return absl::OkStatus();
}

}  // namespace

void RegisterCryptoCommands(CLI::App& app, CommandResult& result) {
  CLI::App* crypto = app.add_subcommand("crypto", "Certificate authorities and identities of a consortium");
  crypto->require_subcommand(1);
  auto opts = std::make_shared<GenerateOptions>();
  CLI::App* generate = crypto->add_subcommand(
      "generate", "Create CAs and identities for every organisation, node and user of a consortium description. "
                  "Existing keys are never replaced; re-running adds what is missing.");
  generate->add_option("--config", opts->config, "consortium description (YAML)")->required();
  generate->add_option("--out", opts->out, "output folder")->required();
  generate->callback([opts, &result] { result.status = RunGenerate(*opts); });
}

}  // namespace careledger::cli
