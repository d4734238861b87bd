// Browser tests of the console: a real `dianpu serve` (temp SQLite with demo data,
// the built console from web/dist) on a loopback port, driven with playwright-core
// in Debian's chromium. Each *.spec.mjs file exports an array of
// { name, run(ctx) }; tests run in file then array order and share one server.
// Prints "e2e: N passed, M failed"; exit status 1 when any failed.
//
//   node tests/e2e/run.mjs [--bin build/dianpu] [--web web/dist] [--only substring]
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createRequire } from 'node:module'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '../..')
const require = createRequire(join(root, 'web/package.json'))
const { chromium } = require('playwright-core')

function arg(name, def) {
  const i = process.argv.indexOf(name)
  return i > 0 ? process.argv[i + 1] : def
}
const BIN = resolve(root, arg('--bin', process.env.DIANPU_BIN || 'build/dianpu'))
const WEB = resolve(root, arg('--web', 'web/dist'))
const ONLY = arg('--only', process.env.E2E_ONLY || '')
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'
const SHOTS = join(here, 'screenshots')

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer()
    s.on('error', fail)
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port
      s.close(() => ok(p))
    })
  })
}

async function waitHealthy(base, child) {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error('dianpu serve exited with ' + child.exitCode)
    try {
      const r = await fetch(base + '/api/v1/health')
      if (r.ok) return
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('dianpu serve did not become healthy')
}

/** The demo passwords printed by `dianpu demo`: <user>-demo-2026. */
export const password = (user) => `${user}-demo-2026`

function makeCtx(base, tmp, browser, db) {
  const consoleErrors = []
  const ctx = {
    base, tmp, db, bin: BIN, root,
    consoleErrors,
    /** Runs the dianpu CLI; returns its stdout. */
    cli(args) {
      return execFileSync(BIN, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    },
    /** A page of a fresh browser context (own cookies) at 1366×768, optionally signed in. */
    async page(user, viewport = { width: 1366, height: 768 }) {
      const context = await browser.newContext({ viewport, locale: 'zh-CN', acceptDownloads: true })
      const page = await context.newPage()
      // Chromium logs every 4xx/5xx answer as "Failed to load resource"; the
      // statuses are the tests' own assertions, so only script errors count here.
      page.on('console', (m) => {
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
          consoleErrors.push(`${page.url()}: ${m.text()}`)
      })
      page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`))
      if (user) await ctx.login(page, user)
      return page
    },
    async login(page, user, pass = password(user)) {
      await page.goto(base + '/login')
      await page.locator('input[data-test=username], [data-test=username] input').first().fill(user)
      await page.locator('input[data-test=password], [data-test=password] input').first().fill(pass)
      await page.locator('[data-test=login-submit]').click()
      await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 10000 })
    },
    /** A JSON client of the API as a user (Bearer token), for checks beside the UI. */
    async api(user) {
      const r = await fetch(base + '/api/v1/auth/login', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: user, password: password(user) }),
      })
      const { token } = await r.json()
      return async (method, path, body) => {
        const res = await fetch(base + '/api/v1' + path, {
          method, headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        })
        const text = await res.text()
        let json = null
        try { json = JSON.parse(text) } catch { /* not JSON */ }
        return { status: res.status, json, text, headers: res.headers }
      }
    },
    async shot(page, name) {
      mkdirSync(SHOTS, { recursive: true })
      await page.screenshot({ path: join(SHOTS, name + '.png'), fullPage: false })
    },
    assert(cond, msg) {
      if (!cond) throw new Error('assertion failed: ' + msg)
    },
    eq(actual, expected, msg) {
      if (JSON.stringify(actual) !== JSON.stringify(expected))
        throw new Error(`${msg}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
    },
  }
  return ctx
}

async function main() {
  const tmp = mkdtempSync(join(tmpdir(), 'dianpu-e2e-'))
  const db = 'sqlite:' + join(tmp, 'e2e.db')
  execFileSync(BIN, ['demo', '--db', db], { stdio: ['ignore', 'ignore', 'pipe'] })
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const server = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--web', WEB], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let serverLog = ''
  server.stderr.on('data', (d) => { serverLog = (serverLog + d).slice(-20000) })
  let browser
  let passed = 0
  let failed = 0
  try {
    await waitHealthy(base, server)
    // launch() gives every run a fresh temporary user-data-dir of its own.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    })
    const ctx = makeCtx(base, tmp, browser, db)
    const files = readdirSync(here).filter((f) => f.endsWith('.spec.mjs')).sort()
    for (const f of files) {
      const tests = (await import(pathToFileURL(join(here, f)).href)).default
      for (const t of tests) {
        const name = `${f.replace('.spec.mjs', '')}: ${t.name}`
        if (ONLY && !name.includes(ONLY)) continue
        const before = ctx.consoleErrors.length
        const t0 = Date.now()
        try {
          await t.run(ctx)
          const errs = ctx.consoleErrors.slice(before).filter((e) => !t.allowConsoleErrors)
          if (errs.length) throw new Error('console errors:\n  ' + errs.join('\n  '))
          passed++
          console.log(`ok   ${name} (${Date.now() - t0} ms)`)
        } catch (e) {
          failed++
          console.log(`FAIL ${name}: ${e && e.stack ? e.stack : e}`)
        }
      }
    }
  } catch (e) {
    failed++
    console.log('FAIL e2e set-up: ' + (e && e.stack ? e.stack : e))
    console.log(serverLog.slice(-3000))
  } finally {
    if (browser) await browser.close()
    server.kill('SIGTERM')
    rmSync(tmp, { recursive: true, force: true })
  }
  console.log(`e2e: ${passed} passed, ${failed} failed`)
  process.exit(failed ? 1 : 0)
}

main()
