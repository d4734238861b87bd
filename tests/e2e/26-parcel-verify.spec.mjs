// ORD-10 with ORD-7/ORD-8 in a real browser: a split order's parcel 1 is
// printed from the parcels card and printed again with 补打 (same request,
// same PDF answer, the parcel stays 已打单, a second print event); then a
// warehouse user at the scan-verify station scans the parcel's waybill code
// (ORDERNO-1): the station says 包裹 1/2 and lists only that parcel's goods, a
// piece of parcel 2 is refused as wrong goods, the right piece verifies the
// parcel and weight + Enter packs that parcel alone. Checked against the API.
import { join } from 'node:path'
import { writeFileSync } from 'node:fs'

const STORE = 'qinghe'
const BUYER = 'e2e_baoguo'
const PAID = '买家已付款，等待卖家发货'
const ADDR = '浙江省 杭州市 西湖区 文三路 91 号'
const SKU_A = 'QH-BB09-01'
const SKU_B = 'QH-BB09-02'
const NO = '9826000000000000001'

function writeReport(dir) {
  const now = new Date(Date.now() - 3600e3).toISOString().slice(0, 19).replace('T', ' ')
  const orders = join(dir, 'parcel-orders.csv')
  const items = join(dir, 'parcel-items.csv')
  writeFileSync(orders, '订单编号,买家会员名,买家实际支付金额,订单状态,买家留言,收货人姓名,收货地址,联系手机,订单创建时间,订单付款时间\r\n' +
    `="${NO}",${BUYER},147.00,${PAID},,李包裹,${ADDR},13912345678,${now},${now}\r\n`)
  writeFileSync(items, '订单编号,标题,价格,购买数量,外部系统编号,商品属性,套餐信息,备注,订单状态,商家编码\r\n' +
    `="${NO}",青禾 帆布托特包 ${SKU_A},49.00,1,,颜色分类:米白,,,${PAID},${SKU_A}\r\n` +
    `="${NO}",青禾 帆布托特包 ${SKU_B},49.00,2,,颜色分类:黑色,,,${PAID},${SKU_B}\r\n`)
  return [orders, items]
}

async function signIn(ctx, user, viewport) {
  const page = await ctx.page(user, viewport)
  await page.evaluate((s) => localStorage.setItem('dianpu.store', s), STORE)
  return page
}

async function shot(ctx, page, name) {
  await page.evaluate(() => document.querySelectorAll('.el-message').forEach((e) => e.remove()))
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), null, { timeout: 5000 })
  await ctx.shot(page, name)
}

/** Types a code like a keyboard-wedge scanner and waits for the station's answer. */
async function scan(page, code) {
  const n = await page.locator('[data-test=verify-log] .log-row').count()
  await page.keyboard.type(code, { delay: 5 })
  await page.keyboard.press('Enter')
  await page.waitForFunction((k) => document.querySelectorAll('[data-test=verify-log] .log-row').length > k, n, { timeout: 10000 })
  return page.locator('[data-test=verify-feedback]').getAttribute('data-kind')
}

export default [
  {
    name: 'a parcel is reprinted (补打) from the parcels card, then verified at the station by its ORDERNO-K code and packed alone',
    async run(ctx) {
      const [ofile, ifile] = writeReport(ctx.tmp)
      ctx.cli(['import', 'taobao-orders', '--db', ctx.db, '--store', STORE, ofile, ifile])
      const api = await ctx.api('boss')
      let o = (await api('GET', `/orders?store=${STORE}&order_no=${NO}`)).json.items[0]
      ctx.assert(o, 'the order was imported')
      if (o.stage === 'pending_audit') {
        const a = await api('POST', `/orders/${o.id}/audit`, { version: o.version })
        ctx.eq(a.status, 200, 'audit: ' + a.text)
      }
      const id = o.id
      const items = (await api('GET', `/orders/${id}`)).json.order.items
      const line = (sku) => items.find((it) => it.sku_code === sku).line_no
      const split = await api('POST', `/orders/${id}/split`, {
        parcels: [[{ line_no: line(SKU_A), qty: 1 }], [{ line_no: line(SKU_B), qty: 2 }]],
      })
      ctx.eq(split.status, 201, 'split: ' + split.text)

      // the parcels card: 打单, then 补打 of the same parcel
      const page = await signIn(ctx, 'boss')
      await page.goto(ctx.base + `/orders/${id}`)
      const card = page.locator('[data-test=parcels-card]')
      await card.waitFor({ state: 'visible', timeout: 10000 })
      ctx.eq(await card.locator('[data-test=parcel-reprint-1]').count(), 0, 'no 补打 before the first print')
      const sent = []
      await page.route('**/api/v1/print/waybills', async (route) => {
        const r = await route.fetch()
        sent.push({ status: r.status(), type: r.headers()['content-type'] || '', head: (await r.body()).subarray(0, 5).toString('latin1'), body: route.request().postDataJSON() })
        await route.fulfill({ response: r })
      })
      const pdfDlg = page.locator('[data-test=parcel-pdf-dialog]')
      await card.locator('[data-test=parcel-print-1]').click()
      await pdfDlg.waitFor({ state: 'visible', timeout: 15000 })
      await pdfDlg.locator('.el-dialog__headerbtn').click()
      await pdfDlg.waitFor({ state: 'hidden' })
      await page.waitForSelector('[data-test=parcel-stage-1][data-stage=waybill_printed]', { timeout: 10000 })
      const reprint = card.locator('[data-test=parcel-reprint-1]')
      await reprint.waitFor({ state: 'visible' })
      ctx.eq((await reprint.innerText()).trim(), '补打', 'the reprint button is 补打')
      ctx.eq(await card.locator('[data-test=parcel-reprint-2]').count(), 0, 'no 补打 for the unprinted parcel 2')
      await card.scrollIntoViewIfNeeded()
      await shot(ctx, page, 'parcel-reprint-button')
      await reprint.click()
      await pdfDlg.waitFor({ state: 'visible', timeout: 15000 })
      ctx.eq(sent.length, 2, 'two print requests went out')
      ctx.eq(sent[1].body, sent[0].body, '补打 sends what 打单 sent')
      ctx.eq(sent[1].body.parcels, [{ order_id: id, parcel_no: 1 }], 'the parcel printed')
      ctx.eq([sent[1].status, sent[1].head], [200, '%PDF-'], 'the reprint answered with a PDF')
      ctx.assert(sent[1].type.startsWith('application/pdf'), 'Content-Type ' + sent[1].type)
      await page.unroute('**/api/v1/print/waybills')
      await pdfDlg.locator('.el-dialog__headerbtn').click()
      await pdfDlg.waitFor({ state: 'hidden' })
      let parcels = (await api('GET', `/orders/${id}/parcels`)).json.parcels
      ctx.eq(parcels.map((p) => p.stage), ['waybill_printed', 'audited'], 'API: the reprint leaves the parcel at 已打单')
      const prints = (await api('GET', `/orders/${id}`)).json.order.timeline.filter((e) => e.action === 'parcel_print')
      ctx.eq(prints.map((e) => [e.user, e.detail.slice(0, 7)]), [['boss', '包裹 1/2'], ['boss', '包裹 1/2']], 'API: two print events of parcel 1')
      await card.locator('[data-test=parcel-pick-1]').click()
      await page.waitForSelector('[data-test=parcel-stage-1][data-stage=picked]', { timeout: 10000 })
      await page.context().close()

      // the station: the parcel's code, its goods only
      const st = await signIn(ctx, 'warehouse', { width: 1920, height: 1080 })
      await st.goto(ctx.base + '/verify')
      await st.locator('[data-test=scan-input]').waitFor()
      ctx.eq(await scan(st, `${NO}-1`), 'ok', 'the parcel code opens its session')
      ctx.eq((await st.locator('[data-test=verify-parcel]').innerText()).trim(), '包裹 1/2', 'the station says 包裹 1/2')
      ctx.assert((await st.locator('[data-test=verify-feedback]').innerText()).includes('包裹 1/2'), 'and so does the message')
      ctx.eq(await st.locator('[data-test=verify-lines] tbody tr').count(), 1, "only parcel 1's line")
      ctx.eq((await st.locator(`[data-test=verify-qty-${SKU_A}]`).innerText()).trim(), '0 / 1', `${SKU_A}: 0 of 1`)
      ctx.eq(await st.locator(`[data-test=verify-line-${SKU_B}]`).count(), 0, `${SKU_B} (parcel 2) not listed`)
      await shot(ctx, st, 'verify-parcel-opened')
      ctx.eq(await scan(st, SKU_B), 'error', "parcel 2's goods are wrong goods here")
      await st.locator('[data-test=verify-blocked]').waitFor()
      ctx.assert((await st.locator('[data-test=verify-feedback]').innerText()).includes('不在此包裹中'), 'names the parcel')
      await shot(ctx, st, 'verify-parcel-wrong')
      const n = await st.locator('[data-test=verify-log] .log-row').count()
      await st.keyboard.press('F2')
      await st.waitForFunction((k) => document.querySelectorAll('[data-test=verify-log] .log-row').length > k, n)
      ctx.eq(await scan(st, SKU_A), 'done', 'the right piece completes the parcel')
      ctx.eq((await st.locator('[data-test=verify-stage]').innerText()).trim(), '已验货', "the parcel's stage is shown")
      parcels = (await api('GET', `/orders/${id}/parcels`)).json.parcels
      ctx.eq(parcels.map((p) => p.stage), ['verified', 'audited'], 'API: only parcel 1 verified')
      await st.keyboard.type('300')
      const m = await st.locator('[data-test=verify-log] .log-row').count()
      await st.keyboard.press('Enter')
      await st.waitForFunction((k) => document.querySelectorAll('[data-test=verify-log] .log-row').length > k, m)
      ctx.eq(await st.locator('[data-test=verify-feedback]').getAttribute('data-kind'), 'done', 'packed is green')
      ctx.assert((await st.locator('[data-test=verify-feedback]').innerText()).includes(`${NO} 包裹 1/2`), 'packed message names the parcel')
      await shot(ctx, st, 'verify-parcel-packed')
      parcels = (await api('GET', `/orders/${id}/parcels`)).json.parcels
      ctx.eq(parcels.map((p) => [p.stage, p.weight_g]), [['packed', 300], ['audited', null]], 'API: parcel 1 packed with its weight')
      o = (await api('GET', `/orders/${id}`)).json.order
      ctx.eq(o.stage, 'audited', 'the order waits for its slowest parcel')
      await st.context().close()
    },
  },
]
