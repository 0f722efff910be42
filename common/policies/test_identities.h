// Test-only stand-ins for the membership service, so that policies are tested as the pure cores they are.
//
// A TestIdentity belongs to one MSP and holds a set of roles. Like Fabric's MSP, it satisfies a ROLE
// principal only for its own MSP, and every identity of an MSP satisfies MEMBER. Its "signature" over a
// message is Sign(message); Verify accepts exactly that, unless the identity was built with a wrong key.
// AnotherEncoding gives the same signer under different serialized bytes, as one certificate in two PEM
// encodings is.
#ifndef CARELEDGER_COMMON_POLICIES_TEST_IDENTITIES_H_
#define CARELEDGER_COMMON_POLICIES_TEST_IDENTITIES_H_

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/policies/policy.h"
#include "msp/msp_principal.pb.h"

namespace careledger::policies::testing {

using Role = ::common::MSPRole::MSPRoleType;

// Policy::Evaluate takes a span, which a braced list cannot initialize (before C++26): write
// policy->Evaluate(Signers{&a, &b}).
using Signers = std::vector<const Identity*>;

inline ::common::MSPPrincipal RolePrincipal(std::string_view msp_id, Role role) {
  ::common::MSPRole msp_role;
  msp_role.set_msp_identifier(std::string(msp_id));
  msp_role.set_role(role);
  ::common::MSPPrincipal principal;
  principal.set_principal_classification(::common::MSPPrincipal::ROLE);
  principal.set_principal(msp_role.SerializeAsString());
  return principal;
}

class TestIdentity final : public Identity {
 public:
  // `name` tells identities of one MSP apart; serialized() and signer_key() are both "msp_id/name".
  TestIdentity(std::string msp_id, std::string name, std::set<Role> roles, bool signs_correctly = true)
      : TestIdentity(std::move(msp_id), name, "", std::move(roles), signs_correctly) {}

  // The signer `identity` presented as other bytes: serialized() is identity.serialized() + "#" + `encoding`,
  // everything else (signer key, roles, signatures) is the same.
  static std::shared_ptr<const TestIdentity> AnotherEncoding(const TestIdentity& identity, std::string_view encoding) {
    return std::shared_ptr<const TestIdentity>(new TestIdentity(identity.msp_id_, identity.name_,
                                                                "#" + std::string(encoding), identity.roles_,
                                                                identity.signs_correctly_));
  }

  std::string_view msp_id() const override { return msp_id_; }
  std::string_view serialized() const override { return serialized_; }
  std::string_view signer_key() const override { return signer_key_; }

  absl::Status SatisfiesPrincipal(const ::common::MSPPrincipal& principal) const override {
    ++satisfies_calls_;
    if (principal.principal_classification() != ::common::MSPPrincipal::ROLE) {
      return absl::PermissionDeniedError("test identities only know ROLE principals");
    }
    ::common::MSPRole role;
    if (!role.ParseFromString(principal.principal())) return absl::InvalidArgumentError("malformed MSPRole");
    if (role.msp_identifier() != msp_id_) return absl::PermissionDeniedError("different MSP");
    if (role.role() == ::common::MSPRole::MEMBER || roles_.contains(role.role())) return absl::OkStatus();
    return absl::PermissionDeniedError("role not held");
  }

  absl::Status Verify(std::string_view message, std::string_view signature) const override {
    ++verify_calls_;
    if (signs_correctly_ && signature == Sign(message)) return absl::OkStatus();
    return absl::InvalidArgumentError("signature mismatch");
  }

  // The signature this identity would make over `message`: the signer's, whichever encoding presents it.
  std::string Sign(std::string_view message) const {
    return "signed(" + signer_key_ + "|" + std::string(message) + ")";
  }

  int satisfies_calls() const { return satisfies_calls_.load(); }
  int verify_calls() const { return verify_calls_.load(); }

 private:
  TestIdentity(std::string msp_id, const std::string& name, const std::string& encoding, std::set<Role> roles,
               bool signs_correctly)
      : msp_id_(std::move(msp_id)),
        name_(name),
        signer_key_(msp_id_ + "/" + name),
        serialized_(signer_key_ + encoding),
        roles_(std::move(roles)),
        signs_correctly_(signs_correctly) {}

  const std::string msp_id_;
  const std::string name_;
  const std::string signer_key_;
  const std::string serialized_;
  const std::set<Role> roles_;
  const bool signs_correctly_;
  mutable std::atomic<int> satisfies_calls_{0};
  mutable std::atomic<int> verify_calls_{0};
};

// Knows the identities registered with it; anything else is malformed.
class TestDeserializer final : public IdentityDeserializer {
 public:
  std::shared_ptr<const TestIdentity> Add(std::shared_ptr<const TestIdentity> identity) {
    identities_[std::string(identity->serialized())] = identity;
    return identity;
  }

  absl::StatusOr<std::shared_ptr<const Identity>> DeserializeIdentity(std::string_view serialized) const override {
    ++calls_;
    auto it = identities_.find(std::string(serialized));
    if (it == identities_.end()) return absl::InvalidArgumentError("unknown identity bytes");
    return std::shared_ptr<const Identity>(it->second);
  }

  int calls() const { return calls_.load(); }

 private:
  std::map<std::string, std::shared_ptr<const TestIdentity>> identities_;
  mutable std::atomic<int> calls_{0};
};

}  // namespace careledger::policies::testing

#endif  // CARELEDGER_COMMON_POLICIES_TEST_IDENTITIES_H_
