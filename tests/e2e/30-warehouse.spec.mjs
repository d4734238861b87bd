// Warehouse and inventory screens in a real browser: the warehouse role's menu,
// scan-verify (wrong SKU blocks, right SKUs verify, weight packs), shipping by
// tracking import, the bulk-ship export, warehouse tasks, handover, stock
// numbers against the API, and a stocktake count approved by the boss.
// Every step is checked against the API, not only against what the page shows.

const signIn = (ctx, user, viewport) => ctx.page(user, viewport)

async function logCount(page) {
  return page.locator('[data-test=verify-log] .log-row').count()
}

/** Types a code like a keyboard-wedge scanner (keys then Enter) and waits for the station's answer. */
async function scan(page, code) {
  const n = await logCount(page)
  await page.keyboard.type(code, { delay: 5 })
  await page.keyboard.press('Enter')
  await page.waitForFunction((k) => document.querySelectorAll('[data-test=verify-log] .log-row').length > k, n, { timeout: 10000 })
  return page.locator('[data-test=verify-feedback]').getAttribute('data-kind')
}

async function activeTest(page) {
  return page.evaluate(() => document.activeElement && document.activeElement.getAttribute('data-test'))
}

/** A screenshot once Element Plus's enter transitions (tags, messages) have run. */
async function shot(ctx, page, name) {
  await page.waitForTimeout(400)
  await ctx.shot(page, name)
}

// shared between the tests (they run in order on one server)
const state = {}

async function pickOrder(ctx) {
  const boss = await ctx.api('boss')
  const list = await boss('GET', '/orders?store=qinghe&stage=picked&page_size=50')
  ctx.eq(list.status, 200, 'picked orders')
  for (const o of list.json.items) {
    const d = (await boss('GET', `/orders/${o.id}`)).json.order
    const qty = d.items.reduce((s, i) => s + i.qty, 0)
    if (d.items.length && d.items.every((i) => i.sku_code) && qty <= 4) return d
  }
  throw new Error('no picked order of qinghe with coded items')
}

export default [
  {
    name: 'warehouse user sees the warehouse menu and no users or pay entries',
    async run(ctx) {
      const page = await signIn(ctx, 'warehouse')
      const menu = page.locator('[data-test=menu]')
      await menu.waitFor()
      for (const p of ['/verify', '/ship', '/tasks', '/handover', '/inventory'])
        ctx.eq(await page.locator(`[data-test="menu-${p}"]`).count(), 1, `menu entry ${p}`)
      ctx.eq(await page.locator('[data-test="menu-/settings/users"]').count(), 0, 'no users entry')
      const text = await menu.innerText()
      ctx.assert(!/用户与角色|工资|薪资|pay/i.test(text), 'no users or pay in the menu: ' + text)
      await page.goto(ctx.base + '/settings/users')
      await page.waitForURL((u) => u.pathname === '/forbidden')
      await page.context().close()
    },
  },
  {
    name: 'scan-verify: wrong SKU blocks packing, right SKUs verify, weight packs (keyboard only)',
    async run(ctx) {
      const order = await pickOrder(ctx)
      state.order = order
      const boss = await ctx.api('boss')
      const mine = new Set(order.items.map((i) => i.sku_code))
      const stock = await boss('GET', '/stock?page_size=100')
      const wrong = stock.json.items.find((s) => !mine.has(s.sku)).sku

      const page = await signIn(ctx, 'warehouse', { width: 1920, height: 1080 })
      await page.goto(ctx.base + '/verify')
      await page.locator('[data-test=scan-input]').waitFor()
      ctx.eq(await activeTest(page), 'scan-input', 'the scan field has the focus on arrival')
      await shot(ctx, page, 'verify-1920-idle')

      // the waybill (order number: picked demo orders have no tracking number yet)
      ctx.eq(await scan(page, order.tracking_no || order.order_no), 'ok', 'waybill scan opens the order')
      ctx.assert((await page.locator('[data-test=verify-order-no]').innerText()).includes(order.order_no), 'order shown')
      ctx.eq(await page.locator('[data-test=verify-lines] tbody tr').count(), order.items.length, 'expected lines shown')

      // a wrong SKU: red, the session is blocked
      ctx.eq(await scan(page, wrong), 'error', 'wrong SKU gives red feedback')
      await page.locator('[data-test=verify-blocked]').waitFor()
      ctx.assert((await page.locator('[data-test=verify-feedback]').innerText()).includes(wrong), 'the message names the wrong code')
      await shot(ctx, page, 'verify-1920-wrong')

      // packing is refused by the API while the goods are not verified
      await page.keyboard.press('F8')
      ctx.eq(await activeTest(page), 'weight-input', 'F8 moves to the weight field')
      const errs0 = ctx.consoleErrors.length
      const n0 = await logCount(page)
      await page.keyboard.type('500')
      await page.keyboard.press('Enter')
      await page.waitForFunction((k) => document.querySelectorAll('[data-test=verify-log] .log-row').length > k, n0)
      ctx.eq(await page.locator('[data-test=verify-feedback]').getAttribute('data-kind'), 'error', 'pack refused while blocked')
      ctx.eq(await activeTest(page), 'scan-input', 'focus back on the scan field after the refusal')
      let o = (await boss('GET', `/orders/${order.id}`)).json.order
      ctx.eq(o.stage, 'picked', 'order not packed after a wrong scan')
      ctx.eq(o.weight_g, null, 'no weight recorded')

      // F2: the wrong piece was taken out
      const n1 = await logCount(page)
      await page.keyboard.press('F2')
      await page.waitForFunction((k) => document.querySelectorAll('[data-test=verify-log] .log-row').length > k, n1)
      ctx.eq(await page.locator('[data-test=verify-blocked]').count(), 0, 'unblocked after removed')

      // the right goods, piece by piece
      const pieces = order.items.flatMap((i) => Array(i.qty).fill(i.sku_code))
      let kind = ''
      for (const code of pieces) {
        kind = await scan(page, code)
        ctx.assert(kind === 'ok' || kind === 'done', `scan of ${code} is green, got ${kind}`)
      }
      ctx.eq(kind, 'done', 'the last piece completes the verification')
      ctx.eq(await page.locator('[data-test=verify-status]').innerText(), '验货完成', 'status verified')
      ctx.eq(await activeTest(page), 'weight-input', 'a completed verification moves to the weight')
      await shot(ctx, page, 'verify-1920-verified')
      o = (await boss('GET', `/orders/${order.id}`)).json.order
      ctx.eq(o.stage, 'verified', 'the scan verified the order')

      // weight + Enter packs
      const n2 = await logCount(page)
      await page.keyboard.type('850')
      await page.keyboard.press('Enter')
      await page.waitForFunction((k) => document.querySelectorAll('[data-test=verify-log] .log-row').length > k, n2)
      ctx.eq(await page.locator('[data-test=verify-feedback]').getAttribute('data-kind'), 'done', 'packed is green')
      ctx.assert((await page.locator('[data-test=verify-feedback]').innerText()).includes(order.order_no), 'packed message names the order')
      ctx.eq(await activeTest(page), 'scan-input', 'focus back on the scan field after packing')
      o = (await boss('GET', `/orders/${order.id}`)).json.order
      ctx.eq(o.stage, 'packed', 'order packed')
      ctx.eq(o.weight_g, 850, 'weight recorded')
      await shot(ctx, page, 'verify-1920-packed')
      await page.context().close()

      // the same station at 1366×768, mid-verification of another order
      const other = await pickOrder(ctx)
      const small = await signIn(ctx, 'warehouse')
      await small.goto(ctx.base + '/verify')
      await small.locator('[data-test=scan-input]').waitFor()
      await scan(small, other.order_no)
      await scan(small, other.items[0].sku_code)
      await shot(ctx, small, 'verify-1366')
      await small.context().close()
    },
  },
  {
    name: 'ship: tracking import with a bad row ships the packed order; bulk-ship export has it',
    async run(ctx) {
      const order = state.order
      ctx.assert(order, 'the verify test packed an order')
      const boss = await ctx.api('boss')
      const tracking = 'ZT' + String(Date.now()).slice(-10)
      const page = await signIn(ctx, 'warehouse')
      await page.goto(ctx.base + '/ship')
      await page.locator('[data-test=ship-mode-paste]').click()
      const area = page.locator('textarea[data-test=ship-paste], [data-test=ship-paste] textarea').first()
      await area.fill(`订单编号\t物流公司\t物流单号\n${order.order_no}\t中通快递\t${tracking}\nNO-SUCH-ORDER\t中通快递\tZT1`)
      await page.locator('[data-test=ship-import]').click()
      await page.locator('[data-test=ship-result]').waitFor()
      ctx.eq(await page.locator('[data-test=ship-shipped]').innerText(), '1', 'one order shipped')
      ctx.eq(await page.locator('[data-test=ship-rejected]').innerText(), '1', 'one row rejected')
      const errText = await page.locator('[data-test=ship-errors]').innerText()
      ctx.assert(/\b3\b/.test(errText), 'the rejected row is reported with its line number: ' + errText)
      await shot(ctx, page, 'ship-import')
      const o = (await boss('GET', `/orders/${order.id}`)).json.order
      ctx.eq(o.stage, 'shipped', 'order shipped')
      ctx.eq(o.tracking_no, tracking, 'tracking number recorded')

      const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=ship-export]').click()])
      const path = await dl.path()
      const { readFileSync } = await import('node:fs')
      const csv = readFileSync(path, 'utf8')
      ctx.assert(csv.includes(order.order_no) && csv.includes(tracking), 'the bulk-ship file lists the shipped order')
      await page.context().close()
    },
  },
  {
    name: 'inventory shows the API stock of the SKU, its ledger, and the lists and report',
    async run(ctx) {
      const sku = state.order ? state.order.items[0].sku_code : 'QH-BB09-01'
      const api = await ctx.api('warehouse')
      const page = await signIn(ctx, 'warehouse')
      await page.goto(ctx.base + '/inventory')
      await page.locator('input[data-test=stock-search], [data-test=stock-search] input').first().fill(sku)
      await page.keyboard.press('Enter')
      await page.locator(`[data-test="onhand-${sku}"]`).waitFor()
      const s = (await api('GET', '/stock?sku=' + encodeURIComponent(sku))).json.items[0]
      ctx.eq(Number(await page.locator(`[data-test="onhand-${sku}"]`).innerText()), s.on_hand, 'on hand as the API')
      ctx.eq(Number(await page.locator(`[data-test="reserved-${sku}"]`).innerText()), s.reserved, 'reserved as the API')
      ctx.eq(Number(await page.locator(`[data-test="available-${sku}"]`).innerText()), s.available, 'available as the API')
      await shot(ctx, page, 'inventory-stock')

      await page.locator(`[data-test="stock-sku-${sku}"]`).click()
      await page.locator('[data-test=ledger-table]').waitFor()
      if (state.order) {
        const text = await page.locator('[data-test=ledger-table]').innerText()
        ctx.assert(text.includes(String(state.order.id)), 'the ledger shows the shipped order')
      }
      await shot(ctx, page, 'inventory-ledger')
      await page.keyboard.press('Escape')

      await page.goto(ctx.base + '/inventory?tab=lists')
      await page.locator('[data-test=lists-table]').waitFor()
      const oos = (await api('GET', '/stock/out-of-stock')).json
      ctx.assert((await page.locator('[data-test=lists-table]').innerText()).includes(oos.items[0].sku), 'out-of-stock list as the API')
      await shot(ctx, page, 'inventory-lists')
      const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=stock-export]').click()])
      const { readFileSync } = await import('node:fs')
      ctx.assert(readFileSync(await dl.path(), 'utf8').includes('商家编码,标题,可用库存'), 'platform stock file downloaded')

      await page.goto(ctx.base + '/inventory?tab=sell')
      await page.locator('[data-test=sell-through-chart] canvas').waitFor()
      const rep = (await api('GET', '/reports/sell-through')).json
      ctx.assert((await page.locator('[data-test=sell-rate]').innerText()).length > 0, 'sell-through rate shown')
      ctx.assert(rep.items.length > 0, 'report has items')
      await page.waitForTimeout(500)
      await shot(ctx, page, 'inventory-sell-through')
      await page.context().close()
    },
  },
  {
    name: 'stocktake: count entered by warehouse, variance shown, boss approves, stock adjusted',
    async run(ctx) {
      const api = await ctx.api('warehouse')
      const row = (await api('GET', '/stock?page_size=20')).json.items.find((r) => r.on_hand >= 3 && r.location)
      ctx.assert(row, 'a stocked SKU with a location')
      const page = await signIn(ctx, 'warehouse')
      await page.goto(ctx.base + '/inventory?tab=stocktake')
      await page.locator('[data-test=stocktake-new]').click()
      await page.locator('[data-test=stocktake-dialog]').waitFor()
      await page.locator('[data-test=stocktake-locations]').first().click()
      await page.keyboard.type(row.location)
      await page.locator('.el-select-dropdown__item', { hasText: row.location }).first().click()
      await page.locator('[data-test=stocktake-dialog] .el-dialog__header').click() // closes the dropdown
      await page.locator('.el-select-dropdown__item', { hasText: row.location }).first().waitFor({ state: 'hidden' })
      await page.locator('[data-test=stocktake-create]').click()
      const input = page.locator(`[data-test="count-${row.sku}"]`)
      await input.waitFor()
      const sheets = (await api('GET', '/stocktakes?status=open')).json.items
      const id = Math.max(...sheets.map((s) => s.id))
      const counted = row.on_hand - 2
      await input.fill(String(counted))
      ctx.eq(await page.locator(`[data-test="variance-${row.sku}"]`).innerText(), '-2', 'variance previewed')
      const others = await page.locator('input[data-count]').count()
      // Enter walks the count fields; Enter on the last one saves
      await input.focus()
      for (let i = 0; i < others; i++) await page.keyboard.press('Enter')
      await page.waitForFunction(
        (t) => document.querySelector('[data-test=stocktake-net]')?.textContent?.trim() === t, '-2', { timeout: 10000 },
      )
      const st = (await api('GET', `/stocktakes/${id}`)).json.stocktake
      const line = st.lines.find((l) => l.sku === row.sku)
      ctx.eq(line.counted, counted, 'count saved')
      ctx.eq(line.variance, -2, 'variance from the API')
      await shot(ctx, page, 'inventory-stocktake')
      ctx.eq(await page.locator('[data-test=stocktake-approve]').count(), 0, 'warehouse may not approve')
      await page.context().close()

      const bossPage = await signIn(ctx, 'boss')
      await bossPage.goto(ctx.base + '/inventory?tab=stocktake')
      await bossPage.locator('[data-test=stocktake-list] .el-table__row', { hasText: String(row.location) }).first().click()
      await bossPage.locator('[data-test=stocktake-approve]').click()
      await bossPage.locator('.el-message-box__btns .el-button--primary').click()
      await bossPage.waitForFunction(() => document.querySelector('[data-test=stocktake-status]')?.textContent?.trim() === '已审核')
      const after = (await api('GET', '/stock?sku=' + encodeURIComponent(row.sku))).json.items[0]
      ctx.eq(after.on_hand, row.on_hand - 2, 'stock adjusted by the approved variance')
      await shot(ctx, bossPage, 'inventory-stocktake-approved')
      await bossPage.context().close()
    },
  },
  {
    name: 'warehouse tasks: an order edit after printing makes a task, done with a note; handover sheet',
    async run(ctx) {
      const boss = await ctx.api('boss')
      const o = (await boss('GET', '/orders?store=qinghe&stage=waybill_printed&page_size=1')).json.items[0]
      const r = await boss('PATCH', `/orders/${o.id}`, { version: o.version, receiver_name: '王五改' })
      ctx.eq(r.status, 200, 'order edit')
      const task = (await boss('GET', `/tasks?order_id=${o.id}&status=open`)).json.items[0]
      ctx.assert(task && task.role === 'warehouse', 'a warehouse task was created')

      const page = await signIn(ctx, 'warehouse')
      await page.goto(ctx.base + '/tasks')
      await page.locator(`[data-test="task-done-${task.id}"]`).waitFor()
      ctx.eq(await page.locator(`[data-test="task-order-${task.id}"]`).getAttribute('href'), `/orders/${o.id}`, 'task links to its order')
      await shot(ctx, page, 'tasks')
      await page.locator(`[data-test="task-done-${task.id}"]`).click()
      await page.locator('.el-message-box__input input').fill('面单已追回修改')
      await page.locator('.el-message-box__btns .el-button--primary').click()
      await page.locator(`[data-test="task-done-${task.id}"]`).waitFor({ state: 'detached' })
      const done = (await boss('GET', `/tasks?order_id=${o.id}`)).json.items.find((x) => x.id === task.id)
      ctx.eq(done.status, 'done', 'task done')
      ctx.eq(done.note, '面单已追回修改', 'note recorded')

      // handover: prefilled from the open items, saved, acknowledged by the boss, an item ticked
      await page.goto(ctx.base + '/handover')
      await page.locator('[data-test=handover-new]').click()
      await page.locator('[data-test=handover-dialog]').waitFor()
      await page.locator('[data-test=handover-dialog] .suggest').first().waitFor()
      await page.locator('[data-test=handover-shift]').first().click()
      await page.keyboard.type('夜班')
      await page.keyboard.press('Enter')
      await page.locator('input[data-test=handover-extra], [data-test=handover-extra] input').first().fill('3 号货架灯坏了')
      await page.keyboard.press('Enter')
      await shot(ctx, page, 'handover-new')
      await page.locator('[data-test=handover-save]').click()
      await page.locator('[data-test=handover-detail] .item').first().waitFor()
      const wh = await ctx.api('warehouse')
      const sheet = (await wh('GET', '/handovers')).json.items[0]
      ctx.eq(sheet.shift, '夜班', 'sheet saved with its shift')
      ctx.assert(sheet.items_total >= 2, 'suggested and typed items saved')
      await shot(ctx, page, 'handover')
      await page.context().close()

      const bossPage = await signIn(ctx, 'boss')
      await bossPage.goto(ctx.base + `/handover?id=${sheet.id}`)
      await bossPage.locator('[data-test=handover-ack]').click()
      await bossPage.locator('[data-test=handover-detail] .el-tag--success').waitFor()
      await bossPage.locator('[data-test=handover-detail] .item .el-checkbox').first().click()
      await bossPage.locator('[data-test=handover-detail] .item.done').first().waitFor()
      const after = (await wh('GET', `/handovers/${sheet.id}`)).json.handover
      ctx.eq(after.acknowledged, true, 'acknowledged')
      ctx.assert(after.items.some((i) => i.done), 'an item ticked done')
      await bossPage.context().close()
    },
  },
]
