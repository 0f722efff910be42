'use strict';
// Fabric's official Node Gateway client (@hyperledger/fabric-gateway, unchanged, with @grpc/grpc-js) against a
// running CareLedger network, through the SDK's public API only. See README.md.
//
//   node gateway_client_test.js <network.json>
//
// Prints one line per scenario ("PASS <name> (<ms> ms)" or "FAIL <name>: what was expected and what came
// back") and exits 0 only if every scenario passed; 1 if one failed; 2 if network.json cannot be used.
//
// network.json (written by PeerNetwork::WriteNodeTestConfig, tests/peer/peer_network.h):
//   {
//     "channel": "healthchannel",
//     "chaincode": "bench",          // the built-in bench chaincode (/work/shared/bench/README.md), defined with
//                                    // AND('Hospital1MSP.peer','Hospital2MSP.peer')
//     "peers": {                     // hospital1 and hospital2 required; audit optional
//       "hospital1": {"endpoint": "127.0.0.1:7051",            // host:port of the peer's Gateway
//                     "hostAlias": "peer0.hospital1.example.org", // the name its TLS certificate is checked for
//                     "tlsRootCertPath": "/.../tls/ca.crt",       // PEM: the CA its TLS certificate chains to
//                     "mspId": "Hospital1MSP"},
//       "hospital2": {...},
//       "audit": {...}               // a read-only audit peer (peer.role audit), e.g. the regulator's
//     },
//     "identities": {                // each {"mspId", "certPath" (PEM certificate), "keyPath" (PEM private key)}
//       "client": {...},             // a client of Hospital1MSP
//       "client2": {...},            // a client of Hospital2MSP
//       "outsider": {...}            // an identity from a CA the channel does not know
//     }
//   }
//
// Scenarios (each with its own deadline; keys are unique to the run):
//   a. submitTransaction('put', k, v) through hospital1, then evaluateTransaction('get', k) gives v through
//      hospital1 and, once hospital2 has committed the block, through hospital2 as its own client;
//   b. submitAsync + getStatus(): VALID, successful, a block number, the submitted transaction's ID;
//   c. chaincode events: from the put's block, the put's event (name 'put', payload the key, its transaction ID
//      and block); resumed with a checkpointer after that event, the next put's event and not that one again;
//   d. MVCC: two 'rmw' proposals on one key both endorsed before either is submitted, then both submitted: one
//      VALID, the other MVCC_READ_CONFLICT, and the key holds the winner's value;
//   e. an outsider: evaluate refused PERMISSION_DENIED (unknown MSP), submit refused at endorsement (ABORTED,
//      each organisation's detail naming the unknown MSP), and a foreign certificate claiming Hospital1MSP is
//      refused PERMISSION_DENIED;
//   f. (with an audit peer) submitting through it is refused PERMISSION_DENIED at Endorse and at Submit with
//      the audit message, and evaluating through it reads what the hospitals committed.

const fs = require('node:fs');
const crypto = require('node:crypto');
const grpc = require('@grpc/grpc-js');
const {
    connect,
    signers,
    checkpointers,
    StatusCode,
    GatewayError,
    EndorseError,
} = require('@hyperledger/fabric-gateway');

const SCENARIO_TIMEOUT_MS = 120000;
const CALL_TIMEOUT_MS = 30000;
// How long another peer may take to commit a block the first one has committed.
const REPLICATION_TIMEOUT_MS = 30000;
const POLL_INTERVAL_MS = 100;

const utf8 = new TextDecoder();

// ---- network.json ----------------------------------------------------------------------------------------

function requireString(object, field, where) {
    const value = object === undefined || object === null ? undefined : object[field];
    if (typeof value !== 'string' || value === '') {
        throw new Error(`${where}.${field}: expected a non-empty string, got ${JSON.stringify(value)}`);
    }
    return value;
}

function readPeer(peers, name, required) {
    const peer = peers[name];
    if (peer === undefined && !required) {
        return undefined;
    }
    const where = `peers.${name}`;
    if (typeof peer !== 'object' || peer === null) {
        throw new Error(`${where}: expected an object, got ${JSON.stringify(peer)}`);
    }
    const result = {
        name,
        endpoint: requireString(peer, 'endpoint', where),
        hostAlias: requireString(peer, 'hostAlias', where),
        tlsRootCert: fs.readFileSync(requireString(peer, 'tlsRootCertPath', where)),
        mspId: requireString(peer, 'mspId', where),
    };
    return result;
}

function readIdentity(identities, name) {
    const where = `identities.${name}`;
    const identity = identities[name];
    if (typeof identity !== 'object' || identity === null) {
        throw new Error(`${where}: expected an object, got ${JSON.stringify(identity)}`);
    }
    return {
        name,
        mspId: requireString(identity, 'mspId', where),
        certificate: fs.readFileSync(requireString(identity, 'certPath', where)),
        privateKey: crypto.createPrivateKey(fs.readFileSync(requireString(identity, 'keyPath', where))),
    };
}

function loadNetwork(path) {
    const json = JSON.parse(fs.readFileSync(path, 'utf8'));
    const peers = json.peers ?? {};
    const identities = json.identities ?? {};
    return {
        channel: requireString(json, 'channel', 'network'),
        chaincode: requireString(json, 'chaincode', 'network'),
        peers: {
            hospital1: readPeer(peers, 'hospital1', true),
            hospital2: readPeer(peers, 'hospital2', true),
            audit: readPeer(peers, 'audit', false),
        },
        identities: {
            client: readIdentity(identities, 'client'),
            client2: readIdentity(identities, 'client2'),
            outsider: readIdentity(identities, 'outsider'),
        },
    };
}

// ---- connections -----------------------------------------------------------------------------------------

function deadlineIn(ms) {
    return () => ({ deadline: Date.now() + ms });
}

// One gRPC connection per peer, shared by every gateway connected through it (as the SDK recommends).
const grpcClients = new Map();

function grpcClientFor(peer) {
    let client = grpcClients.get(peer.name);
    if (client === undefined) {
        client = new grpc.Client(peer.endpoint, grpc.credentials.createSsl(peer.tlsRootCert), {
            'grpc.ssl_target_name_override': peer.hostAlias,
        });
        grpcClients.set(peer.name, client);
    }
    return client;
}

// A gateway to `peer` as `identity`, signing with its key; `mspId` may claim another MSP than the identity's.
function openGateway(net, peer, identity, mspId = identity.mspId) {
    const gateway = connect({
        client: grpcClientFor(peer),
        identity: { mspId, credentials: identity.certificate },
        signer: signers.newPrivateKeySigner(identity.privateKey),
        evaluateOptions: deadlineIn(CALL_TIMEOUT_MS),
        endorseOptions: deadlineIn(CALL_TIMEOUT_MS),
        submitOptions: deadlineIn(CALL_TIMEOUT_MS),
        commitStatusOptions: deadlineIn(2 * CALL_TIMEOUT_MS),
    });
    const network = gateway.getNetwork(net.channel);
    return { gateway, network, contract: network.getContract(net.chaincode), peer, identity };
}

// ---- expectations ----------------------------------------------------------------------------------------

class Mismatch extends Error {}

function show(value) {
    if (typeof value === 'bigint') {
        return `${value}n`;
    }
    if (value instanceof Uint8Array) {
        return JSON.stringify(utf8.decode(value));
    }
    return JSON.stringify(value);
}

function grpcCodeName(code) {
    const name = Object.keys(grpc.status).find((key) => grpc.status[key] === code);
    return name === undefined ? String(code) : name;
}

function statusName(code) {
    const name = Object.keys(StatusCode).find((key) => StatusCode[key] === code);
    return name === undefined ? String(code) : name;
}

// What an error says, for failure messages: type, gRPC code, message and the gateway's per-node details.
function describeError(err) {
    if (!(err instanceof Error)) {
        return show(err);
    }
    let text = `${err.name}`;
    if (err instanceof GatewayError) {
        text += ` code=${grpcCodeName(err.code)}`;
    }
    text += ` message=${JSON.stringify(err.message)}`;
    if (err instanceof GatewayError && err.details.length > 0) {
        const details = err.details.map(
            (d) => `{address=${d.address} mspId=${d.mspId} message=${JSON.stringify(d.message)}}`);
        text += ` details=[${details.join(', ')}]`;
    }
    return text;
}

function expectEqual(what, expected, actual) {
    if (expected !== actual) {
        throw new Mismatch(`${what}: expected ${show(expected)}, got ${show(actual)}`);
    }
}

function expectTrue(what, condition, actual) {
    if (!condition) {
        throw new Mismatch(`${what}; got ${actual}`);
    }
}

// Awaits `promise`, which must be rejected with a GatewayError (or a subclass `type`); returns the error.
async function expectGatewayError(what, promise, type = GatewayError) {
    let result;
    try {
        result = await promise;
    } catch (err) {
        if (!(err instanceof type)) {
            throw new Mismatch(`${what}: expected a ${type.name}, got ${describeError(err)}`);
        }
        return err;
    }
    throw new Mismatch(`${what}: expected a ${type.name}, got a result ${show(result)}`);
}

function expectCode(what, expectedCode, err) {
    if (err.code !== expectedCode) {
        throw new Mismatch(`${what}: expected gRPC code ${grpcCodeName(expectedCode)}, got ${describeError(err)}`);
    }
}

function expectMessageHas(what, text, err) {
    if (!err.message.includes(text)) {
        throw new Mismatch(`${what}: expected a message containing ${JSON.stringify(text)}, got ${describeError(err)}`);
    }
}

// Every organisation the gateway asked must have answered with a detail containing each of `texts`.
function expectDetailsHave(what, mspIds, texts, err) {
    for (const mspId of mspIds) {
        const found = err.details.some((d) => d.mspId === mspId && texts.every((t) => d.message.includes(t)));
        if (!found) {
            const wanted = texts.map((t) => JSON.stringify(t)).join(' and ');
            throw new Mismatch(
                `${what}: expected a detail from ${mspId} containing ${wanted}, got ${describeError(err)}`);
        }
    }
}

function delay(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

// Calls `read` until it returns `expected` or `timeoutMs` passes; the last answer (or error) is reported.
async function eventually(what, read, expected, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    let last;
    for (;;) {
        try {
            const value = await read();
            if (value === expected) {
                return;
            }
            last = `the value ${show(value)}`;
        } catch (err) {
            last = describeError(err);
        }
        if (Date.now() >= deadline) {
            throw new Mismatch(`${what}: expected ${show(expected)} within ${timeoutMs} ms, last got ${last}`);
        }
        await delay(POLL_INTERVAL_MS);
    }
}

// The first event of a chaincode event stream, or a Mismatch after `timeoutMs` (the stream is then closed).
async function firstEvent(what, events, timeoutMs) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => {
            events.close();
            reject(new Mismatch(`${what}: no chaincode event within ${timeoutMs} ms`));
        }, timeoutMs);
    });
    try {
        const next = await Promise.race([events[Symbol.asyncIterator]().next(), timeout]);
        if (next.done) {
            throw new Mismatch(`${what}: the event stream ended`);
        }
        return next.value;
    } finally {
        clearTimeout(timer);
    }
}

function describeEvent(event) {
    return `{blockNumber=${event.blockNumber} transactionId=${event.transactionId} ` +
        `chaincodeName=${event.chaincodeName} eventName=${event.eventName} payload=${show(event.payload)}}`;
}

function expectEvent(what, expected, event) {
    const same = event.blockNumber === expected.blockNumber && event.transactionId === expected.transactionId &&
        event.chaincodeName === expected.chaincodeName && event.eventName === expected.eventName &&
        utf8.decode(event.payload) === expected.payload;
    if (!same) {
        throw new Mismatch(`${what}: expected ${describeEvent(expected)}, got ${describeEvent(event)}`);
    }
}

// ---- scenarios -------------------------------------------------------------------------------------------

const runId = `${Date.now().toString(36)}-${crypto.randomBytes(3).toString('hex')}`;
function uniqueKey(label) {
    return `gw-${runId}-${label}`;
}

async function submitAndExpectValid(what, contract, key, value) {
    const submitted = await contract.submitAsync('put', { arguments: [key, value] });
    const status = await submitted.getStatus();
    expectEqual(`${what}: commit status of ${submitted.getTransactionId()}`, 'VALID', statusName(status.code));
    return { submitted, status };
}

async function putThenGet(ctx) {
    const key = uniqueKey('a');
    const value = `value of ${key}`;
    const result = await ctx.h1.contract.submitTransaction('put', key, value);
    expectEqual('put result', '', utf8.decode(result));
    expectEqual('get through hospital1', value, utf8.decode(await ctx.h1.contract.evaluateTransaction('get', key)));
    await eventually('get through hospital2 (as a Hospital2MSP client)',
        async () => utf8.decode(await ctx.h2.contract.evaluateTransaction('get', key)), value, REPLICATION_TIMEOUT_MS);
    // A key nobody wrote: the chaincode's own refusal reaches the client.
    const missing = uniqueKey('a-missing');
    const err = await expectGatewayError('get of a missing key', ctx.h1.contract.evaluateTransaction('get', missing));
    expectMessageHas('get of a missing key', `key ${missing} not found`, err);
}

async function submitAsyncStatus(ctx) {
    const key = uniqueKey('b');
    const submitted = await ctx.h1.contract.submitAsync('put', { arguments: [key, 'b'] });
    expectEqual('submitAsync result', '', utf8.decode(submitted.getResult()));
    const status = await submitted.getStatus();
    expectEqual('status.code', 'VALID', statusName(status.code));
    expectEqual('status.successful', true, status.successful);
    expectEqual('status.transactionId', submitted.getTransactionId(), status.transactionId);
    expectTrue('status.blockNumber: expected a bigint above 0 (block 0 is the genesis block)',
        typeof status.blockNumber === 'bigint' && status.blockNumber > 0n, show(status.blockNumber));
    // Asking again answers the same from the ledger.
    const again = await submitted.getStatus();
    expectEqual('second getStatus blockNumber', status.blockNumber, again.blockNumber);
}

async function chaincodeEvents(ctx) {
    const chaincodeName = ctx.net.chaincode;
    const key1 = uniqueKey('c1');
    const first = await submitAndExpectValid('first put', ctx.h1.contract, key1, 'c1');
    const expected1 = {
        blockNumber: first.status.blockNumber, transactionId: first.submitted.getTransactionId(), chaincodeName,
        eventName: 'put', payload: key1,
    };

    // From the put's block: its event comes first (the block holds nothing else of this chaincode).
    const events = await ctx.h1.network.getChaincodeEvents(chaincodeName, { startBlock: first.status.blockNumber });
    let event1;
    try {
        event1 = await firstEvent('events from the put\'s block', events, CALL_TIMEOUT_MS);
    } finally {
        events.close();
    }
    expectEvent('first event from the put\'s block', expected1, event1);

    // Resuming after that event: the next put's event, not that one again.
    const checkpointer = checkpointers.inMemory();
    await checkpointer.checkpointChaincodeEvent(event1);
    const key2 = uniqueKey('c2');
    const second = await submitAndExpectValid('second put', ctx.h1.contract, key2, 'c2');
    const expected2 = {
        blockNumber: second.status.blockNumber, transactionId: second.submitted.getTransactionId(), chaincodeName,
        eventName: 'put', payload: key2,
    };
    const resumed = await ctx.h1.network.getChaincodeEvents(chaincodeName, { checkpoint: checkpointer });
    let event2;
    try {
        event2 = await firstEvent('events resumed from the checkpoint', resumed, CALL_TIMEOUT_MS);
    } finally {
        resumed.close();
    }
    expectEvent('first event resumed after the checkpoint', expected2, event2);
}

async function mvccConflict(ctx) {
    const key = uniqueKey('d');
    const contract = ctx.h1.contract;
    await contract.submitTransaction('put', key, 'v0');
    const proposals = [
        contract.newProposal('rmw', { arguments: [key, 'v1'] }),
        contract.newProposal('rmw', { arguments: [key, 'v2'] }),
    ];
    // Both endorsed (both read v0) before either is submitted.
    const transactions = [];
    for (const proposal of proposals) {
        transactions.push(await proposal.endorse());
    }
    for (const [i, transaction] of transactions.entries()) {
        expectEqual(`rmw ${i + 1} result (the value it read)`, 'v0', utf8.decode(transaction.getResult()));
    }
    const submitted = [];
    for (const transaction of transactions) {
        submitted.push(await transaction.submit());
    }
    const statuses = await Promise.all(submitted.map((s) => s.getStatus()));
    const names = statuses.map((s) => statusName(s.code));
    const winner = names.indexOf('VALID');
    const loser = names.indexOf('MVCC_READ_CONFLICT');
    if (winner < 0 || loser < 0) {
        throw new Mismatch('commit statuses of the two rmw: expected one VALID and one MVCC_READ_CONFLICT, ' +
            `got ${names.join(' and ')}`);
    }
    expectEqual('the valid rmw: successful', true, statuses[winner].successful);
    expectEqual('the conflicting rmw: successful', false, statuses[loser].successful);
    expectEqual('the conflicting rmw: status code', StatusCode.MVCC_READ_CONFLICT, statuses[loser].code);
    expectEqual(`value after the rmw (rmw ${winner + 1} won)`, `v${winner + 1}`,
        utf8.decode(await contract.evaluateTransaction('get', key)));
}

async function outsiderRefused(ctx) {
    const key = uniqueKey('e');
    const outsider = ctx.net.identities.outsider;
    const stranger = openGateway(ctx.net, ctx.net.peers.hospital1, outsider);
    try {
        // Evaluate runs on hospital1's own endorser, which knows no such MSP (docs/gateway.md: the endorser's code).
        const evaluated = await expectGatewayError('outsider evaluate',
            stranger.contract.evaluateTransaction('get', key));
        expectCode('outsider evaluate', grpc.status.PERMISSION_DENIED, evaluated);
        expectMessageHas('outsider evaluate', 'not a valid identity of the channel', evaluated);
        expectMessageHas('outsider evaluate', `unknown MSP '${outsider.mspId}'`, evaluated);

        // Submit fails at endorsement: every organisation of the policy refuses, so no endorsement is collected.
        const endorsed = await expectGatewayError('outsider submit',
            stranger.contract.submitTransaction('put', key, 'stolen'), EndorseError);
        expectCode('outsider submit', grpc.status.ABORTED, endorsed);
        expectMessageHas('outsider submit', 'failed to collect enough transaction endorsements', endorsed);
        expectDetailsHave('outsider submit', [ctx.net.peers.hospital1.mspId],
            ['not a valid identity of the channel', outsider.mspId], endorsed);
    } finally {
        stranger.gateway.close();
    }

    // The outsider's certificate presented as a Hospital1MSP member: the chain does not lead to Hospital1's CA.
    const impostor = openGateway(ctx.net, ctx.net.peers.hospital1, outsider, ctx.net.identities.client.mspId);
    try {
        const err = await expectGatewayError('impostor evaluate', impostor.contract.evaluateTransaction('get', key));
        expectCode('impostor evaluate', grpc.status.PERMISSION_DENIED, err);
        expectMessageHas('impostor evaluate', 'not a valid identity of the channel', err);
    } finally {
        impostor.gateway.close();
    }
    // Nothing was written.
    const err = await expectGatewayError('get after the refused submit',
        ctx.h1.contract.evaluateTransaction('get', key));
    expectMessageHas('get after the refused submit', `key ${key} not found`, err);
}

async function auditPeer(ctx) {
    const key = uniqueKey('f');
    const audit = openGateway(ctx.net, ctx.net.peers.audit, ctx.net.identities.client);
    try {
        const endorsed = await expectGatewayError('submit through the audit peer',
            audit.contract.submitTransaction('put', key, 'audit'), EndorseError);
        expectCode('submit through the audit peer', grpc.status.PERMISSION_DENIED, endorsed);
        expectMessageHas('submit through the audit peer', 'this peer is an audit peer: it does not endorse', endorsed);

        // A transaction endorsed through hospital1, handed to the audit peer for Submit: refused too, not sent.
        const transaction = await ctx.h1.contract.newProposal('put', { arguments: [key, 'audited'] }).endorse();
        const handed = audit.gateway.newTransaction(transaction.getBytes());
        const submitted = await expectGatewayError('Submit of an endorsed transaction through the audit peer',
            handed.submit());
        expectCode('Submit through the audit peer', grpc.status.PERMISSION_DENIED, submitted);
        expectMessageHas('Submit through the audit peer', 'this peer is an audit peer', submitted);

        // The hospitals' gateway submits it; the audit peer commits the block and answers queries.
        const commit = await transaction.submit();
        const status = await commit.getStatus();
        expectEqual('status of the transaction the audit peer refused to submit', 'VALID', statusName(status.code));
        await eventually('get through the audit peer',
            async () => utf8.decode(await audit.contract.evaluateTransaction('get', key)), 'audited',
            REPLICATION_TIMEOUT_MS);
    } finally {
        audit.gateway.close();
    }
}

// ---- runner ----------------------------------------------------------------------------------------------

async function runScenario(name, body, ctx) {
    const started = Date.now();
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Mismatch(`did not finish within ${SCENARIO_TIMEOUT_MS} ms`)),
            SCENARIO_TIMEOUT_MS);
    });
    try {
        await Promise.race([body(ctx), timeout]);
        console.log(`PASS ${name} (${Date.now() - started} ms)`);
        return true;
    } catch (err) {
        const why = err instanceof Mismatch ? err.message : `unexpected error: ${describeError(err)}`;
        console.log(`FAIL ${name}: ${why}`);
        if (!(err instanceof Mismatch) && err instanceof Error && err.stack) {
            console.log(err.stack);
        }
        return false;
    } finally {
        clearTimeout(timer);
    }
}

async function main(argv) {
    if (argv.length !== 1) {
        console.error('usage: node gateway_client_test.js <network.json>');
        return 2;
    }
    let net;
    try {
        net = loadNetwork(argv[0]);
    } catch (err) {
        console.error(`${argv[0]}: ${err.message}`);
        return 2;
    }
    const ctx = {
        net,
        h1: openGateway(net, net.peers.hospital1, net.identities.client),
        h2: openGateway(net, net.peers.hospital2, net.identities.client2),
    };
    const scenarios = [
        ['a. submit put through hospital1, get through hospital1 and hospital2', putThenGet],
        ['b. submitAsync and getStatus', submitAsyncStatus],
        ['c. chaincode events from a block, resumed after a checkpoint', chaincodeEvents],
        ['d. two rmw endorsed before either is submitted: MVCC_READ_CONFLICT', mvccConflict],
        ['e. an identity the channel does not know is refused', outsiderRefused],
    ];
    if (net.peers.audit !== undefined) {
        scenarios.push(['f. the audit peer refuses to endorse and submit, and answers queries', auditPeer]);
    } else {
        console.log('SKIP f. the audit peer: network.json names none');
    }
    let failed = 0;
    try {
        for (const [name, body] of scenarios) {
            if (!(await runScenario(name, body, ctx))) {
                ++failed;
            }
        }
    } finally {
        ctx.h1.gateway.close();
        ctx.h2.gateway.close();
        for (const client of grpcClients.values()) {
            client.close();
        }
    }
    console.log(`${scenarios.length - failed} of ${scenarios.length} scenarios passed`);
    return failed === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
        console.error(`gateway_client_test.js: ${describeError(err)}`);
        process.exit(1);
    },
);
