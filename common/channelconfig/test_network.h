// Test-only: a small consortium with real PKIs (two hospitals and an ordering organisation, built with
// msp/testing/test_org.h) and the spec of a channel between them, for channelconfig's tests. Only test
// binaries include this header; the library itself never depends on msp/.
#ifndef CARELEDGER_COMMON_CHANNELCONFIG_TEST_NETWORK_H_
#define CARELEDGER_COMMON_CHANNELCONFIG_TEST_NETWORK_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/channelconfig/channel_config.h"
#include "common/channelconfig/channel_spec.h"
#include "common/policies/policy.h"
#include "gtest/gtest.h"
#include "msp/msp.h"
#include "msp/msp_manager.h"
#include "msp/signing_identity.h"
#include "msp/testing/test_org.h"

namespace careledger::channelconfig::testing {

class TestNetwork {
 public:
  TestNetwork() {
    for (int i = 0; i < 3; ++i) {
      consenter_certs_.push_back(
          orderer_org_.IssueWithKey("orderer" + std::to_string(i) + ".orderer.example.org", {"orderer"}).first.ToPem());
    }
  }

  const msp::testing::TestOrg& hospital1() const { return hospital1_; }
  const msp::testing::TestOrg& hospital2() const { return hospital2_; }
  const msp::testing::TestOrg& orderer_org() const { return orderer_org_; }
  // A third hospital, not in Spec(); tests add it where they need three organisations.
  const msp::testing::TestOrg& hospital3() const { return hospital3_; }
  const std::string& consenter_cert(int i) const { return consenter_certs_.at(static_cast<size_t>(i)); }

  static ApplicationOrgSpec AppOrg(const std::string& name, const msp::testing::TestOrg& org) {
    ApplicationOrgSpec spec;
    spec.name = name;
    spec.msp_id = org.msp_id();
    spec.msp_config = org.MspConfig();
    return spec;
  }

  // Channel "healthchannel": Hospital1 (anchor peer) and Hospital2, orderer organisation "Orderer" with
  // three consenters (each using one certificate as client and server, as Fabric's test network does),
  // Fabric's defaults otherwise, a fixed genesis time.
  ChannelSpec Spec() const {
    ChannelSpec spec;
    spec.channel_id = "healthchannel";
    spec.application_orgs.push_back(AppOrg("Hospital1", hospital1_));
    spec.application_orgs[0].anchor_peers.push_back({"peer0.hospital1.example.org", 7051});
    spec.application_orgs.push_back(AppOrg("Hospital2", hospital2_));
    OrdererOrgSpec orderer;
    orderer.name = "Orderer";
    orderer.msp_id = orderer_org_.msp_id();
    orderer.msp_config = orderer_org_.MspConfig();
    for (int i = 0; i < 3; ++i) {
      orderer.endpoints.push_back("orderer" + std::to_string(i) + ".orderer.example.org:7050");
      ConsenterSpec consenter;
      consenter.host = "orderer" + std::to_string(i) + ".orderer.example.org";
      consenter.port = 7050;
      consenter.client_tls_cert_pem = consenter_certs_[static_cast<size_t>(i)];
      consenter.server_tls_cert_pem = consenter_certs_[static_cast<size_t>(i)];
      consenter.msp_id = orderer_org_.msp_id();
      spec.consenters.push_back(std::move(consenter));
    }
    spec.orderer_orgs.push_back(std::move(orderer));
    spec.genesis_time = msp::testing::kTestEpoch;
    return spec;
  }

 private:
  msp::testing::TestOrg hospital1_{"Hospital1MSP"};
  msp::testing::TestOrg hospital2_{"Hospital2MSP"};
  msp::testing::TestOrg hospital3_{"Hospital3MSP"};
  msp::testing::TestOrg orderer_org_{"OrdererMSP"};
  std::vector<std::string> consenter_certs_;
};

// The network every test shares: building PKIs is the slow part, and they are immutable.
inline const TestNetwork& Network() {
  static const TestNetwork* network = new TestNetwork();
  return *network;
}

// The channel's MSP manager, built from the config's MSP definitions as a node builds it.
inline std::unique_ptr<msp::MspManager> MspManagerFor(const ChannelConfig& config) {
  absl::StatusOr<std::unique_ptr<msp::MspManager>> manager = msp::MspManager::FromDefinitions(config.MspConfigs());
  EXPECT_TRUE(manager.ok()) << manager.status();
  return manager.ok() ? *std::move(manager) : nullptr;
}

// Evaluates `policy` over `signers`, each validated by `manager` (as a validator does after checking the
// signatures). A signer the manager rejects fails the test.
inline absl::Status Evaluate(const policies::Policy& policy, const msp::MspManager& manager,
                             const std::vector<const msp::SigningIdentity*>& signers) {
  std::vector<std::shared_ptr<const policies::Identity>> identities;
  std::vector<const policies::Identity*> views;
  for (const msp::SigningIdentity* signer : signers) {
    absl::StatusOr<std::shared_ptr<const policies::Identity>> identity =
        manager.DeserializeIdentity(signer->SerializedIdentity());
    EXPECT_TRUE(identity.ok()) << identity.status();
    if (!identity.ok()) return identity.status();
    views.push_back(identity->get());
    identities.push_back(*std::move(identity));
  }
  return policy.Evaluate(views);
}

}  // namespace careledger::channelconfig::testing

#endif  // CARELEDGER_COMMON_CHANNELCONFIG_TEST_NETWORK_H_
