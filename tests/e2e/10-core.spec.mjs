// The frame of the console: login (and a refused one), the dashboard against
// GET /api/v1/reports/orders, the language switch, logout, and a session that
// ends on the server sending the browser back to the login page.
const STORE = 'qinghe'

async function text(page, sel) {
  return (await page.locator(sel).first().innerText()).trim()
}

export default [
  {
    name: 'a wrong password is refused with the API message; the login page is Chinese by default',
    async run(ctx) {
      const page = await ctx.page()
      await page.goto(ctx.base + '/orders')
      await page.waitForURL((u) => u.pathname === '/login', { timeout: 10000 })
      ctx.assert((await page.locator('[data-test=login-submit]').innerText()).includes('登录'), 'Chinese login button')
      await page.locator('input[data-test=username], [data-test=username] input').first().fill('boss')
      await page.locator('input[data-test=password], [data-test=password] input').first().fill('not-the-password')
      await page.locator('[data-test=login-submit]').click()
      await page.locator('[data-test=login-error]').waitFor({ timeout: 5000 })
      ctx.assert(/用户名或密码|密码/.test(await text(page, '[data-test=login-error]')), 'refusal shown in Chinese')
      ctx.eq(new URL(page.url()).pathname, '/login', 'still on the login page')
      await ctx.shot(page, 'login-refused')
      await page.context().close()
    },
  },
  {
    name: 'boss sees the dashboard; stage cards, today and 30 days match GET /reports/orders',
    async run(ctx) {
      const api = await ctx.api('boss')
      const page = await ctx.page('boss')
      await page.locator('[data-test=stage-pending_audit]').waitFor({ timeout: 10000 })
      const all = (await api('GET', `/reports/orders?store=${STORE}`)).json
      for (const stage of ['pending_audit', 'audited', 'waybill_printed', 'shipped', 'delivered', 'cancelled']) {
        const shown = Number(await text(page, `[data-test=stage-${stage}] [data-test=stage-count]`))
        ctx.eq(shown, all.by_stage[stage] || 0, `stage card ${stage}`)
      }
      // the console's 30-day window is the last 30 Shanghai days, today included
      const now = Date.now()
      const shDay = new Date(now + 8 * 3600e3).toISOString().slice(0, 10)
      const todayStart = Date.parse(shDay + 'T00:00:00Z') - 8 * 3600e3
      const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z')
      const month = (await api('GET', `/reports/orders?store=${STORE}&from=${iso(todayStart - 29 * 86400e3)}&to=${iso(todayStart + 86400e3)}`)).json
      ctx.eq(Number(await text(page, '[data-test=kpi-30-orders]')), month.orders, '30-day orders')
      const today = (await api('GET', `/reports/orders?store=${STORE}&from=${iso(todayStart)}&to=${iso(todayStart + 86400e3)}`)).json
      ctx.eq(Number(await text(page, '[data-test=kpi-today-orders]')), today.orders, "today's orders")
      ctx.assert(month.orders > 0, 'demo data has orders in the last 30 days')
      await page.locator('[data-test=dash-trend] canvas').waitFor({ timeout: 5000 })
      const rows = await page.locator('[data-test=dash-top-skus] .el-table__row').count()
      ctx.assert(rows > 0, 'top SKUs listed')
      await ctx.shot(page, 'dashboard')
      await page.locator('[data-test=stage-audited]').click()
      await page.waitForURL((u) => u.pathname === '/orders' && u.searchParams.get('stage') === 'audited')
      await page.context().close()
    },
  },
  {
    name: 'language switch: English menu and dashboard, kept after a reload; back to Chinese',
    async run(ctx) {
      const page = await ctx.page('boss')
      const menu = page.locator('[data-test=menu]')
      await menu.waitFor()
      ctx.assert((await menu.innerText()).includes('订单'), 'Chinese menu first')
      await page.locator('[data-test=lang] label', { hasText: 'EN' }).click()
      await page.waitForFunction(() => document.querySelector('[data-test=menu]').innerText.includes('Orders'))
      await page.reload()
      await page.locator('[data-test=stage-audited]').waitFor({ timeout: 10000 })
      ctx.assert((await menu.innerText()).includes('Inventory'), 'English after reload')
      ctx.assert((await page.locator('[data-test=dashboard]').innerText()).includes('By stage'), 'dashboard in English')
      await ctx.shot(page, 'dashboard-en')
      await page.locator('[data-test=lang] label', { hasText: '中文' }).click()
      await page.waitForFunction(() => document.querySelector('[data-test=menu]').innerText.includes('库存'))
      await page.context().close()
    },
  },
  {
    name: 'logout returns to login; a session ended on the server sends the next screen to login',
    async run(ctx) {
      const page = await ctx.page('boss')
      await page.locator('[data-test=user-menu]').click()
      await page.locator('[data-test=logout]').click()
      await page.waitForURL((u) => u.pathname === '/login')
      await page.goto(ctx.base + '/inventory')
      await page.waitForURL((u) => u.pathname === '/login')

      await ctx.login(page, 'boss')
      await page.locator('[data-test=stage-audited]').waitFor({ timeout: 10000 })
      // the session ends outside this tab (logout elsewhere, expiry): the cookie is now dead
      const r = await page.request.post(ctx.base + '/api/v1/auth/logout')
      ctx.eq(r.status(), 200, 'logout through the same cookie')
      await page.locator('[data-test="menu-/orders"]').click()
      await page.waitForURL((u) => u.pathname === '/login', { timeout: 10000 })
      ctx.assert((await text(page, '[data-test=login-error]')).includes('过期'), 'says the session expired')
      ctx.eq(new URL(page.url()).searchParams.get('next'), '/orders', 'comes back to where it was')
      await page.locator('input[data-test=username], [data-test=username] input').first().fill('boss')
      await page.locator('input[data-test=password], [data-test=password] input').first().fill('boss-demo-2026')
      await page.locator('[data-test=login-submit]').click()
      await page.waitForURL((u) => u.pathname === '/orders', { timeout: 10000 })
      await page.context().close()
    },
  },
  {
    name: 'a role without the order board (designer) gets a welcome, not an error',
    async run(ctx) {
      const page = await ctx.page('designer')
      await page.locator('[data-test=dashboard]').waitFor()
      const menu = await page.locator('[data-test=menu]').innerText()
      ctx.assert(!menu.includes('订单') && !menu.includes('用户'), 'no orders or users in the menu: ' + menu)
      ctx.eq(await page.locator('[data-test=state-error]').count(), 0, 'no error state')
      await page.goto(ctx.base + '/orders')
      await page.locator('[data-test=forbidden]').waitFor()
      await page.context().close()
    },
  },
]
