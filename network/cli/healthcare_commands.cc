// careledger patient | record | emergency | accesslog: the healthcare chaincode (docs/healthcare-chaincode.md)
// used by the people of a local network (`careledger network up`), each with their own identity, through their
// organisation's peer's Gateway (network/launcher/network_user.h; the regulator's is its audit peer).
//
//   patient register  [--patient P] [--profile REF (default none)]  RegisterPatient
//   patient show      [--patient P]                                 GetPatient
//   patient grant     --to USER | --to-hospital MSP | --to-msp M --to-person ID
//                     --scope read|write|readwrite [--categories lab,imaging] --expires 30d|RFC3339|unix
//                                                                   GrantConsent
//   patient revoke    --from USER | --from-hospital MSP | --from-msp M --from-person ID      RevokeConsent
//   patient consents  [--patient P]                                 ListConsents
//   patient guardian add|remove --guardian USER | --guardian-msp M --guardian-person ID     Add/RemoveGuardian
//   record show       --record R [--version N]                      GetRecord
//   record history    --record R                                    RecordHistory
//   record list       [--patient P]                                 ListRecords
//   emergency open    --patient P --reason TEXT --duration 2h       OpenEmergencyAccess
//   emergency list                                                  ListEmergencyAccesses
//   accesslog         --patient P | --doctor USER|MSP:ID            AccessLogByPatient / AccessLogByDoctor
//
// Every command takes --user NAME (required: the network user it acts as), --dir (default out/network), --peer
// NODE (another peer than the user's own), -C/--channel, --chaincode (default healthcare) and --timeout (60s);
// reads also --output table|json. --patient defaults to the user's own person_id. A user named as a grantee,
// guardian or doctor is resolved to (MSP, person_id) from their certificate.
//
// Reads are evaluated; writes are submitted and print what happened, then the transaction ID and its block. A
// chaincode refusal prints "careledger: refused by the healthcare chaincode: <reason>" and exits 2 for invalid
// arguments, 1 otherwise (network/healthcare/refusal.h); other failures exit 1, a wrong command line 2.
#include "network/cli/command.h"

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/crypto/pem_file.h"
#include "common/status_macros.h"
#include "network/client/gateway_client.h"
#include "network/healthcare/person.h"
#include "network/healthcare/refusal.h"
#include "network/healthcare/result_format.h"
#include "network/healthcare/time_arguments.h"
#include "network/launcher/network_state.h"
#include "network/launcher/network_user.h"

namespace careledger::cli {
namespace {

using healthcare::OutputFormat;
using healthcare::Person;

constexpr char kDefaultDir[] = "out/network";

// Flags every role command takes.
struct CommonFlags {
  std::string dir = kDefaultDir;
  std::string user;
  std::string peer;
  std::string channel;
  std::string chaincode = "healthcare";
  std::string timeout = "60s";
  std::string output = "table";
};

// A user connected to their peer. The connection points into the state, so both live on the heap together.
struct Session {
  std::unique_ptr<launcher::NetworkState> state;
  std::unique_ptr<launcher::UserConnection> connection;
  std::string chaincode;
  absl::Duration timeout;
  OutputFormat output = OutputFormat::kTable;

  const std::string& channel() const { return connection->channel; }
  // "pat.bob@hospital1.example.org through peer0.hospital1.example.org"
  std::string Via() const { return absl::StrCat(connection->user.name, " through ", connection->peer->name); }
};

absl::StatusOr<Session> Connect(const CommonFlags& flags) {
  Session session;
  absl::Duration timeout;
  if (!absl::ParseDuration(flags.timeout, &timeout) || timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--timeout '", flags.timeout, "' is not a positive duration such as 60s"));
  }
  session.timeout = timeout;
  ASSIGN_OR_RETURN(session.output, healthcare::ParseOutputFormat(flags.output));
  session.chaincode = flags.chaincode;
  ASSIGN_OR_RETURN(launcher::NetworkState state, launcher::ReadNetworkState(flags.dir));
  session.state = std::make_unique<launcher::NetworkState>(std::move(state));
  launcher::UserConnectionOptions options;
  options.user = flags.user;
  options.peer = flags.peer;
  options.channel = flags.channel;
  ASSIGN_OR_RETURN(launcher::UserConnection connection, launcher::ConnectNetworkUser(*session.state, options));
  session.connection = std::make_unique<launcher::UserConnection>(std::move(connection));
  return session;
}

// The person network user `name` is, from their certificate.
absl::StatusOr<Person> PersonOfUser(const launcher::NetworkState& state, const std::string& name) {
  ASSIGN_OR_RETURN(launcher::NetworkUser user, launcher::FindNetworkUser(state, name));
  ASSIGN_OR_RETURN(std::vector<crypto::Certificate> certificates, crypto::ReadCertificateFile(user.CertFile()));
  absl::StatusOr<Person> person = healthcare::PersonOfCertificate(certificates.front(), user.organization->msp_id);
  if (!person.ok()) return Annotate(person.status(), absl::StrCat("user ", user.name));
  return person;
}

// --patient, or the session's user's own person_id.
absl::StatusOr<std::string> PatientOrSelf(const Session& session, const std::string& patient) {
  if (!patient.empty()) return patient;
  absl::StatusOr<Person> self =
      healthcare::PersonOfCertificate(session.connection->signer->certificate(), session.connection->signer->msp_id());
  if (!self.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("give --patient: user ", session.connection->user.name, " has no person_id of their own"));
  }
  return self->person_id;
}

// A person given as a network user of role `role`, or as MSP + person ID; `what` is the flags' stem ("--to").
absl::StatusOr<Person> PersonFromFlags(const Session& session, const std::string& what, std::string_view role,
                                       const std::string& user, const std::string& msp, const std::string& person) {
  if (!user.empty()) {
    if (!msp.empty() || !person.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("give ", what, " or ", what, "-msp with ", what, "-person, not both"));
    }
    ASSIGN_OR_RETURN(Person found, PersonOfUser(*session.state, user));
    RETURN_IF_ERROR(healthcare::RequireRole(found, role, user));
    return found;
  }
  if (msp.empty() || person.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("give ", what, " USER, or both ", what, "-msp and ", what, "-person"));
  }
  return Person{msp, person, ""};
}

absl::StatusOr<std::string> Evaluate(const Session& session, const std::vector<std::string>& args) {
  client::EvaluateOptions options;
  options.timeout = session.timeout;
  absl::StatusOr<std::string> payload =
      session.connection->gateway.Evaluate(session.channel(), session.chaincode, args, options);
  if (!payload.ok()) return healthcare::ExplainGatewayError(payload.status());
  return payload;
}

absl::StatusOr<client::SubmitResult> Submit(const Session& session, const std::vector<std::string>& args) {
  client::SubmitOptions options;
  options.timeout = session.timeout;
  absl::StatusOr<client::SubmitResult> result =
      session.connection->gateway.Submit(session.channel(), session.chaincode, args, options);
  if (!result.ok()) return healthcare::ExplainGatewayError(result.status());
  return result;
}

using Formatter = absl::StatusOr<std::string> (*)(std::string_view);

// A read's result: the chaincode's JSON as it is, or formatted.
absl::Status PrintRead(const Session& session, const std::string& payload, Formatter format) {
  if (session.output == OutputFormat::kJson) {
    std::cout << payload << "\n";
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(std::string text, format(payload));
  std::cout << text;
  return absl::OkStatus();
}

absl::Status Read(const Session& session, const std::vector<std::string>& args, Formatter format) {
  ASSIGN_OR_RETURN(std::string payload, Evaluate(session, args));
  return PrintRead(session, payload, format);
}

// A write: what happened, the chaincode's result, then the transaction and its block.
absl::Status Write(const Session& session, const std::vector<std::string>& args, const std::string& what,
                   Formatter format) {
  ASSIGN_OR_RETURN(client::SubmitResult result, Submit(session, args));
  std::cout << what << " (" << session.Via() << ")\n";
  absl::StatusOr<std::string> text = format(result.payload);
  // The transaction committed: an unreadable result must not hide its ID.
  std::cout << (text.ok() ? *text : absl::StrCat("result: ", result.payload, "\n"))
            << healthcare::DescribeCommit(result.tx_id, result.block_number) << "\n";
  return absl::OkStatus();
}

// --- patient ------------------------------------------------------------------------------------------------

struct RegisterFlags {
  CommonFlags common;
  std::string patient;
  // The chaincode requires a profile reference; a patient registered without one says so in words.
  std::string profile = "none";
};

absl::Status RunRegister(const RegisterFlags& flags) {
  ASSIGN_OR_RETURN(Session session, Connect(flags.common));
  ASSIGN_OR_RETURN(std::string patient, PatientOrSelf(session, flags.patient));
  return Write(session, {"RegisterPatient", patient, flags.profile},
               absl::StrCat("registered patient ", patient, " at ", session.connection->user.organization->msp_id),
               healthcare::FormatPatient);
}

struct PatientFlags {
  CommonFlags common;
  std::string patient;
};

// A read of one patient: `function` with the patient ID (GetPatient, ListConsents, ListRecords).
absl::Status ReadPatient(const PatientFlags& flags, const char* function, Formatter format) {
  ASSIGN_OR_RETURN(Session session, Connect(flags.common));
  ASSIGN_OR_RETURN(std::string patient, PatientOrSelf(session, flags.patient));
  return Read(session, {function, patient}, format);
}

// Runs ReadPatient(flags, function, format).
auto PatientReader(const char* function, Formatter format) {
  return [function, format](const PatientFlags& flags) { return ReadPatient(flags, function, format); };
}

// A grantee: a doctor (user, or MSP + person) or every doctor of a hospital.
struct GranteeFlags {
  std::string user;
  std::string hospital;
  std::string msp;
  std::string person;
};

// The grantee's (MSP, person ID or "*") and how to say it.
absl::StatusOr<Person> Grantee(const Session& session, const std::string& stem, const GranteeFlags& flags) {
  if (!flags.hospital.empty()) {
    if (!flags.user.empty() || !flags.msp.empty() || !flags.person.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("give one of ", stem, ", ", stem, "-hospital or ", stem, "-msp with ", stem, "-person"));
    }
    return Person{flags.hospital, "*", ""};
  }
  if (flags.user.empty() && flags.msp.empty() && flags.person.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("give ", stem, " USER, ", stem, "-hospital MSP, or ", stem, "-msp with ", stem, "-person"));
  }
  return PersonFromFlags(session, stem, "doctor", flags.user, flags.msp, flags.person);
}

std::string DescribeGrantee(const Person& grantee) {
  return grantee.person_id == "*" ? absl::StrCat("every doctor of ", grantee.msp_id)
                                  : absl::StrCat("doctor ", healthcare::DescribePerson(grantee));
}

struct GrantFlags {
  CommonFlags common;
  std::string patient;
  GranteeFlags to;
  std::string scope;
  std::string categories;
  std::string expires;
};

absl::Status RunGrant(const GrantFlags& flags) {
  ASSIGN_OR_RETURN(int64_t expires, healthcare::ParseExpiry(flags.expires, absl::Now()));
  ASSIGN_OR_RETURN(Session session, Connect(flags.common));
  ASSIGN_OR_RETURN(std::string patient, PatientOrSelf(session, flags.patient));
  ASSIGN_OR_RETURN(Person grantee, Grantee(session, "--to", flags.to));
  return Write(session,
               {"GrantConsent", patient, grantee.msp_id, grantee.person_id, flags.scope, flags.categories,
                absl::StrCat(expires)},
               absl::StrCat("patient ", patient, " granted ", flags.scope, " consent to ", DescribeGrantee(grantee)),
               healthcare::FormatConsent);
}

struct RevokeFlags {
  CommonFlags common;
  std::string patient;
  GranteeFlags from;
};

absl::Status RunRevoke(const RevokeFlags& flags) {
  ASSIGN_OR_RETURN(Session session, Connect(flags.common));
  ASSIGN_OR_RETURN(std::string patient, PatientOrSelf(session, flags.patient));
  ASSIGN_OR_RETURN(Person grantee, Grantee(session, "--from", flags.from));
  return Write(session, {"RevokeConsent", patient, grantee.msp_id, grantee.person_id},
               absl::StrCat("patient ", patient, " revoked the consent of ", DescribeGrantee(grantee)),
               healthcare::FormatRevocation);
}

struct GuardianFlags {
  CommonFlags common;
  std::string patient;
  std::string guardian;
  std::string msp;
  std::string person;
};

absl::Status RunGuardian(const GuardianFlags& flags, bool add) {
  ASSIGN_OR_RETURN(Session session, Connect(flags.common));
  ASSIGN_OR_RETURN(std::string patient, PatientOrSelf(session, flags.patient));
  ASSIGN_OR_RETURN(Person guardian,
                   PersonFromFlags(session, "--guardian", "guardian", flags.guardian, flags.msp, flags.person));
  return Write(session, {add ? "AddGuardian" : "RemoveGuardian", patient, guardian.msp_id, guardian.person_id},
               absl::StrCat("patient ", patient, add ? " added " : " removed ", "guardian ",
                            healthcare::DescribePerson(guardian)),
               healthcare::FormatGuardianEntry);
}

// --- record -------------------------------------------------------------------------------------------------

struct RecordFlags {
  CommonFlags common;
  std::string record;
  std::string version;
};

absl::Status RunShowRecord(const RecordFlags& flags) {
  ASSIGN_OR_RETURN(Session session, Connect(flags.common));
  std::vector<std::string> args = {"GetRecord", flags.record};
  if (!flags.version.empty()) args.push_back(flags.version);
  return Read(session, args, healthcare::FormatRecordVersion);
}

absl::Status RunRecordHistory(const RecordFlags& flags) {
  ASSIGN_OR_RETURN(Session session, Connect(flags.common));
  return Read(session, {"RecordHistory", flags.record}, healthcare::FormatRecordHistory);
}

// --- emergency and access log -------------------------------------------------------------------------------

struct EmergencyFlags {
  CommonFlags common;
  std::string patient;
  std::string reason;
  std::string duration;
};

absl::Status RunEmergencyOpen(const EmergencyFlags& flags) {
  ASSIGN_OR_RETURN(int64_t seconds, healthcare::ParseEmergencyDuration(flags.duration));
  ASSIGN_OR_RETURN(Session session, Connect(flags.common));
  return Write(session, {"OpenEmergencyAccess", flags.patient, flags.reason, absl::StrCat(seconds)},
               absl::StrCat("opened emergency access to patient ", flags.patient, " for ", seconds, " s"),
               healthcare::FormatEmergencyAccess);
}

absl::Status RunEmergencyList(const CommonFlags& flags) {
  ASSIGN_OR_RETURN(Session session, Connect(flags));
  return Read(session, {"ListEmergencyAccesses"}, healthcare::FormatEmergencyAccesses);
}

struct AccessLogFlags {
  CommonFlags common;
  std::string patient;
  std::string doctor;
};

absl::Status RunAccessLog(const AccessLogFlags& flags) {
  if (flags.patient.empty() == flags.doctor.empty()) {
    return absl::InvalidArgumentError("give either --patient P or --doctor USER|MSP:ID");
  }
  ASSIGN_OR_RETURN(Session session, Connect(flags.common));
  if (!flags.patient.empty()) {
    return Read(session, {"AccessLogByPatient", flags.patient}, healthcare::FormatAccessLog);
  }
  Person doctor;
  if (healthcare::IsPersonRef(flags.doctor)) {
    ASSIGN_OR_RETURN(doctor, healthcare::ParsePersonRef(flags.doctor));
  } else {
    ASSIGN_OR_RETURN(doctor, PersonOfUser(*session.state, flags.doctor));
    RETURN_IF_ERROR(healthcare::RequireRole(doctor, "doctor", flags.doctor));
  }
  return Read(session, {"AccessLogByDoctor", doctor.msp_id, doctor.person_id}, healthcare::FormatAccessLog);
}

// --- registration -------------------------------------------------------------------------------------------

void AddCommonFlags(CLI::App* command, CommonFlags& flags, bool lists) {
  command->add_option("--user", flags.user, "the network user to act as: dr.alice, or dr.alice@hospital1.example.org")
      ->required();
  command->add_option("--dir", flags.dir, "the network folder (default out/network)");
  command->add_option("--peer", flags.peer, "the peer's node name (default the user's organisation's peer)");
  command->add_option("-C,--channel", flags.channel, "the channel (default the network's first)");
  command->add_option("--chaincode", flags.chaincode, "the healthcare chaincode's name (default healthcare)");
  command->add_option("--timeout", flags.timeout, "for the call, the commit included (default 60s)");
  if (lists) command->add_option("-o,--output", flags.output, "table (default) or json: the chaincode's result as is");
}

// Registers `command`'s callback: `run(flags)` into `result`.
template <typename Flags, typename Run>
void OnRun(CLI::App* command, std::shared_ptr<Flags> flags, Run run, CommandResult& result) {
  command->callback([flags, run, &result] { result.status = run(*flags); });
}

void AddGranteeFlags(CLI::App* command, const std::string& stem, GranteeFlags& flags) {
  command->add_option(stem, flags.user, "the doctor, as a network user (their certificate's MSP and person_id)");
  command->add_option(stem + "-hospital", flags.hospital, "every doctor of this hospital's MSP, e.g. Hospital2MSP");
  command->add_option(stem + "-msp", flags.msp, "the doctor's MSP (with " + stem + "-person)");
  command->add_option(stem + "-person", flags.person, "the doctor's person ID (with " + stem + "-msp)");
}

void RegisterPatientCommands(CLI::App& app, CommandResult& result) {
  CLI::App* patient = app.add_subcommand("patient", "A patient's registration, consents and guardians");
  patient->require_subcommand(1);

  auto reg = std::make_shared<RegisterFlags>();
  CLI::App* reg_cmd = patient->add_subcommand("register", "Register a patient (RegisterPatient)");
  AddCommonFlags(reg_cmd, reg->common, false);
  reg_cmd->add_option("--patient", reg->patient, "the patient ID (default the user's own person_id)");
  reg_cmd->add_option("--profile", reg->profile, "a reference to the patient's profile, off the chain (default none)");
  OnRun(reg_cmd, reg, RunRegister, result);

  auto show = std::make_shared<PatientFlags>();
  CLI::App* show_cmd = patient->add_subcommand("show", "A patient and their guardians (GetPatient)");
  AddCommonFlags(show_cmd, show->common, true);
  show_cmd->add_option("--patient", show->patient, "the patient ID (default the user's own person_id)");
  OnRun(show_cmd, show, PatientReader("GetPatient", healthcare::FormatPatient), result);

  auto grant = std::make_shared<GrantFlags>();
  CLI::App* grant_cmd = patient->add_subcommand("grant", "Grant a doctor or a hospital consent (GrantConsent)");
  AddCommonFlags(grant_cmd, grant->common, false);
  grant_cmd->add_option("--patient", grant->patient, "the patient ID (default the user's own person_id)");
  AddGranteeFlags(grant_cmd, "--to", grant->to);
  grant_cmd->add_option("--scope", grant->scope, "read, write or readwrite")->required();
  grant_cmd->add_option("--categories", grant->categories, "comma-separated record categories (default all)");
  grant_cmd->add_option("--expires", grant->expires, "a span from now (30d, 12h), an RFC 3339 time or unix seconds")
      ->required();
  OnRun(grant_cmd, grant, RunGrant, result);

  auto revoke = std::make_shared<RevokeFlags>();
  CLI::App* revoke_cmd = patient->add_subcommand("revoke", "Revoke a doctor's or a hospital's consent (RevokeConsent)");
  AddCommonFlags(revoke_cmd, revoke->common, false);
  revoke_cmd->add_option("--patient", revoke->patient, "the patient ID (default the user's own person_id)");
  AddGranteeFlags(revoke_cmd, "--from", revoke->from);
  OnRun(revoke_cmd, revoke, RunRevoke, result);

  auto consents = std::make_shared<PatientFlags>();
  CLI::App* consents_cmd = patient->add_subcommand("consents", "A patient's current consents (ListConsents)");
  AddCommonFlags(consents_cmd, consents->common, true);
  consents_cmd->add_option("--patient", consents->patient, "the patient ID (default the user's own person_id)");
  OnRun(consents_cmd, consents, PatientReader("ListConsents", healthcare::FormatConsents), result);

  CLI::App* guardian = patient->add_subcommand("guardian", "A patient's guardians");
  guardian->require_subcommand(1);
  for (bool add : {true, false}) {
    auto flags = std::make_shared<GuardianFlags>();
    CLI::App* cmd = guardian->add_subcommand(
        add ? "add" : "remove", add ? "Add a guardian (AddGuardian)" : "Remove a guardian (RemoveGuardian)");
    AddCommonFlags(cmd, flags->common, false);
    cmd->add_option("--patient", flags->patient, "the patient ID (default the user's own person_id)");
    cmd->add_option("--guardian", flags->guardian, "the guardian, as a network user");
    cmd->add_option("--guardian-msp", flags->msp, "the guardian's MSP (with --guardian-person)");
    cmd->add_option("--guardian-person", flags->person, "the guardian's person ID (with --guardian-msp)");
    OnRun(
        cmd, flags, [add](const GuardianFlags& f) { return RunGuardian(f, add); }, result);
  }
}

void RegisterRecordCommands(CLI::App& app, CommandResult& result) {
  CLI::App* record = app.add_subcommand("record", "Clinical records' provenance on the ledger");
  record->require_subcommand(1);

  auto show = std::make_shared<RecordFlags>();
  CLI::App* show_cmd = record->add_subcommand("show", "A record's latest or given version (GetRecord)");
  AddCommonFlags(show_cmd, show->common, true);
  show_cmd->add_option("--record", show->record, "the record ID")->required();
  show_cmd->add_option("--version", show->version, "the version (default the latest)");
  OnRun(show_cmd, show, RunShowRecord, result);

  auto history = std::make_shared<RecordFlags>();
  CLI::App* history_cmd = record->add_subcommand("history", "Every version of a record, newest first (RecordHistory)");
  AddCommonFlags(history_cmd, history->common, true);
  history_cmd->add_option("--record", history->record, "the record ID")->required();
  OnRun(history_cmd, history, RunRecordHistory, result);

  auto list = std::make_shared<PatientFlags>();
  CLI::App* list_cmd = record->add_subcommand("list", "A patient's records, latest versions (ListRecords)");
  AddCommonFlags(list_cmd, list->common, true);
  list_cmd->add_option("--patient", list->patient, "the patient ID (default the user's own person_id)");
  OnRun(list_cmd, list, PatientReader("ListRecords", healthcare::FormatRecordList), result);
}

void RegisterEmergencyCommands(CLI::App& app, CommandResult& result) {
  CLI::App* emergency = app.add_subcommand("emergency", "Break-glass access to a patient's records");
  emergency->require_subcommand(1);

  auto open = std::make_shared<EmergencyFlags>();
  CLI::App* open_cmd =
      emergency->add_subcommand("open", "Open emergency access as a doctor, flagged for review (OpenEmergencyAccess)");
  AddCommonFlags(open_cmd, open->common, false);
  open_cmd->add_option("--patient", open->patient, "the patient ID")->required();
  open_cmd->add_option("--reason", open->reason, "why: kept forever and reviewed")->required();
  open_cmd->add_option("--duration", open->duration, "how long, at most 24h: 2h, 30m or seconds")->required();
  OnRun(open_cmd, open, RunEmergencyOpen, result);

  auto list = std::make_shared<CommonFlags>();
  CLI::App* list_cmd =
      emergency->add_subcommand("list", "Every emergency access, for a regulator (ListEmergencyAccesses)");
  AddCommonFlags(list_cmd, *list, true);
  OnRun(list_cmd, list, RunEmergencyList, result);
}

}  // namespace

void RegisterHealthcareCommands(CLI::App& app, CommandResult& result) {
  RegisterPatientCommands(app, result);
  RegisterRecordCommands(app, result);
  RegisterEmergencyCommands(app, result);

  auto log = std::make_shared<AccessLogFlags>();
  CLI::App* log_cmd = app.add_subcommand(
      "accesslog", "Who accessed a patient's records, or what a doctor accessed (AccessLogByPatient/ByDoctor)");
  AddCommonFlags(log_cmd, log->common, true);
  log_cmd->add_option("--patient", log->patient, "the patient ID");
  log_cmd->add_option("--doctor", log->doctor, "the doctor, as a network user or MSP:ID (Hospital2MSP:D-2001)");
  OnRun(log_cmd, log, RunAccessLog, result);
}

}  // namespace careledger::cli
