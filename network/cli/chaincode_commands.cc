// careledger chaincode: chaincode packages and definitions, as Fabric's `peer lifecycle chaincode ...`.
//
//   install               copy a chaincode library (.so) into the peer's chaincode folder; prints its package
//                         ID "<label>:<sha256>"
//   approve               approve a definition for the admin's organisation    (Fabric: approveformyorg)
//   checkcommitreadiness  which organisations approved exactly this definition, and how the others differ
//   commit                commit a definition the channel's organisations approved
//   querycommitted        the committed definition of --name, or every committed definition
//   list                  every committed definition (querycommitted without --name)
//   queryapproved         the admin's organisation's approval of --name
//
// install works on files only: it copies the library into --install-dir, which must be the folder the peer
// reads installed packages from (its chaincode.installPath), on the peer's own host — the peer loads
// <installPath>/<sha256>.so when a committed definition names the package. Installing through the peer from
// another host (Fabric's InstallChaincode proposal) is not offered yet.
//
// The other commands talk to a peer's Fabric Gateway: --peer host:port, with --tls-ca-file (the peer's TLS CA;
// without it the connection is plaintext), --server-name when the certificate names another host than --peer,
// and --client-cert/--client-key for peers that require mutual TLS. They sign as the identity in --msp-dir (an
// msp folder with signcerts/ and keystore/, Fabric's layout) of organisation --msp-id; approve and commit need
// an admin of an application organisation of the channel. approve and commit wait until their transaction is
// committed (at most --timeout) and print one line; a transaction that commits invalid fails the command,
// naming its validation code. Queries print readable text, or with --output json the result message as JSON
// with proto field names (as Fabric prints it). Errors go to stderr with the gateway's details (which peer or
// orderer failed, and why); the exit code is 1, or 2 for a wrong command line.
//
// For example (one command line):
//   careledger chaincode approve --peer peer0.hospital1.example.org:7051 --tls-ca-file tlsca.pem
//       --msp-dir admin/msp --msp-id Hospital1MSP -C healthchannel -n records --version 1.0 --sequence 1
//       --package-id records_1.0:6b86... --signature-policy "AND('Hospital1MSP.peer','Hospital2MSP.peer')"
#include "network/cli/chaincode_commands.h"

#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/file/file_io.h"
#include "common/status_macros.h"
#include "common/strings.h"
#include "google/protobuf/util/json_util.h"
#include "msp/msp_dir.h"
#include "network/client/chaincode_lifecycle.h"
#include "network/client/chaincode_package.h"
#include "network/client/gateway_client.h"

namespace careledger::cli {
namespace {

constexpr char kText[] = "text";
constexpr char kJson[] = "json";
// A PEM file of CA certificates or a key is small; anything larger is not what the flag asks for.
constexpr uint64_t kMaxPemFileBytes = 1 << 20;

struct ConnectionOptions {
  std::string peer;
  std::string tls_ca_file;
  std::string server_name;
  std::string client_cert_file;
  std::string client_key_file;
  std::string msp_dir;
  std::string msp_id;
  std::string channel;
  std::string timeout = "60s";
  std::string output = kText;
};

struct ChaincodeOptions {
  ConnectionOptions connection;
  client::ChaincodeDefinitionSpec spec;
  // install
  std::string file;
  std::string label;
  std::string install_dir;
};

absl::StatusOr<std::string> ReadFlagFile(const std::string& path, std::string_view flag) {
  absl::StatusOr<std::string> contents = file::ReadFile(path, kMaxPemFileBytes);
  if (!contents.ok()) return Annotate(contents.status(), flag);
  return contents;
}

absl::StatusOr<absl::Duration> TimeoutOf(const ConnectionOptions& opts) {
  absl::Duration timeout;
  if (!absl::ParseDuration(opts.timeout, &timeout) || timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--timeout '", opts.timeout, "' is not a positive duration such as 30s or 2m"));
  }
  return timeout;
}

absl::StatusOr<client::GatewayClient> Connect(const ConnectionOptions& opts) {
  client::GatewayEndpoint endpoint;
  endpoint.address = opts.peer;
  endpoint.server_name_override = opts.server_name;
  if (!opts.tls_ca_file.empty()) {
    ASSIGN_OR_RETURN(endpoint.tls_root_certs_pem, ReadFlagFile(opts.tls_ca_file, "--tls-ca-file"));
  }
  if (!opts.client_cert_file.empty()) {
    ASSIGN_OR_RETURN(endpoint.tls_client_cert_pem, ReadFlagFile(opts.client_cert_file, "--client-cert"));
  }
  if (!opts.client_key_file.empty()) {
    ASSIGN_OR_RETURN(endpoint.tls_client_key_pem, ReadFlagFile(opts.client_key_file, "--client-key"));
  }
  absl::StatusOr<msp::SigningIdentity> identity = msp::LoadSigningIdentity(opts.msp_dir, opts.msp_id);
  if (!identity.ok()) return Annotate(identity.status(), absl::StrCat("--msp-dir ", opts.msp_dir));
  return client::GatewayClient::Connect(endpoint, std::make_shared<const msp::SigningIdentity>(*std::move(identity)));
}

std::string Outcome(const client::SubmitResult& result) {
  return absl::StrCat("transaction ", result.tx_id, " ", ::protos::TxValidationCode_Name(result.code), " in block ",
                      result.block_number);
}

absl::Status PrintJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.add_whitespace = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) {
    return absl::InternalError(absl::StrCat("cannot print the ", message.GetTypeName(), " result as JSON"));
  }
  std::cout << json;
  if (json.empty() || json.back() != '\n') std::cout << "\n";
  return absl::OkStatus();
}

// "A: true, B: false", by MSP ID (the protobuf map has no order).
template <typename ProtoMap>
std::string ApprovalsText(const ProtoMap& approvals) {
  std::vector<std::pair<std::string, bool>> sorted(approvals.begin(), approvals.end());
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::string> parts;
  for (const auto& [msp_id, approved] : sorted)
    parts.push_back(absl::StrCat(msp_id, ": ", approved ? "true" : "false"));
  return absl::StrJoin(parts, ", ");
}

// The fields every definition result shares, on one line (Fabric's querycommitted layout, plus the policy).
template <typename Definition>
std::string DefinitionText(const Definition& definition) {
  return absl::StrCat("Version: ", definition.version(), ", Sequence: ", definition.sequence(),
                      ", Endorsement Policy: ", client::DescribeValidationParameter(definition.validation_parameter()),
                      ", Init Required: ", definition.init_required() ? "true" : "false",
                      ", Endorsement Plugin: ", definition.endorsement_plugin(),
                      ", Validation Plugin: ", definition.validation_plugin());
}

absl::Status RunInstall(const ChaincodeOptions& opts) {
  ASSIGN_OR_RETURN(const std::string package_id, client::Install(opts.file, opts.label, opts.install_dir));
  std::cout << package_id << "\n";
  return absl::OkStatus();
}

// approve and commit: a `_lifecycle` transaction, waited for until committed, and one line saying so.
using DefinitionTransaction = absl::StatusOr<client::SubmitResult> (*)(const client::GatewayClient&, std::string_view,
                                                                       const client::ChaincodeDefinitionSpec&,
                                                                       const client::SubmitOptions&);

absl::Status RunDefinitionTransaction(const ChaincodeOptions& opts, DefinitionTransaction transact,
                                      std::string_view done, std::string_view where) {
  ASSIGN_OR_RETURN(const absl::Duration timeout, TimeoutOf(opts.connection));
  ASSIGN_OR_RETURN(const client::GatewayClient gateway, Connect(opts.connection));
  client::SubmitOptions submit;
  submit.timeout = timeout;
  ASSIGN_OR_RETURN(const client::SubmitResult result, transact(gateway, opts.connection.channel, opts.spec, submit));
  std::cout << done << " chaincode " << opts.spec.name << " sequence " << opts.spec.sequence << " " << where << ": "
            << Outcome(result) << "\n";
  return absl::OkStatus();
}

absl::Status RunApprove(const ChaincodeOptions& opts) {
  return RunDefinitionTransaction(opts, client::ApproveForMyOrg, "approved", "for " + opts.connection.msp_id);
}

absl::Status RunCommit(const ChaincodeOptions& opts) {
  return RunDefinitionTransaction(opts, client::Commit, "committed", "on channel " + opts.connection.channel);
}

client::EvaluateOptions QueryOptions(absl::Duration timeout) {
  client::EvaluateOptions options;
  options.timeout = timeout;
  return options;
}

absl::Status RunCheckCommitReadiness(const ChaincodeOptions& opts) {
  ASSIGN_OR_RETURN(const absl::Duration timeout, TimeoutOf(opts.connection));
  ASSIGN_OR_RETURN(const client::GatewayClient gateway, Connect(opts.connection));
  ASSIGN_OR_RETURN(const ::lifecycle::CheckCommitReadinessResult result,
                   client::CheckCommitReadiness(gateway, opts.connection.channel, opts.spec, QueryOptions(timeout)));
  if (opts.connection.output == kJson) return PrintJson(result);
  std::cout << "Chaincode definition for chaincode '" << opts.spec.name << "', version '" << opts.spec.version
            << "', sequence '" << opts.spec.sequence << "' on channel '" << opts.connection.channel
            << "' approval status by org:\n";
  std::vector<std::pair<std::string, bool>> approvals(result.approvals().begin(), result.approvals().end());
  std::sort(approvals.begin(), approvals.end());
  for (const auto& [msp_id, approved] : approvals) {
    std::cout << msp_id << ": " << (approved ? "true" : "false");
    if (auto it = result.mismatches().find(msp_id); it != result.mismatches().end()) {
      std::cout << " (approved a definition that differs in: " << absl::StrJoin(it->second.items(), ", ") << ")";
    }
    std::cout << "\n";
  }
  return absl::OkStatus();
}

absl::Status RunQueryCommitted(const ChaincodeOptions& opts) {
  ASSIGN_OR_RETURN(const absl::Duration timeout, TimeoutOf(opts.connection));
  ASSIGN_OR_RETURN(const client::GatewayClient gateway, Connect(opts.connection));
  const std::string& channel = opts.connection.channel;
  if (!opts.spec.name.empty()) {
    ASSIGN_OR_RETURN(const ::lifecycle::QueryChaincodeDefinitionResult result,
                     client::QueryCommitted(gateway, channel, opts.spec.name, QueryOptions(timeout)));
    if (opts.connection.output == kJson) return PrintJson(result);
    std::cout << "Committed chaincode definition for chaincode '" << opts.spec.name << "' on channel '" << channel
              << "':\n"
              << DefinitionText(result) << ", Approvals: [" << ApprovalsText(result.approvals()) << "]\n";
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(const ::lifecycle::QueryChaincodeDefinitionsResult result,
                   client::QueryAllCommitted(gateway, channel, QueryOptions(timeout)));
  if (opts.connection.output == kJson) return PrintJson(result);
  if (result.chaincode_definitions().empty()) {
    std::cout << "No chaincode definition is committed on channel '" << channel << "'\n";
    return absl::OkStatus();
  }
  std::cout << "Committed chaincode definitions on channel '" << channel << "':\n";
  for (const auto& definition : result.chaincode_definitions()) {
    std::cout << "Name: " << definition.name() << ", " << DefinitionText(definition) << "\n";
  }
  return absl::OkStatus();
}

absl::Status RunQueryApproved(const ChaincodeOptions& opts) {
  ASSIGN_OR_RETURN(const absl::Duration timeout, TimeoutOf(opts.connection));
  ASSIGN_OR_RETURN(const client::GatewayClient gateway, Connect(opts.connection));
  ASSIGN_OR_RETURN(const ::lifecycle::QueryApprovedChaincodeDefinitionResult result,
                   client::QueryApproved(gateway, opts.connection.channel, opts.spec.name, opts.spec.sequence,
                                         QueryOptions(timeout)));
  if (opts.connection.output == kJson) return PrintJson(result);
  const std::string package_id =
      result.source().has_local_package() ? result.source().local_package().package_id() : "";
  std::cout << "Approved chaincode definition for chaincode '" << opts.spec.name << "' on channel '"
            << opts.connection.channel << "':\n"
            << "sequence: " << result.sequence() << ", version: " << result.version()
            << ", init-required: " << (result.init_required() ? "true" : "false") << ", package-id: " << package_id
            << ", endorsement plugin: " << result.endorsement_plugin()
            << ", validation plugin: " << result.validation_plugin()
            << ", endorsement policy: " << client::DescribeValidationParameter(result.validation_parameter()) << "\n";
  return absl::OkStatus();
}

// The flags of every command that talks to a peer.
void AddConnectionOptions(CLI::App* command, ConnectionOptions& opts) {
  command->add_option("--peer", opts.peer, "the peer's Gateway, host:port")->required();
  command->add_option("--tls-ca-file", opts.tls_ca_file,
                      "PEM CA certificate(s) the peer's TLS certificate chains to; without it: plaintext");
  command->add_option("--server-name", opts.server_name,
                      "the host name in the peer's TLS certificate, if not --peer's host");
  command->add_option("--client-cert", opts.client_cert_file, "TLS client certificate (PEM), for mutual TLS");
  command->add_option("--client-key", opts.client_key_file, "its private key (PEM)");
  command->add_option("--msp-dir", opts.msp_dir, "the signer's msp folder (signcerts/ and keystore/)")->required();
  command->add_option("--msp-id", opts.msp_id, "the signer's organisation, e.g. Hospital1MSP")->required();
  command->add_option("-C,--channel", opts.channel, "the channel ID")->required();
  command->add_option("--timeout", opts.timeout, "how long to wait for the peer (and the commit), e.g. 30s, 2m")
      ->capture_default_str();
}

void AddOutputOption(CLI::App* command, ConnectionOptions& opts) {
  command->add_option("-O,--output", opts.output, "text or json")
      ->capture_default_str()
      ->check(CLI::IsMember({kText, kJson}));
}

// The flags that describe a definition (approve, commit, checkcommitreadiness).
void AddDefinitionOptions(CLI::App* command, client::ChaincodeDefinitionSpec& spec) {
  command->add_option("-n,--name", spec.name, "the chaincode's name")->required();
  command->add_option("--version", spec.version, "the definition's version")->required();
  command->add_option("--sequence", spec.sequence, "1 for the first definition, +1 for each change")->required();
  auto* signature = command->add_option("--signature-policy", spec.signature_policy,
                                        "endorsement policy, e.g. \"AND('Hospital1MSP.peer','Hospital2MSP.peer')\"");
  auto* reference = command->add_option("--channel-config-policy", spec.channel_config_policy,
                                        "endorsement policy as a channel policy path, e.g. "
                                        "/Channel/Application/Endorsement (the default)");
  signature->excludes(reference);
  command->add_flag("--init-required", spec.init_required, "the chaincode must be initialised first");
}

// Which flag groups a command takes.
enum FlagGroups : unsigned { kFileOnly = 0, kConnection = 1, kDefinition = 2, kOutput = 4 };

// Adds `name` with fresh options (left in `opts` for the command's own flags) and `groups`' flags, running `run`.
CLI::App* AddCommand(CLI::App* group, const std::string& name, const std::string& description, unsigned groups,
                     absl::Status (*run)(const ChaincodeOptions&), CommandResult& result,
                     std::shared_ptr<ChaincodeOptions>& opts) {
  opts = std::make_shared<ChaincodeOptions>();
  CLI::App* command = group->add_subcommand(name, description);
  if (groups & kConnection) AddConnectionOptions(command, opts->connection);
  if (groups & kDefinition) AddDefinitionOptions(command, opts->spec);
  if (groups & kOutput) AddOutputOption(command, opts->connection);
  command->callback([opts, run, &result] { result.status = run(*opts); });
  return command;
}

}  // namespace

void RegisterChaincodeCommands(CLI::App& app, CommandResult& result) {
  CLI::App* chaincode =
      app.add_subcommand("chaincode", "Install chaincode packages and define chaincodes on a channel");
  chaincode->require_subcommand(1);
  std::shared_ptr<ChaincodeOptions> opts;

  CLI::App* install = AddCommand(chaincode, "install",
                                 "Copy a chaincode library into the peer's chaincode folder (on the peer's host) "
                                 "and print its package ID",
                                 kFileOnly, RunInstall, result, opts);
  install->add_option("--file", opts->file, "the chaincode's shared library (.so)")->required();
  install->add_option("--label", opts->label, "the package's label, e.g. records_1.0")->required();
  install->add_option("--install-dir", opts->install_dir, "the peer's chaincode.installPath")->required();

  CLI::App* approve = AddCommand(chaincode, "approve", "Approve a chaincode definition for your organisation",
                                 kConnection | kDefinition, RunApprove, result, opts);
  approve->add_option("--package-id", opts->spec.package_id,
                      "the package your organisation's peers run (install prints it; builtin:<name> for a "
                      "built-in); omit to approve without running it");

  AddCommand(chaincode, "checkcommitreadiness", "Show which organisations approved a chaincode definition",
             kConnection | kDefinition | kOutput, RunCheckCommitReadiness, result, opts);
  AddCommand(chaincode, "commit", "Commit a chaincode definition the organisations approved", kConnection | kDefinition,
             RunCommit, result, opts);

  CLI::App* committed =
      AddCommand(chaincode, "querycommitted", "Show the committed definition of a chaincode, or of every chaincode",
                 kConnection | kOutput, RunQueryCommitted, result, opts);
  committed->add_option("-n,--name", opts->spec.name, "the chaincode; omit for every committed definition");

  AddCommand(chaincode, "list", "List the chaincode definitions committed on a channel", kConnection | kOutput,
             RunQueryCommitted, result, opts);

  CLI::App* approved = AddCommand(chaincode, "queryapproved", "Show your organisation's approval of a chaincode",
                                  kConnection | kOutput, RunQueryApproved, result, opts);
  approved->add_option("-n,--name", opts->spec.name, "the chaincode")->required();
  approved->add_option("--sequence", opts->spec.sequence, "the approved sequence; omit for the newest");
}

}  // namespace careledger::cli
