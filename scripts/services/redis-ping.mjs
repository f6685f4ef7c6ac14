#!/usr/bin/env node
// Sends Redis PING (after AUTH when the URL has a password) and exits 0 on +PONG.
// Used by scripts/services/services.sh when redis-cli is not installed.
//
// Usage: node redis-ping.mjs [--timeout-ms 2000] <redis://[user:password@]host:port | rediss://... | host:port>
import net from 'node:net';
import tls from 'node:tls';

const args = process.argv.slice(2);
let timeoutMs = 2000;
if (args[0] === '--timeout-ms') {
  timeoutMs = Number(args[1]);
  args.splice(0, 2);
}
if (args.length !== 1 || !Number.isFinite(timeoutMs)) {
  process.stderr.write(
    'usage: node redis-ping.mjs [--timeout-ms N] <redis://host:port | host:port>\n',
  );
  process.exit(2);
}

const url = new URL(args[0].includes('://') ? args[0] : `redis://${args[0]}`);
const useTls = url.protocol === 'rediss:';
const host = url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
const port = Number(url.port || 6379);
const user = decodeURIComponent(url.username);
const password = decodeURIComponent(url.password);

// RESP arrays, so passwords with spaces or CRLF are sent safely.
const command = (...parts) =>
  `*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join('')}`;
const expected = [];
let request = '';
if (password) {
  request += user ? command('AUTH', user, password) : command('AUTH', password);
  expected.push('+OK');
}
request += command('PING');
expected.push('+PONG');

const socket = useTls
  ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host })
  : net.connect({ host, port });
const done = (code, message) => {
  if (message) process.stderr.write(`redis-ping: ${host}:${port}: ${message}\n`);
  socket.destroy();
  process.exit(code);
};
const timer = setTimeout(() => done(1, `no answer within ${timeoutMs} ms`), timeoutMs);
socket.on('error', (err) => done(1, err.message));
socket.once(useTls ? 'secureConnect' : 'connect', () => socket.write(request));
let buffered = '';
socket.on('data', (chunk) => {
  buffered += chunk.toString('utf8');
  const lines = buffered.split('\r\n');
  buffered = lines.pop();
  for (const line of lines) {
    const want = expected.shift();
    if (line !== want) done(1, `expected ${want}, got ${line.slice(0, 200)}`);
    if (expected.length === 0) {
      clearTimeout(timer);
      done(0);
    }
  }
});
socket.on('end', () => done(1, 'connection closed before a reply'));
