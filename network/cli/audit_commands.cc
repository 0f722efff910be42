// `careledger audit verify|report`: the regulator's audit tools (docs/audit.md).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "common/encoding/hex.h"
#include "common/status_macros.h"
#include "absl/time/clock.h"
#include "common/crypto/pem_file.h"
#include "common/file/file_io.h"
#include "msp/attributes.h"
#include "network/audit/audit_events.h"
#include "network/audit/audit_report.h"
#include "network/audit/block_source.h"
#include "network/audit/chain_verifier.h"
#include "network/audit/deliver_block_source.h"
#include "network/audit/fhir_bundle.h"
#include "network/audit/progress.h"
#include "network/cli/command.h"
#include "network/launcher/network_state.h"
#include "network/launcher/network_user.h"

namespace careledger::cli {
namespace {

constexpr char kDefaultNetworkDir[] = "out/network";

// `audit verify`'s exit statuses (docs/audit.md): 0 intact, 1 inconsistent, 2 the audit could not run.
constexpr int kExitInconsistent = 1;
constexpr int kExitCouldNotRun = 2;

// Where the blocks come from: a copy of a node's block files, or a peer's Deliver service as a network user.
struct SourceFlags {
  std::string ledger;  // --ledger: block files on disk
  std::string dir = kDefaultNetworkDir;
  std::string user;  // default: the regulator organisation's admin
  std::string peer;
  std::string channel;
  std::string connect_timeout = "10s";
};

void AddSourceOptions(CLI::App* command, SourceFlags& flags) {
  command->add_option("--ledger", flags.ledger,
                      "read a copy of a node's block files instead of asking a peer: a peer's channel ledger "
                      "(<data>/ledgers/<channel>), an orderer's channel folder or a block store's folder");
  command->add_option("--dir", flags.dir, "the network folder (default out/network)");
  command->add_option("--user", flags.user,
                      "the network user the Deliver requests are signed as (default: the regulator organisation's "
                      "admin, whose peer is the regulator's audit peer)");
  command->add_option("--peer", flags.peer, "ask this peer (node name) instead of the user's own");
  command->add_option("-C,--channel", flags.channel, "the channel (default the network's first)");
  command->add_option("--connect-timeout", flags.connect_timeout, "how long to wait for the peer (default 10s)");
}

// The regulator organisation's admin, the default auditor; the empty name (the first hospital's admin) if the
// network has no regulator.
std::string DefaultAuditor(const launcher::NetworkState& state) {
  for (const launcher::OrganizationState& org : state.organizations) {
    if (org.type == "regulator") return std::filesystem::path(org.admin_dir).filename().string();
  }
  return "";
}

// A source and what keeps it alive (the identity the Deliver requests are signed with).
struct OpenedSource {
  std::shared_ptr<const msp::SigningIdentity> signer;
  std::unique_ptr<audit::BlockSource> source;
};

absl::StatusOr<OpenedSource> OpenSource(const SourceFlags& flags) {
  OpenedSource opened;
  if (!flags.ledger.empty()) {
    ASSIGN_OR_RETURN(opened.source, audit::BlockFilesSource::Open(flags.ledger));
    return opened;
  }
  absl::Duration timeout;
  if (!absl::ParseDuration(flags.connect_timeout, &timeout) || timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--connect-timeout '", flags.connect_timeout, "' is not a positive duration such as 10s"));
  }
  ASSIGN_OR_RETURN(launcher::NetworkState state, launcher::ReadNetworkState(flags.dir));
  launcher::UserConnectionOptions options;
  options.user = flags.user.empty() ? DefaultAuditor(state) : flags.user;
  options.peer = flags.peer;
  options.channel = flags.channel;
  ASSIGN_OR_RETURN(launcher::UserConnection connection, launcher::ConnectNetworkUser(state, options));
  opened.signer = connection.signer;
  ASSIGN_OR_RETURN(opened.source,
                   audit::DeliverBlockSource::Open(connection.endpoint, *opened.signer, connection.channel, timeout));
  return opened;
}

struct VerifyFlags {
  SourceFlags source;
  std::string work;
  std::string genesis_hash;
  uint64_t progress_every = 1000;
  bool quiet = false;
};

// Runs the verification and returns the exit status; prints the verdict on stdout and progress on stderr.
int RunVerify(const VerifyFlags& flags) {
  std::string genesis_hash;
  if (!flags.genesis_hash.empty()) {
    absl::StatusOr<std::string> hash = HexDecode(flags.genesis_hash);
    if (!hash.ok() || hash->size() != 32) {
      std::cerr << "careledger: --genesis-hash '" << flags.genesis_hash << "' is not 64 hexadecimal digits\n";
      return kExitCouldNotRun;
    }
    genesis_hash = *std::move(hash);
  }
  absl::StatusOr<OpenedSource> opened = OpenSource(flags.source);
  if (!opened.ok()) {
    std::cerr << "careledger: audit verify could not run: " << opened.status().message() << "\n";
    return kExitCouldNotRun;
  }
  audit::BlockSource& source = *opened->source;
  std::cerr << "verifying the chain from " << source.Describe() << " (" << source.ExpectedHeight() << " blocks)\n";
  audit::ProgressOptions progress_options;
  progress_options.terminal = ::isatty(STDERR_FILENO) != 0;
  progress_options.line_every = flags.progress_every;
  audit::Progress progress(std::cerr, source.ExpectedHeight(), progress_options);
  ThreadPool pool(0);
  audit::VerifyOptions options;
  options.work_dir = flags.work;
  options.expected_genesis_hash = genesis_hash;
  options.require_peer_chain = flags.source.ledger.empty();  // Deliver: a peer's chain
  options.pool = &pool;
  if (!flags.quiet) options.on_block = [&progress](uint64_t done) { progress.Update(done); };
  absl::StatusOr<audit::VerifyResult> result = audit::VerifyChain(source, options);
  if (!flags.quiet) progress.Finish();
  if (!result.ok()) {
    std::cerr << "careledger: audit verify could not run: " << result.status().message() << "\n";
    return kExitCouldNotRun;
  }
  const std::string kind = result->peer_chain ? "a peer's chain" : "an orderer's chain (no validation codes or "
                                                                   "commit hashes recorded)";
  if (!result->intact()) {
    std::cout << "INCONSISTENT: " << result->inconsistency->message << "\n"
              << "channel " << result->channel_id << ", " << kind << ", from " << source.Describe() << ": blocks 0 to "
              << (result->blocks_checked == 0 ? std::string("-") : std::to_string(result->blocks_checked - 1))
              << " are consistent\n";
    return kExitInconsistent;
  }
  std::cout << "INTACT: channel " << result->channel_id << ", " << kind << ", blocks 0 to "
            << result->blocks_checked - 1 << " from " << source.Describe() << "\n"
            << "  transactions: " << result->transactions << " (" << result->valid_transactions << " valid, "
            << result->transactions - result->valid_transactions << " invalid)\n"
            << "  configurations: " << result->config_blocks << "\n"
            << "  genesis block hash: " << HexEncode(result->genesis_hash) << "\n"
            << "  last block hash:    " << HexEncode(result->last_block_hash) << "\n"
            << "  last commit hash:   " << HexEncode(result->last_commit_hash) << "\n";
  if (auto* files = dynamic_cast<audit::BlockFilesSource*>(&source); files != nullptr && files->torn_tail_bytes() > 0) {
    std::cout << "  note: the last block file ends with " << files->torn_tail_bytes()
              << " bytes of an incomplete record (a write in progress or a crash), ignored\n";
  }
  return 0;
}


// --doctor: "MSP:PERSON_ID", or a network user whose certificate carries a person_id attribute.
absl::StatusOr<audit::Person> DoctorOf(const std::string& text, const std::string& network_dir) {
  if (text.find(':') != std::string::npos) return audit::ParsePerson(text);
  absl::StatusOr<launcher::NetworkState> state = launcher::ReadNetworkState(network_dir);
  if (!state.ok()) {
    return Annotate(state.status(),
                    absl::StrCat("--doctor '", text, "' is not MSP:PERSON_ID, so it names a network user"));
  }
  ASSIGN_OR_RETURN(launcher::NetworkUser user, launcher::FindNetworkUser(*state, text));
  ASSIGN_OR_RETURN(std::vector<crypto::Certificate> certificates, crypto::ReadCertificateFile(user.CertFile()));
  if (certificates.empty()) return absl::InvalidArgumentError(absl::StrCat(user.CertFile(), " holds no certificate"));
  const std::optional<std::string> extension = certificates.front().ExtensionValue(msp::kAttributesOid);
  absl::StatusOr<msp::Attributes> attributes =
      extension ? msp::ParseAttributes(*extension) : absl::StatusOr<msp::Attributes>(msp::Attributes());
  if (!attributes.ok()) return Annotate(attributes.status(), user.CertFile());
  const auto person_id = attributes->find("person_id");
  if (person_id == attributes->end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("network user ", user.name, " has no person_id attribute: give --doctor as MSP:PERSON_ID"));
  }
  return audit::Person{user.organization->msp_id, person_id->second};
}

struct ReportFlags {
  SourceFlags source;
  std::string patient;
  std::string doctor;
  std::string from;
  std::string to;
  std::string output = "table";
  std::string fhir;
  std::string chaincode = audit::kHealthcareChaincode;
};

absl::Status RunReport(const ReportFlags& flags) {
  if (flags.output != "table" && flags.output != "json") {
    return absl::InvalidArgumentError(absl::StrCat("--output '", flags.output, "': expected table or json"));
  }
  audit::ReportFilter filter;
  if (!flags.patient.empty()) filter.patient_id = flags.patient;
  if (!flags.doctor.empty()) {
    ASSIGN_OR_RETURN(filter.doctor, DoctorOf(flags.doctor, flags.source.dir));
  }
  if (!flags.from.empty()) {
    ASSIGN_OR_RETURN(filter.from, audit::ParseFromTime("--from", flags.from));
  }
  if (!flags.to.empty()) {
    ASSIGN_OR_RETURN(filter.until, audit::ParseUntilTime("--to", flags.to));
  }
  if (filter.from && filter.until && *filter.until <= *filter.from) {
    return absl::InvalidArgumentError("--to is before --from");
  }
  ASSIGN_OR_RETURN(OpenedSource opened, OpenSource(flags.source));
  ASSIGN_OR_RETURN(std::vector<audit::ChainEvent> events, audit::CollectEvents(*opened.source, flags.chaincode));
  ASSIGN_OR_RETURN(std::vector<audit::AuditEntry> entries, audit::ReadAuditEntries(events));
  entries = audit::FilterEntries(std::move(entries), filter);
  if (!flags.fhir.empty()) {
    audit::FhirBundleOptions options;
    options.generated = absl::Now();
    options.channel_id = events.empty() ? flags.source.channel : events.front().channel_id;
    ASSIGN_OR_RETURN(std::string bundle, audit::BuildFhirBundle(entries, options));
    RETURN_IF_ERROR(file::WriteFileAtomic(flags.fhir, bundle));
    std::cerr << "wrote a FHIR R4 Bundle of " << entries.size() << " audit entries to " << flags.fhir << "\n";
  }
  std::cout << (flags.output == "json" ? audit::FormatJson(entries, filter) : audit::FormatTable(entries));
  return absl::OkStatus();
}

}  // namespace

void RegisterAuditCommands(CLI::App& app, CommandResult& result);  // declared in careledger_main.cc

void RegisterAuditCommands(CLI::App& app, CommandResult& result) {
  CLI::App* audit_cmd = app.add_subcommand("audit", "The regulator's audit: verify the chain, report on patients");
  audit_cmd->require_subcommand(1);

  auto verify = std::make_shared<VerifyFlags>();
  CLI::App* verify_cmd = audit_cmd->add_subcommand(
      "verify",
      "Replay the whole chain from genesis through the peer's validation and compare with what each block records: "
      "exit 0 intact, 1 inconsistent (the first inconsistency is printed), 2 could not run");
  AddSourceOptions(verify_cmd, verify->source);
  verify_cmd->add_option("--work", verify->work,
                         "keep the re-validated ledger in this new or empty folder (default: a temporary folder)");
  verify_cmd->add_option("--genesis-hash", verify->genesis_hash,
                         "the genesis block's header hash (hex) as the consortium published it: block 0 must have it");
  verify_cmd->add_option("--progress-every", verify->progress_every,
                         "when stderr is not a terminal, a progress line every this many blocks (default 1000)");
  verify_cmd->add_flag("-q,--quiet", verify->quiet, "no progress on stderr");
  verify_cmd->callback([verify, &result] {
    const int code = RunVerify(*verify);
    std::cout.flush();
    std::cerr.flush();
    // Three outcomes do not fit CommandResult's status (0, 1, or 2 for usage only), so verify exits here.
    if (code != 0) std::exit(code);
    result.status = absl::OkStatus();
  });

  auto report = std::make_shared<ReportFlags>();
  CLI::App* report_cmd = audit_cmd->add_subcommand(
      "report",
      "Every consent change, record version, access and emergency access of the healthcare chaincode, from the "
      "valid transactions of the chain, as a table, as JSON, or as an HL7 FHIR R4 Bundle");
  AddSourceOptions(report_cmd, report->source);
  report_cmd->add_option("--patient", report->patient, "only this patient's entries (patient ID)");
  report_cmd->add_option("--doctor", report->doctor,
                         "only entries of this doctor: MSP:PERSON_ID (Hospital1MSP:D-1001) or a network user's name; "
                         "consents to every doctor of their hospital included");
  report_cmd->add_option("--from", report->from, "from this time on: RFC 3339 (2026-11-25T08:00:00Z) or a date (UTC)");
  report_cmd->add_option("--to", report->to, "up to this time, inclusive: RFC 3339 or a date (the whole day)");
  report_cmd->add_option("-o,--output", report->output, "table (default) or json");
  report_cmd->add_option("--fhir", report->fhir, "also write the entries as a FHIR R4 Bundle (JSON) to this file");
  report_cmd->add_option("--chaincode", report->chaincode, "the healthcare chaincode's name (default healthcare)");
  report_cmd->callback([report, &result] { result.status = RunReport(*report); });
}

}  // namespace careledger::cli
