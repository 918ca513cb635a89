// Where Node's own client connects for one URL when started with NODE_USE_ENV_PROXY=1: the
// global http/https agent (kind "http") or the global fetch dispatcher (kind "fetch"), both of
// which Node builds from the proxy variables at start-up. Prints "proxy", "direct" or "none".
'use strict';
const [, , kind, url, proxyHost, proxyPort] = process.argv;
let done = false;
function finish(answer) {
  if (done) return;
  done = true;
  process.stdout.write(answer);
  process.exit(0);
}
setTimeout(() => finish('none'), 8000);
if (kind === 'http') {
  const mod = url.startsWith('https:') ? require('https') : require('http');
  const req = mod.get(url);
  req.on('socket', (s) => s.once('connect', () => {
    finish(String(s.remotePort) === proxyPort ? 'proxy' : 'direct');
  }));
  req.on('error', (e) => {
    if (e.code === 'ERR_PROXY_TUNNEL') finish('proxy');  // the proxy refused the CONNECT
    else if (e.port !== undefined) finish(String(e.port) === proxyPort ? 'proxy' : 'direct');
    else finish('none');
  });
} else {
  const dc = require('diagnostics_channel');
  const seen = ({ connectParams }) => finish(connectParams.hostname === proxyHost ? 'proxy' : 'direct');
  dc.subscribe('undici:client:connected', seen);
  dc.subscribe('undici:client:connectError', seen);
  fetch(url).catch(() => setTimeout(() => finish('none'), 200));
}
