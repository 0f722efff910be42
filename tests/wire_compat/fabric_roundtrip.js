'use strict';
// The Node.js half of CareLedger's wire-compatibility test (see README.md).
//
//   node fabric_roundtrip.js <work dir>
//
// Reads <work dir>/manifest.tsv, written by wire_compat_tool from CareLedger's .proto files, and uses
// Fabric's own generated JavaScript (@hyperledger/fabric-protos, as the Fabric Gateway SDK uses it) to:
//   - decode every populated instance in careledger/ with Fabric's class of the same full name and encode it
//     again into fabric/. google-protobuf drops fields it does not know, so a field number or type that
//     differs from Fabric's changes the bytes;
//   - report the field numbers and kinds Fabric's serializer writes for each of our messages, Fabric's values
//     for each of our enums and Fabric's definition of each of our service methods;
//   - encode a few messages by hand with Fabric's setters into handmade/, for wire_compat_tool to read.
// Everything it found goes to <work dir>/fabric.tsv, ending with a "done" line; wire_compat_tool judges.

const fs = require('fs');
const path = require('path');
const fabric = require('@hyperledger/fabric-protos');

// google-protobuf's CommonJS code registers every generated class and enum under the global `proto`
// namespace by its full protobuf name, e.g. proto.common.Envelope and proto.protos.ChaincodeSpec.Type.
const namespace = globalThis.proto;

function resolve(fullName) {
    let node = namespace;
    for (const part of fullName.split('.')) {
        if (node === undefined || node === null || !Object.prototype.hasOwnProperty.call(node, part)) {
            return undefined;
        }
        node = node[part];
    }
    return node;
}

function isMessageClass(value) {
    return typeof value === 'function' && typeof value.deserializeBinary === 'function' &&
        value.prototype !== undefined && typeof value.prototype.serializeBinary === 'function';
}

// Full protobuf name of each generated class, for naming the request and response types of service methods.
// The namespace also holds flattened aliases (proto.Envelope); the longest dotted path is the full name.
function classNames() {
    const names = new Map();
    const seen = new Set();
    const walk = (node, prefix) => {
        if (node === null || (typeof node !== 'object' && typeof node !== 'function') || seen.has(node)) {
            return;
        }
        seen.add(node);
        for (const key of Object.keys(node)) {
            const value = node[key];
            const fullName = prefix === '' ? key : `${prefix}.${key}`;
            if (isMessageClass(value)) {
                const known = names.get(value);
                if (known === undefined || known.split('.').length < fullName.split('.').length) {
                    names.set(value, fullName);
                }
            }
            if (typeof value === 'object' || isMessageClass(value)) {
                walk(value, fullName);
            }
        }
    };
    walk(namespace, '');
    return names;
}

// Every gRPC method definition in the package's *_grpc_pb.js modules, by path ("/orderer.AtomicBroadcast/Broadcast").
function serviceMethods() {
    const methods = new Map();
    const seen = new Set();
    const walk = (node) => {
        if (node === null || typeof node !== 'object' || seen.has(node)) {
            return;
        }
        seen.add(node);
        for (const value of Object.values(node)) {
            if (value !== null && typeof value === 'object' && typeof value.path === 'string' &&
                typeof value.requestStream === 'boolean') {
                methods.set(value.path, value);
            } else {
                walk(value);
            }
        }
    };
    walk(fabric);
    return methods;
}

// The fields Fabric's generated serializer writes, read from its source: google-protobuf's generator emits one
// `writer.write<Kind>(<number>, ...)` call per field (Packed<Kind>/Repeated<Kind> for repeated fields) and one
// `f.serializeBinary(<number>, writer, ...prototype.write<Key>, ...prototype.write<Value>` call per map field.
// This shows type differences that values cannot: a field that is uint32 here but uint64 in Fabric, or string
// here but bytes in Fabric, round-trips our values unchanged. Returns [number, kind] pairs.
function serializerFields(messageClass) {
    const source = messageClass.serializeBinaryToWriter.toString();
    const fields = [];
    for (const match of source.matchAll(/writer\.write(\w+)\(\s*(\d+)\s*,/g)) {
        fields.push([match[2], match[1]]);
    }
    const writerMethod = String.raw`jspb\.BinaryWriter\.prototype\.write(\w+)`;
    const mapPattern = new RegExp(
        String.raw`\.serializeBinary\(\s*(\d+)\s*,\s*writer\s*,\s*` + writerMethod + String.raw`\s*,\s*` + writerMethod, 'g');
    for (const match of source.matchAll(mapPattern)) {
        fields.push([match[1], `Map(${match[2]},${match[3]})`]);
    }
    return fields;
}

function bytes(text) {
    return Uint8Array.from(Buffer.from(text, 'latin1'));
}

function repeatedByte(value, count) {
    return new Uint8Array(count).fill(value);
}

// Must match HandmadeExpectations() in handmade.cc.
function handmadeMessages() {
    const { common, peer, gateway, ledger, orderer } = fabric;
    const kvrwset = ledger.rwset.kvrwset;
    const messages = {};

    const envelope = new common.Envelope();
    envelope.setPayload(bytes('payload-bytes'));
    envelope.setSignature(bytes('\x30\x44\x02\x20\xff'));
    messages['envelope.bin'] = envelope;

    const block = new common.Block();
    const header = new common.BlockHeader();
    header.setNumber(2 ** 40 + 3);
    header.setPreviousHash(repeatedByte(0x11, 32));
    header.setDataHash(repeatedByte(0x22, 32));
    block.setHeader(header);
    const data = new common.BlockData();
    data.setDataList([bytes('envelope-0'), bytes('envelope-1')]);
    block.setData(data);
    const metadata = new common.BlockMetadata();
    metadata.setMetadataList([bytes('signatures'), new Uint8Array(0), bytes('\x00\x0b'), new Uint8Array(0),
        bytes('commit-hash')]);
    block.setMetadata(metadata);
    messages['block.bin'] = block;

    const signedProposal = () => {
        const proposal = new peer.SignedProposal();
        proposal.setProposalBytes(bytes('proposal-bytes'));
        proposal.setSignature(bytes('\x30\x45\x02\x21\x00'));
        return proposal;
    };
    messages['signed_proposal.bin'] = signedProposal();

    const endorse = new gateway.EndorseRequest();
    endorse.setTransactionId('9b509b14e9418ff403128c815509476925771dc21a7c77e2899e7c170e960a45');
    endorse.setChannelId('records');
    endorse.setProposedTransaction(signedProposal());
    endorse.setEndorsingOrganizationsList(['Hospital1MSP', 'Hospital2MSP']);
    messages['endorse_request.bin'] = endorse;

    const version = (blockNum, txNum) => {
        const v = new kvrwset.Version();
        v.setBlockNum(blockNum);
        v.setTxNum(txNum);
        return v;
    };
    const rwset = new kvrwset.KVRWSet();
    const read1 = new kvrwset.KVRead();
    read1.setKey('patient-1');
    read1.setVersion(version(5, 2));
    const read2 = new kvrwset.KVRead();
    read2.setKey('patient-2');
    rwset.setReadsList([read1, read2]);
    const range = new kvrwset.RangeQueryInfo();
    range.setStartKey('a');
    range.setEndKey('b');
    range.setItrExhausted(true);
    const rangeRead = new kvrwset.KVRead();
    rangeRead.setKey('a1');
    rangeRead.setVersion(version(7, 0));
    const rawReads = new kvrwset.QueryReads();
    rawReads.setKvReadsList([rangeRead]);
    range.setRawReads(rawReads);
    rwset.setRangeQueriesInfoList([range]);
    const write = new kvrwset.KVWrite();
    write.setKey('patient-3');
    write.setValue(bytes('consent:granted'));
    const deletion = new kvrwset.KVWrite();
    deletion.setKey('patient-4');
    deletion.setIsDelete(true);
    rwset.setWritesList([write, deletion]);
    const metadataWrite = new kvrwset.KVMetadataWrite();
    metadataWrite.setKey('patient-5');
    const entry = new kvrwset.KVMetadataEntry();
    entry.setName('VALIDATION_PARAMETER');
    entry.setValue(bytes('policy-bytes'));
    metadataWrite.setEntriesList([entry]);
    rwset.setMetadataWritesList([metadataWrite]);
    messages['kv_rwset.bin'] = rwset;

    const channelHeader = new common.ChannelHeader();
    channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
    const timestamp = new (resolve('google.protobuf.Timestamp'))();
    timestamp.setSeconds(1700000000);
    timestamp.setNanos(5);
    channelHeader.setTimestamp(timestamp);
    channelHeader.setChannelId('records');
    channelHeader.setTxId('tx-1');
    channelHeader.setExtension$(bytes('\x12\x04\x12\x02cc'));
    channelHeader.setTlsCertHash(repeatedByte(0x33, 32));
    messages['channel_header.bin'] = channelHeader;

    const proposalResponse = new peer.ProposalResponse();
    proposalResponse.setVersion(1);
    const response = new peer.Response();
    response.setStatus(200);
    response.setMessage('OK');
    response.setPayload(bytes('result'));
    proposalResponse.setResponse(response);
    proposalResponse.setPayload(bytes('prp-bytes\xff'));
    const endorsement = new peer.Endorsement();
    endorsement.setEndorser(bytes('peer0'));
    endorsement.setSignature(bytes('sig\x80'));
    proposalResponse.setEndorsement(endorsement);
    messages['proposal_response.bin'] = proposalResponse;

    const seek = new orderer.SeekInfo();
    const start = new orderer.SeekPosition();
    const specified = new orderer.SeekSpecified();
    specified.setNumber(10);
    start.setSpecified(specified);
    seek.setStart(start);
    const stop = new orderer.SeekPosition();
    stop.setNewest(new orderer.SeekNewest());
    seek.setStop(stop);
    seek.setBehavior(orderer.SeekInfo.SeekBehavior.FAIL_IF_NOT_READY);
    messages['seek_info.bin'] = seek;

    return messages;
}

function oneLine(text) {
    return String(text).replace(/[\t\r\n]+/g, ' ');
}

function main() {
    const workDir = process.argv[2];
    if (workDir === undefined) {
        console.error('usage: node fabric_roundtrip.js <work dir>');
        process.exit(2);
    }
    const manifest = fs.readFileSync(path.join(workDir, 'manifest.tsv'), 'utf8').split('\n').filter(Boolean)
        .map((line) => line.split('\t'));
    fs.mkdirSync(path.join(workDir, 'fabric'), { recursive: true });
    fs.mkdirSync(path.join(workDir, 'handmade'), { recursive: true });

    const report = [];
    const names = classNames();
    const methods = serviceMethods();
    const ourMethods = new Set();
    const ourServices = new Set();
    let roundTrips = 0;

    for (const row of manifest) {
        const [kind, name] = row;
        if (kind === 'message') {
            const variant = row[2];
            const messageClass = resolve(name);
            if (!isMessageClass(messageClass)) {
                report.push(['message-missing', name]);
                continue;
            }
            if (variant === '0') {
                for (const [number, fieldKind] of serializerFields(messageClass)) {
                    report.push(['field', name, number, fieldKind]);
                }
            }
            const file = `${name}.${variant}.bin`;
            try {
                const ours = fs.readFileSync(path.join(workDir, 'careledger', file));
                const message = messageClass.deserializeBinary(new Uint8Array(ours));
                fs.writeFileSync(path.join(workDir, 'fabric', file), message.serializeBinary());
                ++roundTrips;
            } catch (error) {
                report.push(['message-error', name, variant, oneLine(error.message)]);
            }
        } else if (kind === 'enum') {
            const values = resolve(name);
            if (values === null || typeof values !== 'object') {
                report.push(['enum-missing', name]);
                continue;
            }
            report.push(['enum', name, Object.entries(values).map(([key, value]) => `${key}=${value}`).join(',')]);
        } else if (kind === 'method') {
            ourMethods.add(name);
            ourServices.add(name.substring(0, name.lastIndexOf('/') + 1));
            const method = methods.get(name);
            if (method === undefined) {
                report.push(['method-missing', name]);
                continue;
            }
            report.push(['method', name, names.get(method.requestType) ?? '?', names.get(method.responseType) ?? '?',
                method.requestStream ? '1' : '0', method.responseStream ? '1' : '0']);
        }
    }
    for (const methodPath of methods.keys()) {
        const service = methodPath.substring(0, methodPath.lastIndexOf('/') + 1);
        if (ourServices.has(service) && !ourMethods.has(methodPath)) {
            report.push(['method-extra', methodPath]);
        }
    }

    const handmade = handmadeMessages();
    for (const [file, message] of Object.entries(handmade)) {
        fs.writeFileSync(path.join(workDir, 'handmade', file), message.serializeBinary());
    }

    report.push(['done']);
    fs.writeFileSync(path.join(workDir, 'fabric.tsv'), report.map((row) => row.join('\t')).join('\n') + '\n');
    console.log(`fabric_roundtrip.js: ${roundTrips} instances re-encoded with @hyperledger/fabric-protos ` +
        `${require('@hyperledger/fabric-protos/package.json').version}, ${Object.keys(handmade).length} ` +
        'handmade messages written');
}

main();
