// Reads [{tool, env, config, url}] as JSON on stdin; prints [proxy-or-null] as JSON.
// Each tool's real code decides: @npmcli/agent getProxy (npm's own copy), proxy-from-env's
// getProxyForUrl, and undici's EnvHttpProxyAgent dispatching a real request (its direct
// path goes through a connector that records the target; its proxy path reaches a local
// listener that counts connections).
'use strict'
const net = require('net')
const path = require('path')
const [npmRoot, modules] = process.argv.slice(2)
const { getProxy } = require(path.join(npmRoot, 'npm/node_modules/@npmcli/agent/lib/proxy.js'))
const { getProxyForUrl } = require(path.join(modules, 'proxy-from-env'))
const { EnvHttpProxyAgent } = require(path.join(modules, 'undici'))

const KEYS = /^(npm_config_)?(https?|all|no)_proxy$|^npm_config_(no)?proxy$/i

function setEnv (env) {
  for (const key of Object.keys(process.env)) if (KEYS.test(key)) delete process.env[key]
  Object.assign(process.env, env)
}

async function undici (env, url, proxyPort, hits) {
  setEnv(env)
  let direct = null
  const agent = new EnvHttpProxyAgent({
    connect: (opts, cb) => { direct = `${opts.hostname}:${opts.port}`; cb(new Error('probe')) }
  })
  const before = hits.count
  try {
    await agent.request({ origin: new URL(url).origin, path: '/', method: 'GET' })
  } catch (e) {}
  await agent.destroy().catch(() => {})
  if (direct !== null && hits.count === before) return null
  if (direct === null && hits.count > before) return `proxy:${proxyPort}`
  return `unclear:${direct}:${hits.count - before}`
}

async function main () {
  let input = ''
  for await (const chunk of process.stdin) input += chunk
  const cases = JSON.parse(input)
  const hits = { count: 0 }
  // The stand-in proxy refuses every request (403), so that undici gives up at once
  // instead of reconnecting.
  const server = net.createServer((s) => {
    hits.count++
    s.on('error', () => {})
    s.once('data', () => s.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = server.address().port
  const out = []
  for (const c of cases) {
    const env = {}
    for (const [k, v] of Object.entries(c.env)) env[k] = v.replace('{PROXY}', `http://127.0.0.1:${port}`)
    if (c.tool === 'npm') {
      const p = getProxy(c.url, { proxy: c.config.proxy, noProxy: c.config.noproxy })
      out.push(p ? p.href : null)
    } else if (c.tool === 'node-proxy-from-env') {
      setEnv(env)
      out.push(getProxyForUrl(c.url) || null)
    } else if (c.tool === 'node-undici') {
      out.push(await undici(env, c.url, port, hits))
    } else {
      out.push(`unknown tool ${c.tool}`)
    }
  }
  server.close()
  process.stdout.write(JSON.stringify(out))
}
main().catch((e) => { console.error(e); process.exit(1) })
