#include "common/policies/signature_policy.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "common/policies/policy_parser.h"
#include "common/status_macros.h"

namespace careledger::policies {
namespace {

// Longest policy text quoted in an evaluation failure, and most principals named there: a failure message
// must stay readable and bounded whatever the policy.
constexpr size_t kMaxQuotedPolicyBytes = 512;
constexpr size_t kMaxNamedMissing = 8;

// A rule of the envelope, compiled. Gates refer to their children through a contiguous range of
// SignaturePolicyImpl::children_, so that evaluation touches no protobuf.
struct Node {
  int32_t identity = -1;  // SignedBy: index into principals_; -1 for a gate
  int32_t n = 0;          // gate: threshold
  uint32_t first_child = 0;
  uint32_t child_count = 0;
};

struct Principal {
  ::common::MSPPrincipal principal;
  std::string text;              // as printed in failure messages
  bool has_role_msp_id = false;  // a parseable ROLE principal, only ever satisfied by identities of this MSP
  std::string role_msp_id;
};

// Scratch space of one evaluation. Used-marks live in rows of `signers.size()` bytes: a gate evaluated on
// row r gives each child a copy in row r + 1, so one buffer of (depth + 1) rows serves the whole tree.
struct Evaluation {
  std::span<const Identity* const> signers;
  std::vector<unsigned char> rows;
  std::vector<int32_t> missing;  // principals of the failed SignedBy leaves that explain the failure

  unsigned char* Row(size_t row) { return rows.data() + row * signers.size(); }
};

class SignaturePolicyImpl final : public Policy {
 public:
  SignaturePolicyImpl(std::vector<Node> nodes, std::vector<uint32_t> children, std::vector<Principal> principals,
                      int max_depth, std::string text)
      : nodes_(std::move(nodes)),
        children_(std::move(children)),
        principals_(std::move(principals)),
        max_depth_(max_depth),
        text_(std::move(text)) {}

  absl::Status Evaluate(std::span<const Identity* const> signers) const override;

 private:
  bool Satisfied(uint32_t node, size_t row, Evaluation& eval) const;
  int32_t CountSatisfied(const Node& gate, size_t row, Evaluation& eval) const;
  bool TakeSigner(int32_t identity, size_t row, Evaluation& eval) const;
  std::string MissingText(const std::vector<int32_t>& missing) const;

  const std::vector<Node> nodes_;  // nodes_[0] is the root
  const std::vector<uint32_t> children_;
  const std::vector<Principal> principals_;
  const int max_depth_;
  const std::string text_;
};

bool SignaturePolicyImpl::Satisfied(uint32_t node_index, size_t row, Evaluation& eval) const {
  const Node& node = nodes_[node_index];
  if (node.identity >= 0) return TakeSigner(node.identity, row, eval);
  return CountSatisfied(node, row, eval) >= node.n;
}

int32_t SignaturePolicyImpl::CountSatisfied(const Node& gate, size_t row, Evaluation& eval) const {
  const size_t width = eval.signers.size();
  const size_t missing_mark = eval.missing.size();
  int32_t satisfied = 0;
  for (uint32_t i = 0; i < gate.child_count; ++i) {
    std::copy_n(eval.Row(row), width, eval.Row(row + 1));
    if (Satisfied(children_[gate.first_child + i], row + 1, eval)) {
      std::copy_n(eval.Row(row + 1), width, eval.Row(row));
      ++satisfied;
    }
  }
  // A satisfied gate explains nothing about a failure above it.
  if (satisfied >= gate.n) eval.missing.resize(missing_mark);
  return satisfied;
}

bool SignaturePolicyImpl::TakeSigner(int32_t identity, size_t row, Evaluation& eval) const {
  const Principal& principal = principals_[identity];
  unsigned char* used = eval.Row(row);
  for (size_t i = 0; i < eval.signers.size(); ++i) {
    if (used[i]) continue;
    const Identity& signer = *eval.signers[i];
    if (principal.has_role_msp_id && signer.msp_id() != principal.role_msp_id) continue;
    if (!signer.SatisfiesPrincipal(principal.principal).ok()) continue;
    used[i] = 1;
    return true;
  }
  eval.missing.push_back(identity);
  return false;
}

std::string SignaturePolicyImpl::MissingText(const std::vector<int32_t>& missing) const {
  std::vector<std::string_view> names;
  size_t more = 0;
  for (int32_t identity : missing) {
    const std::string_view name = principals_[identity].text;
    if (std::find(names.begin(), names.end(), name) != names.end()) continue;
    if (names.size() == kMaxNamedMissing) {
      ++more;
      continue;
    }
    names.push_back(name);
  }
  std::string text = absl::StrJoin(names, ", ", [](std::string* out, std::string_view name) { out->append(name); });
  if (more > 0) absl::StrAppend(&text, " and ", more, " more");
  return text;
}

// Drops null pointers and later copies of the same signer (same signer_key(), whatever its serialized
// bytes), keeping first-seen order.
std::vector<const Identity*> DistinctSigners(std::span<const Identity* const> signers) {
  std::vector<const Identity*> distinct;
  distinct.reserve(signers.size());
  // Signer sets are usually a handful of endorsements; a linear scan beats hashing until they are not.
  constexpr size_t kLinearScanLimit = 8;
  absl::flat_hash_set<std::string_view> seen;
  for (const Identity* signer : signers) {
    if (signer == nullptr) continue;
    if (signers.size() <= kLinearScanLimit) {
      const bool duplicate = std::any_of(distinct.begin(), distinct.end(), [signer](const Identity* other) {
        return other->signer_key() == signer->signer_key();
      });
      if (duplicate) continue;
    } else if (!seen.insert(signer->signer_key()).second) {
      continue;
    }
    distinct.push_back(signer);
  }
  return distinct;
}

absl::Status SignaturePolicyImpl::Evaluate(std::span<const Identity* const> signers) const {
  const std::vector<const Identity*> distinct = DistinctSigners(signers);
  Evaluation eval;
  eval.signers = distinct;
  eval.rows.assign(std::max<size_t>(1, (static_cast<size_t>(max_depth_) + 1) * distinct.size()), 0);

  const Node& root = nodes_[0];
  std::string counts;
  bool satisfied;
  if (root.identity >= 0) {
    satisfied = TakeSigner(root.identity, 0, eval);
  } else {
    const int32_t count = CountSatisfied(root, 0, eval);
    satisfied = count >= root.n;
    counts = absl::StrCat(" (", count, " of ", root.child_count, " sub-rules satisfied, ", root.n, " required)");
  }
  if (satisfied) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat("signature policy ", text_, " not satisfied", counts,
                                                  ": no unused signer satisfies ", MissingText(eval.missing), " (",
                                                  distinct.size(), " distinct signer(s) given)"));
}

// Validates a rule tree while flattening it into nodes. Recursion is bounded by kMaxSignaturePolicyDepth,
// checked before descending.
class Compiler {
 public:
  explicit Compiler(const ::common::SignaturePolicyEnvelope& envelope) : envelope_(envelope) {}

  absl::StatusOr<uint32_t> Compile(const ::common::SignaturePolicy& rule, int depth) {
    if (++rule_count_ > kMaxSignaturePolicyRules) {
      return Error(absl::StrCat("the envelope has more than ", kMaxSignaturePolicyRules, " rules"));
    }
    const auto node_index = static_cast<uint32_t>(nodes_.size());
    switch (rule.Type_case()) {
      case ::common::SignaturePolicy::kSignedBy: {
        const int32_t index = rule.signed_by();
        if (index < 0 || index >= envelope_.identities_size()) {
          return Error(absl::StrCat("signed_by ", index, " is out of range; the envelope has ",
                                    envelope_.identities_size(), " identities"));
        }
        nodes_.push_back(Node{.identity = index});
        return node_index;
      }
      case ::common::SignaturePolicy::kNOutOf: {
        if (depth >= kMaxSignaturePolicyDepth) {
          return Error(absl::StrCat("NOutOf gates are nested more than ", kMaxSignaturePolicyDepth, " deep"));
        }
        const ::common::SignaturePolicy::NOutOf& gate = rule.n_out_of();
        if (gate.n() < 0) return Error(absl::StrCat("n_out_of.n is ", gate.n(), "; it must not be negative"));
        if (gate.n() > gate.rules_size()) {
          return Error(absl::StrCat("n_out_of.n is ", gate.n(), " but there are only ", gate.rules_size(),
                                    " rules, so it could never be satisfied"));
        }
        // Checked before reserving child slots, so a huge gate fails without a huge allocation.
        if (rule_count_ + gate.rules_size() > kMaxSignaturePolicyRules) {
          return Error(absl::StrCat("the envelope has more than ", kMaxSignaturePolicyRules, " rules"));
        }
        max_depth_ = std::max(max_depth_, depth + 1);
        const auto first_child = static_cast<uint32_t>(children_.size());
        nodes_.push_back(
            Node{.n = gate.n(), .first_child = first_child, .child_count = static_cast<uint32_t>(gate.rules_size())});
        children_.resize(children_.size() + gate.rules_size());
        for (int i = 0; i < gate.rules_size(); ++i) {
          path_.push_back(i);
          ASSIGN_OR_RETURN(const uint32_t child, Compile(gate.rules(i), depth + 1));
          path_.pop_back();
          children_[first_child + i] = child;
        }
        return node_index;
      }
      case ::common::SignaturePolicy::TYPE_NOT_SET:
        break;
    }
    return Error("the rule has neither signed_by nor n_out_of");
  }

  std::vector<Node> TakeNodes() { return std::move(nodes_); }
  std::vector<uint32_t> TakeChildren() { return std::move(children_); }
  int max_depth() const { return max_depth_; }

 private:
  absl::Status Error(absl::string_view what) const {
    std::string path = "rule";
    for (int index : path_) absl::StrAppend(&path, ".n_out_of.rules[", index, "]");
    return absl::InvalidArgumentError(absl::StrCat("invalid signature policy: ", path, ": ", what));
  }

  const ::common::SignaturePolicyEnvelope& envelope_;
  std::vector<Node> nodes_;
  std::vector<uint32_t> children_;
  std::vector<int> path_;  // child indexes from the root to the rule being compiled
  int rule_count_ = 0;
  int max_depth_ = 0;
};

Principal CompilePrincipal(const ::common::MSPPrincipal& msp_principal) {
  Principal principal;
  principal.principal = msp_principal;
  principal.text = PrincipalToString(msp_principal);
  if (msp_principal.principal_classification() == ::common::MSPPrincipal::ROLE) {
    ::common::MSPRole role;
    if (role.ParseFromString(msp_principal.principal())) {
      principal.has_role_msp_id = true;
      principal.role_msp_id = role.msp_identifier();
    }
  }
  return principal;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Policy>> NewSignaturePolicy(const ::common::SignaturePolicyEnvelope& envelope) {
  if (envelope.version() != kSignaturePolicyVersion) {
    return absl::InvalidArgumentError(absl::StrCat("invalid signature policy: version is ", envelope.version(),
                                                   "; only version ", kSignaturePolicyVersion, " is understood"));
  }
  if (!envelope.has_rule()) return absl::InvalidArgumentError("invalid signature policy: rule is missing");
  if (envelope.identities_size() > kMaxSignaturePolicyIdentities) {
    return absl::InvalidArgumentError(absl::StrCat("invalid signature policy: ", envelope.identities_size(),
                                                   " identities; the limit is ", kMaxSignaturePolicyIdentities));
  }

  Compiler compiler(envelope);
  RETURN_IF_ERROR(compiler.Compile(envelope.rule(), /*depth=*/0).status());

  std::vector<Principal> principals;
  principals.reserve(envelope.identities_size());
  for (const ::common::MSPPrincipal& principal : envelope.identities()) {
    principals.push_back(CompilePrincipal(principal));
  }

  std::string text = SignaturePolicyToString(envelope);
  if (text.size() > kMaxQuotedPolicyBytes) {
    text.resize(kMaxQuotedPolicyBytes);
    text.append("...");
  }
  return std::make_unique<SignaturePolicyImpl>(compiler.TakeNodes(), compiler.TakeChildren(), std::move(principals),
                                               compiler.max_depth(), std::move(text));
}

}  // namespace careledger::policies
