// careledger identity list | issue | revoke: enrolment and revocation after a consortium was generated.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/encoding/hex.h"
#include "common/status_macros.h"
#include "network/cli/command.h"
#include "network/consortium/consortium.h"
#include "network/identity/consortium_identities.h"
#include "network/identity/organization_pki.h"
#include "msp/msp.h"
#include "msp/msp_dir.h"

namespace careledger::cli {
namespace {

struct IdentityOptions {
  std::string dir;
  std::string org;
  std::string name;
  std::string type = "client";
  std::string role;
  std::string person_id;
  std::vector<std::string> attributes;  // key=value
};

absl::StatusOr<network::Consortium> LoadRecorded(const std::string& dir) {
  auto consortium = network::LoadConsortium(dir + "/consortium.yaml");
  if (!consortium.ok() && consortium.status().code() == absl::StatusCode::kNotFound) {
    return absl::NotFoundError(
        absl::StrCat(dir, " holds no consortium.yaml: run `careledger crypto generate --out ", dir, "` first"));
  }
  return consortium;
}

absl::StatusOr<network::OrganizationPki> OpenOrg(const std::string& dir, const network::Consortium& consortium,
                                                 const std::string& org) {
  const network::OrganizationSpec* spec = consortium.FindOrganization(org);
  if (spec == nullptr) {
    std::string known;
    for (const auto& o : consortium.organizations) absl::StrAppend(&known, known.empty() ? "" : ", ", o.name);
    return absl::NotFoundError(absl::StrCat("no organisation '", org, "' in the consortium (known: ", known, ")"));
  }
  return network::OrganizationPki::OpenOrCreate(network::OrganizationDir(dir, *spec), *spec, absl::Now());
}

absl::Status RunList(const IdentityOptions& opts) {
  ASSIGN_OR_RETURN(network::Consortium consortium, LoadRecorded(opts.dir));
  ASSIGN_OR_RETURN(auto identities, network::ListConsortiumIdentities(consortium, opts.dir, absl::Now()));
  std::cout << network::FormatIdentityTable(identities);
  return absl::OkStatus();
}

// Checks every identity the way a node would: the organisation's MSP built from its msp/ folder must accept
// the identity, and the identity's key must produce signatures that verify.
absl::Status RunVerify(const IdentityOptions& opts) {
  ASSIGN_OR_RETURN(network::Consortium consortium, LoadRecorded(opts.dir));
  int accepted = 0, rejected = 0;
  for (const network::OrganizationSpec& org : consortium.organizations) {
    const std::string org_dir = network::OrganizationDir(opts.dir, org);
    ASSIGN_OR_RETURN(::msp::FabricMSPConfig config, msp::LoadMspConfig(org_dir + "/msp", org.msp_id));
    ASSIGN_OR_RETURN(std::shared_ptr<const msp::Msp> org_msp, msp::Msp::Create(config));
    ASSIGN_OR_RETURN(network::OrganizationPki pki, network::OrganizationPki::OpenOrCreate(org_dir, org, absl::Now()));
    ASSIGN_OR_RETURN(std::vector<network::IdentityInfo> identities, pki.ListIdentities());
    for (const network::IdentityInfo& info : identities) {
      absl::Status verdict = [&]() -> absl::Status {
        ASSIGN_OR_RETURN(msp::SigningIdentity signer, msp::LoadSigningIdentity(info.dir + "/msp", org.msp_id));
        ::msp::SerializedIdentity serialized;
        serialized.ParseFromString(signer.SerializedIdentity());
        ASSIGN_OR_RETURN(std::shared_ptr<const msp::Identity> identity, org_msp->DeserializeIdentity(serialized));
        RETURN_IF_ERROR(identity->CheckValidAt(absl::Now()));
        const std::string challenge = "careledger identity verify " + info.full_name;
        ASSIGN_OR_RETURN(std::string signature, signer.Sign(challenge));
        return identity->Verify(challenge, signature);
      }();
      (verdict.ok() ? accepted : rejected)++;
      std::cout << (verdict.ok() ? "ok        " : "rejected  ") << org.msp_id << "  " << info.full_name;
      if (!verdict.ok()) std::cout << ": " << verdict.message();
      std::cout << "\n";
    }
  }
  std::cout << accepted << " identities accepted by their organisation's MSP, " << rejected << " rejected\n";
  return absl::OkStatus();
}

absl::Status RunIssue(const IdentityOptions& opts) {
  ASSIGN_OR_RETURN(network::Consortium consortium, LoadRecorded(opts.dir));
  ASSIGN_OR_RETURN(network::OrganizationPki pki, OpenOrg(opts.dir, consortium, opts.org));
  network::IdentityRequest request;
  request.kind = network::IdentityKind::kUser;
  request.name = opts.name;
  if (opts.type == "admin") {
    request.node_ou = msp::NodeRole::kAdmin;
  } else if (opts.type != "client") {
    return absl::InvalidArgumentError(absl::StrCat("--type must be client or admin, got '", opts.type, "'"));
  }
  for (const std::string& kv : opts.attributes) {
    const size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return absl::InvalidArgumentError(absl::StrCat("--attr '", kv, "' is not name=value"));
    }
    request.attributes[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  if (!opts.role.empty()) {
    RETURN_IF_ERROR(network::CheckRoleAllowed(opts.role, pki.spec().type));
    request.attributes[network::kRoleAttribute] = opts.role;
  }
  if (!opts.person_id.empty()) request.attributes[network::kPersonIdAttribute] = opts.person_id;
  ASSIGN_OR_RETURN(network::IdentityInfo info, pki.Issue(request, absl::Now()));
  std::cout << "Issued " << info.full_name << " (" << msp::NodeRoleName(info.node_ou) << ") of "
            << pki.spec().msp_id << ", serial " << HexEncode(info.certificate.serial_number()) << ", in " << info.dir
            << "\n";
  return absl::OkStatus();
}

absl::Status RunRevoke(const IdentityOptions& opts) {
  ASSIGN_OR_RETURN(network::Consortium consortium, LoadRecorded(opts.dir));
  ASSIGN_OR_RETURN(network::OrganizationPki pki, OpenOrg(opts.dir, consortium, opts.org));
  for (network::IdentityKind kind :
       {network::IdentityKind::kUser, network::IdentityKind::kPeer, network::IdentityKind::kOrderer}) {
    const std::string dir = pki.IdentityDir(kind, opts.name);
    auto crl = pki.Revoke(dir, absl::Now());
    if (crl.status().code() == absl::StatusCode::kNotFound) continue;
    if (!crl.ok()) return crl.status();
    std::cout << "Revoked " << pki.FullName(kind, opts.name) << "; " << pki.spec().msp_id << " CRL now lists "
              << crl->revoked_serials().size() << " certificate(s). Nodes read it from msp/crls; channel members "
              << "learn it with the next configuration update.\n";
    return absl::OkStatus();
  }
  return absl::NotFoundError(absl::StrCat("no identity '", opts.name, "' in organisation ", opts.org));
}

}  // namespace

void RegisterIdentityCommands(CLI::App& app, CommandResult& result) {
  CLI::App* identity = app.add_subcommand("identity", "Enrol, list and revoke identities of a generated consortium");
  identity->require_subcommand(1);
  auto opts = std::make_shared<IdentityOptions>();

  CLI::App* list = identity->add_subcommand("list", "Print every identity with its roles, expiry and status");
  list->add_option("--dir", opts->dir, "folder made by `careledger crypto generate`")->required();
  list->callback([opts, &result] { result.status = RunList(*opts); });

  CLI::App* verify = identity->add_subcommand(
      "verify", "Check every identity against its organisation's MSP folder, with a signature round trip");
  verify->add_option("--dir", opts->dir, "folder made by `careledger crypto generate`")->required();
  verify->callback([opts, &result] { result.status = RunVerify(*opts); });

  CLI::App* issue = identity->add_subcommand("issue", "Enrol a new user (doctor, nurse, patient, ...) under an "
                                                      "organisation's CA");
  issue->add_option("--dir", opts->dir, "folder made by `careledger crypto generate`")->required();
  issue->add_option("--org", opts->org, "organisation name or MSP ID")->required();
  issue->add_option("--name", opts->name, "user name, e.g. dr.carol")->required();
  issue->add_option("--type", opts->type, "node OU: client (default) or admin");
  issue->add_option("--role", opts->role, "role attribute: doctor, nurse, patient, guardian or regulator");
  issue->add_option("--person-id", opts->person_id, "stable person ID attribute, e.g. D-1003");
  issue->add_option("--attr", opts->attributes, "extra attribute name=value (repeatable)");
  issue->callback([opts, &result] { result.status = RunIssue(*opts); });

  CLI::App* revoke = identity->add_subcommand("revoke", "Revoke an identity: add it to its CA's CRL");
  revoke->add_option("--dir", opts->dir, "folder made by `careledger crypto generate`")->required();
  revoke->add_option("--org", opts->org, "organisation name or MSP ID")->required();
  revoke->add_option("--name", opts->name, "user or node name, e.g. dr.carol or peer0")->required();
  revoke->callback([opts, &result] { result.status = RunRevoke(*opts); });
}

}  // namespace careledger::cli
