'use strict';
// Fabric's official Node Gateway client against a network `careledger network up` started, configured the way
// Fabric's samples and shared/bench's load.js are, from the GW_* variables `careledger network client-env`
// prints:
//
//   eval "$(careledger network client-env --dir out/network)" && node network_smoke.js [count]
//
// Submits `count` (default 20) bench puts at once (submitAsync, then each one's commit status), then evaluates
// each key. Prints one line and exits 0 if every transaction committed VALID and reads back; 1 otherwise.
const crypto = require('crypto');
const fs = require('fs');
const grpc = require('@grpc/grpc-js');
const { connect, signers } = require('@hyperledger/fabric-gateway');

function env(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`FAIL: ${name} is not set (eval "$(careledger network client-env)" first)`);
    process.exit(2);
  }
  return value;
}

async function main() {
  const count = Number(process.argv[2] || 20);
  const client = new grpc.Client(env('GW_ENDPOINT'), grpc.credentials.createSsl(fs.readFileSync(env('GW_TLS_CA'))),
                                 { 'grpc.ssl_target_name_override': env('GW_HOST') });
  const gateway = connect({
    client,
    identity: { mspId: env('GW_MSP'), credentials: fs.readFileSync(env('GW_CERT')) },
    signer: signers.newPrivateKeySigner(crypto.createPrivateKey(fs.readFileSync(env('GW_KEY')))),
    evaluateOptions: () => ({ deadline: Date.now() + 30000 }),
    endorseOptions: () => ({ deadline: Date.now() + 30000 }),
    submitOptions: () => ({ deadline: Date.now() + 30000 }),
    commitStatusOptions: () => ({ deadline: Date.now() + 60000 }),
  });
  try {
    const contract = gateway.getNetwork(env('GW_CHANNEL')).getContract(env('GW_CC'));
    const run = `smoke-${process.pid}-${Date.now()}`;
    const keys = Array.from({ length: count }, (_, i) => `${run}-${i}`);
    const submitted = await Promise.all(keys.map((key) => contract.submitAsync('put', { arguments: [key, key] })));
    const statuses = await Promise.all(submitted.map((s) => s.getStatus()));
    const invalid = statuses.filter((s) => !s.successful);
    if (invalid.length > 0) {
      console.log(`FAIL: ${invalid.length} of ${count} transactions committed invalid, e.g. ${invalid[0].transactionId} ` +
                  `with code ${invalid[0].code}`);
      return 1;
    }
    for (const key of keys) {
      const value = Buffer.from(await contract.evaluateTransaction('get', key)).toString();
      if (value !== key) {
        console.log(`FAIL: get ${key} returned '${value}'`);
        return 1;
      }
    }
    const blocks = new Set(statuses.map((s) => s.blockNumber.toString()));
    console.log(`PASS node client: ${count} transactions VALID in ${blocks.size} block(s) and read back through ` +
                `${env('GW_ENDPOINT')}`);
    return 0;
  } finally {
    gateway.close();
    client.close();
  }
}

main().then((code) => process.exit(code), (error) => {
  console.log(`FAIL: ${error.stack || error}`);
  process.exit(1);
});
