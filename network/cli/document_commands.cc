// careledger document ...: medical documents in the hospitals' vaults, their hashes and history on the ledger
// (docs/vault.md), as a user of a local network (`careledger network up`):
//
//   upload --user U --patient P --record R --category C --file F [--media-type T]
//          store F in the vault of U's peer, then submit AddRecord with its SHA-256, size and location
//   amend  --user U --record R --file F [--media-type T]
//          store F, then submit AmendRecord (the media type defaults to the latest version's)
//   fetch  --user U --record R [--version N] --out F
//          evaluate GetRecord, submit LogAccess (the access the vault requires, on the ledger for the patient
//          to see), download from the vault the record's location names, check the bytes against the
//          ledger's SHA-256, write F atomically (mode 0600)
//   verify --record R --file F [--version N] [--user U]
//          evaluate VerifyRecord with F's SHA-256; exit status 1 when it does not match
//   erase  --user U --record R
//          erase every version's document of R in the vaults that hold them (the record's patient, a
//          guardian, or an admin of that vault's hospital)
// and `careledger vault keygen --out FILE`: a new vault master key file (mode 0600; never overwrites one).
//
// Every command takes --dir (default out/network), --peer (another peer than the user's own, by name) and
// -C/--channel (default the network's first).
#include "network/cli/command.h"

#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/crypto/pem_file.h"
#include "common/file/file_io.h"
#include "common/status_macros.h"
#include "network/client/vault_client.h"
#include "network/healthcare/refusal.h"
#include "network/launcher/network_state.h"
#include "network/launcher/network_user.h"
#include "nlohmann/json.hpp"
#include "peer/vault/master_key.h"

namespace careledger::cli {
namespace {

constexpr char kChaincode[] = "healthcare";
constexpr char kDefaultMediaType[] = "application/octet-stream";
// Larger than any vault's limit (vault.maxDocumentBytes, 32 MiB by default): the vault has the last word.
constexpr uint64_t kMaxFileBytes = uint64_t{100} << 20;

struct ConnectionFlags {
  std::string dir = "out/network";
  std::string user;
  std::string peer;
  std::string channel;
};

struct DocumentFlags {
  ConnectionFlags connection;
  std::string patient;
  std::string record;
  std::string category;
  std::string file;
  std::string out;
  std::string media_type;
  uint64_t version = 0;  // 0: the latest
};

void AddConnectionOptions(CLI::App* command, ConnectionFlags& flags, bool user_required) {
  command->add_option("--dir", flags.dir, "the network folder (default out/network)");
  CLI::Option* user = command->add_option("--user", flags.user, "the user, e.g. dr.alice");
  if (user_required) user->required();
  command->add_option("--peer", flags.peer, "a peer other than the user's own (its node name)");
  command->add_option("-C,--channel", flags.channel, "the channel (default the network's first)");
}

struct Session {
  launcher::NetworkState state;
  launcher::UserConnection user;
};

absl::StatusOr<Session> Connect(const ConnectionFlags& flags) {
  ASSIGN_OR_RETURN(launcher::NetworkState state, launcher::ReadNetworkState(flags.dir));
  ASSIGN_OR_RETURN(launcher::UserConnection user,
                   launcher::ConnectNetworkUser(state, {flags.user, flags.peer, flags.channel}));
  return Session{std::move(state), std::move(user)};
}

// The vault of peer `node_name` of the network, reached as the user.
absl::StatusOr<client::VaultClient> VaultOf(const Session& session, std::string_view node_name) {
  ASSIGN_OR_RETURN(const launcher::NodeState* node, session.state.FindNode(node_name));
  if (node->kind != launcher::NodeKind::kPeer) {
    return absl::InvalidArgumentError(absl::StrCat(node->name, " is not a peer, so it has no vault"));
  }
  client::GatewayEndpoint endpoint;
  endpoint.address = node->Address();
  ASSIGN_OR_RETURN(endpoint.tls_root_certs_pem, crypto::ReadCertificatePem(node->TlsCaFile()));
  endpoint.server_name_override = node->name;
  return client::VaultClient::Connect(endpoint, session.user.signer);
}

absl::StatusOr<nlohmann::json> EvaluateJson(const Session& session, const std::vector<std::string>& args) {
  ASSIGN_OR_RETURN(std::string payload, session.user.gateway.Evaluate(session.user.channel, kChaincode, args));
  nlohmann::json json = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) {
    return absl::InternalError(absl::StrCat(args[0], " returned something other than a JSON object"));
  }
  return json;
}

// The record version GetRecord returns: its number, hash, location and media type.
struct RecordVersion {
  uint64_t version = 0;
  std::string sha256;
  std::string location;
  std::string media_type;
};

absl::StatusOr<RecordVersion> GetRecord(const Session& session, const std::string& record, uint64_t version) {
  std::vector<std::string> args = {"GetRecord", record};
  if (version != 0) args.push_back(std::to_string(version));
  ASSIGN_OR_RETURN(nlohmann::json json, EvaluateJson(session, args));
  RecordVersion out;
  if (!json.contains("version") || !json["version"].is_number_unsigned() || !json.contains("sha256") ||
      !json["sha256"].is_string() || !json.contains("location") || !json["location"].is_string()) {
    return absl::InternalError(absl::StrCat("GetRecord ", record, " returned a record without version, sha256 "
                                            "or location"));
  }
  out.version = json["version"].get<uint64_t>();
  out.sha256 = json["sha256"].get<std::string>();
  out.location = json["location"].get<std::string>();
  if (json.contains("mediaType") && json["mediaType"].is_string()) {
    out.media_type = json["mediaType"].get<std::string>();
  }
  return out;
}

void PrintTransaction(std::string_view what, const client::SubmitResult& result) {
  std::cout << what << ": transaction " << result.tx_id << " committed in block " << result.block_number << "\n";
}

absl::StatusOr<client::UploadedDocument> UploadFile(const Session& session, const std::string& path) {
  ASSIGN_OR_RETURN(std::string content, file::ReadFile(path, kMaxFileBytes));
  ASSIGN_OR_RETURN(client::VaultClient vault, VaultOf(session, session.user.peer->name));
  ASSIGN_OR_RETURN(client::UploadedDocument stored, vault.Upload(session.user.channel, content));
  std::cout << (stored.already_stored ? "already stored " : "stored ") << path << " (" << stored.size
            << " bytes, SHA-256 " << stored.sha256 << ") at " << stored.location << "\n";
  return stored;
}

absl::Status RunUpload(const DocumentFlags& flags) {
  ASSIGN_OR_RETURN(Session session, Connect(flags.connection));
  ASSIGN_OR_RETURN(client::UploadedDocument stored, UploadFile(session, flags.file));
  const std::string media_type = flags.media_type.empty() ? kDefaultMediaType : flags.media_type;
  absl::StatusOr<client::SubmitResult> added = session.user.gateway.Submit(
      session.user.channel, kChaincode,
      {"AddRecord", flags.patient, flags.record, flags.category, stored.sha256, std::to_string(stored.size),
       media_type, stored.location});
  if (!added.ok()) {
    return Annotate(added.status(), absl::StrCat("the document is in the vault but record ", flags.record,
                                                 " was not added"));
  }
  PrintTransaction(absl::StrCat("AddRecord ", flags.record, " version 1"), *added);
  return absl::OkStatus();
}

absl::Status RunAmend(const DocumentFlags& flags) {
  ASSIGN_OR_RETURN(Session session, Connect(flags.connection));
  std::string media_type = flags.media_type;
  if (media_type.empty()) {
    ASSIGN_OR_RETURN(RecordVersion latest, GetRecord(session, flags.record, 0));
    media_type = latest.media_type.empty() ? kDefaultMediaType : latest.media_type;
  }
  ASSIGN_OR_RETURN(client::UploadedDocument stored, UploadFile(session, flags.file));
  absl::StatusOr<client::SubmitResult> amended = session.user.gateway.Submit(
      session.user.channel, kChaincode,
      {"AmendRecord", flags.record, stored.sha256, std::to_string(stored.size), media_type, stored.location});
  if (!amended.ok()) {
    return Annotate(amended.status(), absl::StrCat("the document is in the vault but record ", flags.record,
                                                   " was not amended"));
  }
  nlohmann::json version = nlohmann::json::parse(amended->payload, nullptr, false);
  const std::string number = version.is_object() && version.contains("version") ? version["version"].dump() : "?";
  PrintTransaction(absl::StrCat("AmendRecord ", flags.record, " version ", number), *amended);
  return absl::OkStatus();
}

absl::Status RunFetch(const DocumentFlags& flags) {
  ASSIGN_OR_RETURN(Session session, Connect(flags.connection));
  ASSIGN_OR_RETURN(RecordVersion record, GetRecord(session, flags.record, flags.version));
  ASSIGN_OR_RETURN(client::VaultLocation location, client::ParseVaultLocation(record.location));
  if (location.sha256 != record.sha256) {
    return absl::DataLossError(absl::StrCat("record ", flags.record, " version ", record.version, " names document ",
                                            location.sha256, " at its location but registers ", record.sha256));
  }
  ASSIGN_OR_RETURN(client::VaultClient vault, VaultOf(session, location.node_name));
  ASSIGN_OR_RETURN(client::SubmitResult access,
                   session.user.gateway.Submit(session.user.channel, kChaincode,
                                               {"LogAccess", flags.record, std::to_string(record.version)}));
  PrintTransaction(absl::StrCat("LogAccess ", flags.record, " version ", record.version), access);
  ASSIGN_OR_RETURN(std::string content, vault.Download(session.user.channel, flags.record, record.version,
                                                       record.sha256, access.tx_id));
  RETURN_IF_ERROR(file::WriteFileAtomic(flags.out, content, 0600));
  std::cout << "fetched " << flags.record << " version " << record.version << " from " << location.node_name
            << " into " << flags.out << " (" << content.size() << " bytes, SHA-256 " << record.sha256
            << " as on the ledger)\n";
  return absl::OkStatus();
}

absl::Status RunVerify(const DocumentFlags& flags) {
  ASSIGN_OR_RETURN(std::string content, file::ReadFile(flags.file, kMaxFileBytes));
  const std::string sha256 = client::DocumentSha256(content);
  ASSIGN_OR_RETURN(Session session, Connect(flags.connection));
  std::vector<std::string> args = {"VerifyRecord", flags.record, sha256};
  if (flags.version != 0) args.push_back(std::to_string(flags.version));
  ASSIGN_OR_RETURN(nlohmann::json verdict, EvaluateJson(session, args));
  const bool matches = verdict.value("matches", false);
  const std::string version = verdict.contains("version") ? verdict["version"].dump() : "?";
  std::cout << flags.file << " (SHA-256 " << sha256 << ") " << (matches ? "matches" : "does NOT match")
            << " record " << flags.record << " version " << version;
  if (!matches && verdict.contains("matchesVersion") && verdict["matchesVersion"].is_number()) {
    std::cout << "; it is version " << verdict["matchesVersion"].dump();
  }
  std::cout << "\n";
  if (!matches) {
    return absl::FailedPreconditionError(
        absl::StrCat(flags.file, " does not match record ", flags.record, " version ", version));
  }
  return absl::OkStatus();
}

absl::Status RunErase(const DocumentFlags& flags) {
  ASSIGN_OR_RETURN(Session session, Connect(flags.connection));
  ASSIGN_OR_RETURN(RecordVersion latest, GetRecord(session, flags.record, 0));
  // The vaults holding some version's document; each erases every version it holds.
  std::map<std::string, std::vector<uint64_t>> vaults;
  for (uint64_t version = 1; version <= latest.version; ++version) {
    ASSIGN_OR_RETURN(RecordVersion record, GetRecord(session, flags.record, version));
    absl::StatusOr<client::VaultLocation> location = client::ParseVaultLocation(record.location);
    if (!location.ok()) {
      std::cout << "version " << version << " is not in a vault (" << record.location << "): skipped\n";
      continue;
    }
    vaults[location->node_name].push_back(version);
  }
  for (const auto& [node, versions] : vaults) {
    ASSIGN_OR_RETURN(client::VaultClient vault, VaultOf(session, node));
    ASSIGN_OR_RETURN(std::vector<client::ErasedDocument> erased, vault.Erase(session.user.channel, flags.record));
    for (const client::ErasedDocument& document : erased) {
      std::cout << (document.already_erased ? "already erased " : "erased ") << flags.record << " version "
                << document.version << " (SHA-256 " << document.sha256 << ") at " << node << " at "
                << absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", document.erased_at, absl::UTCTimeZone()) << "\n";
    }
    if (erased.empty()) std::cout << node << " held no document of " << flags.record << "\n";
  }
  std::cout << "the hashes and history of " << flags.record << " stay on the ledger\n";
  return absl::OkStatus();
}

}  // namespace

void RegisterDocumentCommands(CLI::App& app, CommandResult& result) {
  CLI::App* document =
      app.add_subcommand("document",
                         "Medical documents: stored encrypted in the hospitals' vaults, hashed on the ledger");
  document->require_subcommand(1);

  auto upload = std::make_shared<DocumentFlags>();
  CLI::App* upload_cmd = document->add_subcommand("upload", "Store a document in your peer's vault and add the record");
  AddConnectionOptions(upload_cmd, upload->connection, true);
  upload_cmd->add_option("--patient", upload->patient, "the patient ID")->required();
  upload_cmd->add_option("--record", upload->record, "the new record's ID")->required();
  upload_cmd->add_option("--category", upload->category, "the record's category, e.g. lab")->required();
  upload_cmd->add_option("--file", upload->file, "the document")->required();
  upload_cmd->add_option("--media-type", upload->media_type, "its media type (default application/octet-stream)");
  upload_cmd->callback([upload, &result] { result.status = healthcare::ExplainGatewayError(RunUpload(*upload)); });

  auto amend = std::make_shared<DocumentFlags>();
  CLI::App* amend_cmd = document->add_subcommand("amend", "Store a new version of a record's document");
  AddConnectionOptions(amend_cmd, amend->connection, true);
  amend_cmd->add_option("--record", amend->record, "the record's ID")->required();
  amend_cmd->add_option("--file", amend->file, "the new document")->required();
  amend_cmd->add_option("--media-type", amend->media_type, "its media type (default the latest version's)");
  amend_cmd->callback([amend, &result] { result.status = healthcare::ExplainGatewayError(RunAmend(*amend)); });

  auto fetch = std::make_shared<DocumentFlags>();
  CLI::App* fetch_cmd =
      document->add_subcommand("fetch", "Log an access on the ledger and download the document it opens");
  AddConnectionOptions(fetch_cmd, fetch->connection, true);
  fetch_cmd->add_option("--record", fetch->record, "the record's ID")->required();
  fetch_cmd->add_option("--version", fetch->version, "the version (default the latest)");
  fetch_cmd->add_option("--out", fetch->out, "where to write the document")->required();
  fetch_cmd->callback([fetch, &result] { result.status = healthcare::ExplainGatewayError(RunFetch(*fetch)); });

  auto verify = std::make_shared<DocumentFlags>();
  CLI::App* verify_cmd = document->add_subcommand("verify", "Check a file against a record's hash on the ledger");
  AddConnectionOptions(verify_cmd, verify->connection, false);
  verify_cmd->add_option("--record", verify->record, "the record's ID")->required();
  verify_cmd->add_option("--file", verify->file, "the file to check")->required();
  verify_cmd->add_option("--version", verify->version, "the version (default the latest)");
  verify_cmd->callback([verify, &result] { result.status = healthcare::ExplainGatewayError(RunVerify(*verify)); });

  auto erase = std::make_shared<DocumentFlags>();
  CLI::App* erase_cmd = document->add_subcommand(
      "erase", "Destroy every version's document of a record in the vaults; its hashes stay on the ledger");
  AddConnectionOptions(erase_cmd, erase->connection, true);
  erase_cmd->add_option("--record", erase->record, "the record's ID")->required();
  erase_cmd->callback([erase, &result] { result.status = healthcare::ExplainGatewayError(RunErase(*erase)); });

  CLI::App* vault = app.add_subcommand("vault", "The document vault's keys");
  vault->require_subcommand(1);
  auto key_out = std::make_shared<std::string>();
  CLI::App* keygen_cmd =
      vault->add_subcommand("keygen", "Create a vault master key file (mode 0600); never overwrites one");
  keygen_cmd->add_option("--out", *key_out, "the key file to create")->required();
  keygen_cmd->callback([key_out, &result] {
    result.status = vault::GenerateMasterKeyFile(*key_out);
    if (result.status.ok()) std::cout << "wrote a new vault master key to " << *key_out << " (mode 0600)\n";
  });
}

}  // namespace careledger::cli
