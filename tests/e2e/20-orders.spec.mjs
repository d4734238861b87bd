// Orders screens in a real browser: the boss signs in, imports a generated Taobao
// report through the Import screen, filters the orders list and batch-audits
// pending orders, prints their waybills (the PDF answer is checked), and opens an
// order's detail with its timeline. Every outcome is checked against the API.
import { join } from 'node:path'
import { readFileSync, writeFileSync } from 'node:fs'

const STORE = 'qinghe'
const state = { importId: 0, audited: [], printed: [] }

async function signIn(ctx, user) {
  const page = await ctx.page(user)
  await page.evaluate((s) => localStorage.setItem('dianpu.store', s), STORE)
  return page
}

async function orderByNo(api, no) {
  const r = await api('GET', `/orders?store=${STORE}&order_no=${encodeURIComponent(no)}`)
  return r.json.items[0]
}

async function waitTable(page) {
  await page.waitForSelector('[data-test=orders-table] .el-table__row, [data-test=state-empty]', { timeout: 10000 })
  await page.waitForFunction(() => !document.querySelector('[data-test=orders-table] .el-loading-mask'), null, { timeout: 10000 })
}

export default [
  {
    name: 'boss imports a generated Taobao report and sees the result the API reports',
    async run(ctx) {
      const orders = join(ctx.tmp, 'orders-e2e.csv')
      const items = join(ctx.tmp, 'items-e2e.csv')
      ctx.cli(['gen', 'taobao-orders', '--orders', '200', '--seed', '7', orders, items])
      const page = await signIn(ctx, 'boss')
      await page.goto(ctx.base + '/import')
      await page.waitForSelector('[data-test=import-form]')
      ctx.assert((await page.locator('[data-test=import-store]').innerText()).trim() !== '', 'a store to import into')
      await page.locator('[data-test=import-orders] input[type=file]').setInputFiles(orders)
      await page.locator('[data-test=import-items] input[type=file]').setInputFiles(items)
      await page.locator('[data-test=import-start]').click()
      await page.waitForSelector('[data-test=import-result]', { timeout: 30000 })
      const id = Number(new URL(page.url()).searchParams.get('job'))
      ctx.assert(id > 0, 'the job id is in the URL')
      state.importId = id
      const api = await ctx.api('boss')
      const job = (await api('GET', `/imports/${id}`)).json
      ctx.eq(job.status, 'done', 'import status')
      ctx.eq(job.store, STORE, 'imported into the demo store')
      ctx.eq(job.rows, 200, 'rows of the generated report')
      const shown = {}
      for (const k of ['rows', 'inserted', 'updated', 'unchanged', 'rejected'])
        shown[k] = Number((await page.locator(`[data-test=stat-${k}] .el-statistic__number`).innerText()).replace(/[^\d]/g, ''))
      ctx.eq(shown, { rows: job.rows, inserted: job.inserted, updated: job.updated, unchanged: job.unchanged, rejected: job.rejected },
        'numbers on screen = GET /imports/{id}')
      ctx.eq(job.inserted + job.updated + job.unchanged + job.rejected >= 200, true, 'every row accounted for')
      const rejectRows = await page.locator('[data-test=import-rejects] .el-table__body tr').count()
      ctx.eq(rejectRows, Math.min(job.errors.length, 50), 'rejected rows listed')
      await ctx.shot(page, 'orders-import-result')

      // A reload keeps the result (the job id is in the URL).
      await page.reload()
      await page.waitForSelector('[data-test=import-result]')
      await page.context().close()
    },
  },
  {
    name: 'filter the orders list (kept in the URL) and batch-audit selected pending orders',
    async run(ctx) {
      const page = await signIn(ctx, 'boss')
      await page.goto(ctx.base + '/orders')
      await waitTable(page)
      await page.locator('#tab-pending_audit').click()
      await page.waitForURL((u) => u.searchParams.get('stage') === 'pending_audit')
      // only orders the importer flagged for a person to look at (buyer message / memo)
      await page.locator('[data-test=f-exception]').click()
      await page.waitForURL((u) => u.searchParams.get('exception') === '1')
      await waitTable(page)
      // Reload keeps the filters.
      await page.reload()
      await waitTable(page)
      ctx.assert(await page.locator('#tab-pending_audit.is-active').count() === 1, 'stage tab survives reload')
      ctx.assert(await page.locator('[data-test=f-exception].is-checked').count() === 1, 'exception filter survives reload')
      const stages = await page.locator('[data-test=row-stage]').evaluateAll((els) => els.map((e) => e.dataset.stage))
      ctx.assert(stages.length > 0 && stages.every((s) => s === 'pending_audit'), 'only pending orders listed: ' + stages)

      // Select the first six rows with the checkbox.
      const rows = page.locator('[data-test=orders-table] .el-table__body-wrapper .el-table__row')
      const n = Math.min(6, await rows.count())
      const nos = []
      for (let i = 0; i < n; i++) {
        await rows.nth(i).locator('.el-checkbox').first().click()
        nos.push((await rows.nth(i).locator('[data-test=row-order-no]').innerText()).trim())
      }
      ctx.assert((await page.locator('[data-test=selected-count]').innerText()).includes(String(n)), 'selection counted')
      ctx.eq(new URL(page.url()).pathname, '/orders', 'clicking checkboxes does not open the order')
      await ctx.shot(page, 'orders-list')

      const answer = page.waitForResponse((r) => r.url().includes('/api/v1/orders/batch/audit'))
      await page.locator('[data-test=batch-audit]').click()
      const batch = await (await answer).json()
      await page.waitForSelector('[data-test=batch-result]', { state: 'visible' })
      const summary = await page.locator('[data-test=batch-summary]').innerText()
      ctx.assert(summary.includes(String(batch.ok)), 'dialog shows the successes')
      ctx.eq(batch.ok + batch.failed, n, 'a result per selected order')
      const failRows = batch.failed ? await page.locator('[data-test=batch-failures] .el-table__body tr').count() : 0
      ctx.eq(failRows, batch.failed, 'each failure listed with its reason')
      ctx.assert(batch.ok >= 1, 'some selected orders could be audited')

      const api = await ctx.api('boss')
      for (const no of nos) {
        const o = await orderByNo(api, no)
        const res = batch.results.find((r) => r.id === o.id)
        ctx.assert(res, 'result for ' + no)
        if (res.ok) {
          ctx.eq(o.stage, 'audited', `order ${no} audited`)
          state.audited.push({ id: o.id, no })
        } else {
          ctx.eq(o.stage, 'pending_audit', `refused order ${no} still pending`)
          const text = await page.locator('[data-test=batch-failures]').innerText()
          ctx.assert(text.includes(res.error.message), 'failure reason shown: ' + res.error.message)
        }
      }
      await page.locator('[data-test=batch-result-close]').click()
      // The list reloaded: the audited orders left the pending tab.
      await waitTable(page)
      const still = await page.locator('[data-test=row-order-no]').allInnerTexts()
      for (const a of state.audited) ctx.assert(!still.includes(a.no), `${a.no} no longer pending`)
      await page.context().close()
    },
  },
  {
    name: 'print waybills for the audited orders from the orders list and get a PDF',
    async run(ctx) {
      ctx.assert(state.audited.length > 0, 'orders audited by the previous test')
      const page = await signIn(ctx, 'boss')
      await page.goto(ctx.base + '/orders?stage=audited')
      await waitTable(page)
      const want = new Set(state.audited.map((a) => a.no))
      const rows = page.locator('[data-test=orders-table] .el-table__body-wrapper .el-table__row')
      const count = await rows.count()
      let picked = 0
      for (let i = 0; i < count; i++) {
        const no = (await rows.nth(i).locator('[data-test=row-order-no]').innerText()).trim()
        if (!want.has(no)) continue
        await rows.nth(i).locator('.el-checkbox').first().click()
        picked++
      }
      ctx.eq(picked, want.size, 'the audited orders are on the first page of the audited tab')
      await page.locator('[data-test=batch-waybills]').click()
      await page.waitForURL((u) => u.pathname === '/print')
      const ids = new URL(page.url()).searchParams.get('ids').split(',').map(Number).sort((a, b) => a - b)
      ctx.eq(ids, state.audited.map((a) => a.id).sort((a, b) => a - b), 'the print screen got the selected ids')
      await page.locator('[data-test=size-76x130]').click()
      // Pass the server's answer through, keeping a copy of its bytes to check.
      let pdf = null
      await page.route('**/api/v1/print/waybills', async (route) => {
        const r = await route.fetch()
        pdf = { status: r.status(), type: r.headers()['content-type'] || '', body: await r.body(), sent: route.request().postDataJSON() }
        await route.fulfill({ response: r })
      })
      await page.locator('[data-test=print-preview]').click()
      await page.waitForSelector('[data-test=print-frame]', { timeout: 15000 })
      ctx.assert(pdf, 'the print request went out')
      ctx.eq(pdf.status, 200, 'print status')
      ctx.assert(pdf.type.startsWith('application/pdf'), 'Content-Type application/pdf: ' + pdf.type)
      ctx.eq(pdf.body.subarray(0, 5).toString('latin1'), '%PDF-', 'the answer starts with %PDF')
      ctx.eq(pdf.sent.size, '76x130', 'the chosen size was sent')
      ctx.eq([...pdf.sent.ids].sort((a, b) => a - b), ids, 'the selected orders were sent')
      const src = await page.locator('[data-test=print-frame]').getAttribute('src')
      ctx.assert(src.startsWith('blob:'), 'preview from a blob URL')
      await page.waitForTimeout(800)
      await ctx.shot(page, 'orders-print-preview')

      const api = await ctx.api('boss')
      for (const a of state.audited) {
        const o = (await api('GET', `/orders/${a.id}`)).json.order
        ctx.eq(o.stage, 'waybill_printed', `order ${a.no} printed`)
        state.printed.push(a)
      }
      await page.context().close()
    },
  },
  {
    name: 'open an order from the list with the keyboard and see its timeline, actions and memos',
    async run(ctx) {
      ctx.assert(state.printed.length > 0, 'orders printed by the previous test')
      const target = state.printed[0]
      const page = await signIn(ctx, 'boss')
      await page.goto(ctx.base + '/orders')
      await waitTable(page)
      await page.locator('[data-test=f-order_no]').fill(target.no)
      await page.locator('[data-test=f-order_no]').press('Enter')
      await page.waitForURL((u) => u.searchParams.get('order_no') === target.no)
      await waitTable(page)
      ctx.eq(await page.locator('[data-test=row-order-no]').allInnerTexts(), [target.no], 'order number filter')
      // Keyboard: focus the table, arrow down, Enter opens the order.
      await page.locator('[data-test=orders-keys]').focus()
      await page.keyboard.press('ArrowDown')
      await page.keyboard.press('Enter')
      await page.waitForURL((u) => u.pathname === `/orders/${target.id}`)
      await page.waitForSelector('[data-test=timeline-item]')
      ctx.eq((await page.locator('[data-test=detail-order-no]').innerText()).trim(), target.no, 'detail of the order')
      ctx.eq(await page.locator('[data-test=detail-stage]').getAttribute('data-stage'), 'waybill_printed', 'stage shown')
      const api = await ctx.api('boss')
      const o = (await api('GET', `/orders/${target.id}`)).json.order
      ctx.eq(await page.locator('[data-test=timeline-item]').count(), o.timeline.length, 'every timeline event shown')
      const tl = await page.locator('[data-test=timeline]').innerText()
      for (const w of ['导入', '审核', '打印快递单', 'boss']) ctx.assert(tl.includes(w), 'timeline mentions ' + w)

      // A refused action is disabled and says why (the API's rule).
      const audit = o.actions && o.actions.find((a) => a.action === 'audit')
      if (audit && !audit.allowed) {
        ctx.assert(await page.locator('[data-test=act-audit]').isDisabled(), 'audit disabled at this stage')
        await page.locator('[data-test=act-wrap-audit]').hover()
        await page.waitForSelector(`.el-popper:has-text("${audit.reason}")`, { timeout: 5000 })
      }

      // Add a memo; the API's memo text appears.
      await page.locator('[data-test=memo-value]').fill('e2e 备注')
      await page.locator('[data-test=memo-value]').press('Enter')
      await page.waitForSelector('[data-test=memo]:has-text("e2e 备注")')
      const after = (await api('GET', `/orders/${target.id}`)).json.order
      ctx.assert(after.memos.some((m) => m.value === 'e2e 备注'), 'memo stored')
      await page.waitForTimeout(500) // the new memo's tag fades in
      await ctx.shot(page, 'orders-detail')

      // Back keeps the list's filter.
      await page.goBack()
      await page.waitForURL((u) => u.pathname === '/orders' && u.searchParams.get('order_no') === target.no)
      ctx.eq(await page.locator('input[data-test=f-order_no], [data-test=f-order_no] input').first().inputValue(), target.no, 'filter restored from the URL')
      await page.context().close()
    },
  },
  {
    name: 'an import with bad rows lists them (line, column, reason) and downloads them',
    async run(ctx) {
      const good = join(ctx.tmp, 'orders-rej.csv')
      const bad = join(ctx.tmp, 'orders-rej-bad.csv')
      ctx.cli(['gen', 'taobao-orders', '--orders', '20', '--seed', '11', '--utf8', good, join(ctx.tmp, 'items-rej.csv')])
      // Spoil two rows: an unknown status (column 11) and an empty order number.
      const lines = readFileSync(good, 'utf8').split('\r\n')
      lines[3] = lines[3].replace('买家已付款，等待卖家发货', '奇怪的状态').replace('交易成功', '奇怪的状态').replace('等待买家付款', '奇怪的状态')
        .replace('卖家已发货，等待买家确认', '奇怪的状态').replace('交易关闭', '奇怪的状态')
      lines[6] = lines[6].replace(/^="\d+"/, '=""')
      writeFileSync(bad, lines.join('\r\n'))
      const page = await signIn(ctx, 'boss')
      await page.goto(ctx.base + '/import')
      await page.locator('[data-test=import-orders] input[type=file]').setInputFiles(bad)
      await page.locator('[data-test=import-start]').click()
      await page.waitForSelector('[data-test=import-result]', { timeout: 30000 })
      const id = Number(new URL(page.url()).searchParams.get('job'))
      const api = await ctx.api('boss')
      const job = (await api('GET', `/imports/${id}`)).json
      ctx.eq(job.rejected, 2, 'two rows rejected')
      ctx.eq(job.errors.map((e) => e.line), [4, 7], 'rejected lines')
      const shown = await page.locator('[data-test=import-rejects] .el-table__body tr').allInnerTexts()
      ctx.eq(shown.length, 2, 'both listed')
      for (let i = 0; i < 2; i++)
        for (const v of [String(job.errors[i].line), job.errors[i].column, job.errors[i].reason])
          ctx.assert(shown[i].includes(v), `row ${i} shows ${v}`)
      const dl = page.waitForEvent('download')
      await page.locator('[data-test=download-rejects]').click()
      const file = await (await dl).path()
      const csv = readFileSync(file, 'utf8')
      ctx.assert(csv.startsWith('\uFEFF'), 'CSV has a BOM for Excel')
      ctx.assert(csv.includes(job.errors[0].reason) && csv.includes(job.errors[1].reason), 'CSV holds the reasons')
      const dlx = page.waitForEvent('download')
      await page.locator('[data-test=download-rejects-xlsx]').click()
      const xlsx = readFileSync(await (await dlx).path())
      ctx.eq(xlsx.subarray(0, 4).toString('latin1'), 'PK\u0003\u0004', 'the Excel download is an XLSX (zip) file')
      await ctx.shot(page, 'orders-import-rejects')
      await page.context().close()
    },
  },
  {
    name: 'export the filtered orders list to Excel',
    async run(ctx) {
      const page = await signIn(ctx, 'boss')
      await page.goto(ctx.base + '/orders?stage=audited')
      await waitTable(page)
      const answer = page.waitForResponse((r) => r.url().includes('format=xlsx'))
      const dl = page.waitForEvent('download')
      await page.locator('[data-test=batch-export]').click()
      const res = await answer
      ctx.eq(res.status(), 200, 'export status')
      ctx.assert(res.url().includes('stage=audited'), 'the export carries the filter: ' + res.url())
      ctx.assert(res.headers()['content-type'].includes('spreadsheetml'), 'XLSX content type')
      const file = readFileSync(await (await dl).path())
      ctx.eq(file.subarray(0, 4).toString('latin1'), 'PK\u0003\u0004', 'an XLSX (zip) file')
      await page.context().close()
    },
  },
  {
    name: 'import the generic order template (CSV downloaded from the screen) into the store',
    async run(ctx) {
      const page = await signIn(ctx, 'boss')
      await page.goto(ctx.base + '/import')
      await page.waitForSelector('[data-test=import-form]')
      await page.locator('[data-test=import-format] label', { hasText: '通用订单模板' }).click()
      ctx.eq(await page.locator('[data-test=import-items]').count(), 0, 'no item report for the generic template')
      const dl = page.waitForEvent('download')
      await page.locator('[data-test=template-csv]').click()
      const download = await dl
      const file = join(ctx.tmp, 'template.csv')
      await download.saveAs(file)
      const text = readFileSync(file, 'utf8')
      ctx.assert(text.startsWith('\uFEFF订单编号,'), 'the template starts with its header: ' + text.slice(0, 20))
      await page.locator('[data-test=import-orders] input[type=file]').setInputFiles(file)
      await page.locator('[data-test=import-start]').click()
      await page.waitForSelector('[data-test=import-result]', { timeout: 30000 })
      const id = Number(new URL(page.url()).searchParams.get('job'))
      const api = await ctx.api('boss')
      const job = (await api('GET', `/imports/${id}`)).json
      ctx.eq([job.status, job.rows, job.inserted + job.unchanged, job.rejected], ['done', 2, 1, 0], 'two lines, one order')
      const no = text.split('\r\n')[1].split(',')[0]
      const found = (await api('GET', `/orders?store=${STORE}&order_no=${no}`)).json
      ctx.eq(found.total, 1, 'the example order is in the store')
      await ctx.shot(page, 'orders-import-generic')
      await page.context().close()
    },
  },
]
