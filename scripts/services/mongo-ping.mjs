#!/usr/bin/env node
// Sends the MongoDB `ping` command and exits 0 when the server answers { ok: 1 }.
//
// Usage: node mongo-ping.mjs [--timeout-ms 2000] <mongodb://host:port/... | mongodb+srv://... | host:port>
//
// It speaks OP_MSG over a raw socket with no dependencies, so scripts/services/services.sh can
// check MongoDB or FerretDB before `npm install`. `ping` needs no authentication, so credentials
// in the URI are ignored; `tls=true` / `ssl=true` (the default for mongodb+srv) use TLS.
// On FerretDB the ping goes through the backend (PostgreSQL or SQLite), so success means the
// whole server is ready.
import { promises as dns } from 'node:dns';
import net from 'node:net';
import tls from 'node:tls';

const OP_MSG = 2013;

function usage(message) {
  if (message) process.stderr.write(`mongo-ping: ${message}\n`);
  process.stderr.write(
    'usage: node mongo-ping.mjs [--timeout-ms N] <mongodb://host:port/... | host:port>\n',
  );
  process.exit(2);
}

function parseArgs(argv) {
  let timeoutMs = 2000;
  let target;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--timeout-ms') timeoutMs = Number(argv[++i]);
    else if (argv[i] === '-h' || argv[i] === '--help') usage();
    else if (target === undefined) target = argv[i];
    else usage(`unexpected argument ${argv[i]}`);
  }
  if (!target) usage('no URI given');
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) usage('bad --timeout-ms');
  return { target, timeoutMs };
}

function splitHostPort(hostPort, defaultPort) {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostPort) ?? /^([^:]+)(?::(\d+))?$/.exec(hostPort);
  if (!m) throw new Error(`bad host ${JSON.stringify(hostPort)}`);
  return { host: m[1], port: m[2] ? Number(m[2]) : defaultPort };
}

/** Hosts and TLS settings from a connection string; ignores credentials and the database. */
async function parseTarget(target) {
  const m = /^(mongodb(?:\+srv)?):\/\/(?:[^@/]*@)?([^/?]+)\/?[^?]*(?:\?(.*))?$/.exec(target);
  if (!m) return { hosts: [splitHostPort(target, 27017)], useTls: false, insecure: false };
  const [, scheme, hostList, query = ''] = m;
  const params = new URLSearchParams(query);
  const flag = (name) => (params.get(name) ?? '').toLowerCase() === 'true';
  const srv = scheme === 'mongodb+srv';
  const tlsParam = params.get('tls') ?? params.get('ssl');
  const useTls = tlsParam === null ? srv : tlsParam.toLowerCase() === 'true';
  const insecure = flag('tlsInsecure') || flag('tlsAllowInvalidCertificates');
  if (!srv) {
    return { hosts: hostList.split(',').map((h) => splitHostPort(h, 27017)), useTls, insecure };
  }
  const records = await dns.resolveSrv(`_mongodb._tcp.${hostList}`);
  return { hosts: records.map((r) => ({ host: r.name, port: r.port })), useTls, insecure };
}

function bsonPingCommand() {
  const cstring = (s) => Buffer.from(`${s}\0`, 'utf8');
  const int32 = (n) => {
    const b = Buffer.alloc(4);
    b.writeInt32LE(n);
    return b;
  };
  const db = cstring('admin');
  const elements = Buffer.concat([
    Buffer.from([0x10]),
    cstring('ping'),
    int32(1),
    Buffer.from([0x02]),
    cstring('$db'),
    int32(db.length),
    db,
  ]);
  return Buffer.concat([int32(elements.length + 5), elements, Buffer.from([0])]);
}

/** Top-level fields of a BSON document; nested documents and exotic types are skipped. */
function parseTopLevel(buf, start) {
  const size = buf.readInt32LE(start);
  const end = start + size - 1;
  const out = {};
  let off = start + 4;
  const readString = () => {
    const len = buf.readInt32LE(off);
    const s = buf.toString('utf8', off + 4, off + 4 + len - 1);
    off += 4 + len;
    return s;
  };
  while (off < end) {
    const type = buf[off++];
    const nameEnd = buf.indexOf(0, off);
    const name = buf.toString('utf8', off, nameEnd);
    off = nameEnd + 1;
    switch (type) {
      case 0x01:
        out[name] = buf.readDoubleLE(off);
        off += 8;
        break;
      case 0x02:
      case 0x0d:
      case 0x0e:
        out[name] = readString();
        break;
      case 0x03:
      case 0x04:
      case 0x0f:
        off += buf.readInt32LE(off);
        break;
      case 0x05:
        off += 5 + buf.readInt32LE(off);
        break;
      case 0x06:
      case 0x0a:
      case 0x7f:
      case 0xff:
        out[name] = null;
        break;
      case 0x07:
        off += 12;
        break;
      case 0x08:
        out[name] = buf[off] === 1;
        off += 1;
        break;
      case 0x09:
      case 0x11:
        off += 8;
        break;
      case 0x0b:
        off = buf.indexOf(0, buf.indexOf(0, off) + 1) + 1;
        break;
      case 0x0c:
        readString();
        off += 12;
        break;
      case 0x10:
        out[name] = buf.readInt32LE(off);
        off += 4;
        break;
      case 0x12:
        out[name] = Number(buf.readBigInt64LE(off));
        off += 8;
        break;
      case 0x13:
        off += 16;
        break;
      default:
        throw new Error(`unsupported BSON type 0x${type.toString(16)} in reply`);
    }
  }
  return out;
}

function ping({ host, port }, useTls, insecure, timeoutMs) {
  return new Promise((resolve, reject) => {
    const socket = useTls
      ? tls.connect({
          host,
          port,
          servername: net.isIP(host) ? undefined : host,
          rejectUnauthorized: !insecure,
        })
      : net.connect({ host, port });
    const timer = setTimeout(() => fail(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    let chunks = [];
    let received = 0;
    function fail(err) {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    }
    socket.once('error', fail);
    socket.once(useTls ? 'secureConnect' : 'connect', () => {
      const body = Buffer.concat([Buffer.alloc(4), Buffer.from([0]), bsonPingCommand()]);
      const header = Buffer.alloc(16);
      header.writeInt32LE(16 + body.length, 0);
      header.writeInt32LE(1, 4); // requestID
      header.writeInt32LE(0, 8); // responseTo
      header.writeInt32LE(OP_MSG, 12);
      socket.write(Buffer.concat([header, body]));
    });
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received < 4) return;
      const buf = Buffer.concat(chunks);
      chunks = [buf];
      const length = buf.readInt32LE(0);
      if (received < length) return;
      clearTimeout(timer);
      socket.destroy();
      try {
        if (buf.readInt32LE(12) !== OP_MSG)
          throw new Error(`unexpected opCode ${buf.readInt32LE(12)}`);
        if (buf[20] !== 0) throw new Error(`unexpected OP_MSG section kind ${buf[20]}`);
        resolve(parseTopLevel(buf, 21));
      } catch (err) {
        reject(err);
      }
    });
    socket.once('end', () => fail(new Error('connection closed before a reply')));
  });
}

const { target, timeoutMs } = parseArgs(process.argv.slice(2));
let lastError;
try {
  const { hosts, useTls, insecure } = await parseTarget(target);
  for (const host of hosts) {
    try {
      const reply = await ping(host, useTls, insecure, timeoutMs);
      if (reply.ok === 1 || reply.ok === true) process.exit(0);
      lastError = new Error(
        `${host.host}:${host.port} answered ok: ${reply.ok}` +
          (reply.errmsg ? ` (${reply.code ?? ''} ${reply.errmsg})` : ''),
      );
    } catch (err) {
      lastError = new Error(`${host.host}:${host.port}: ${err.message}`);
    }
  }
} catch (err) {
  lastError = err;
}
process.stderr.write(`mongo-ping: ${lastError?.message ?? 'no hosts'}\n`);
process.exit(1);
