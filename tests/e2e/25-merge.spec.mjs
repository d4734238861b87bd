// ORD-10 in a real browser: the boss finds a merge candidate group (two paid
// orders of one buyer to one address, imported for the test), merges it from
// the orders list's 合并订单 dialog and sees the tag; the API shows merge_group
// on both; unmerges from the order page; splits an audited two-line order into
// two parcels through the 拆单 dialog (a wrong sum is refused on the spot),
// prints parcel 1's own waybill from the parcels card (the PDF answer is
// checked and shown in a dialog) and ships parcel 1: the API shows that parcel
// shipped with its tracking no. while the order is not yet shipped.
import { join } from 'node:path'
import { writeFileSync } from 'node:fs'

const STORE = 'qinghe'
const BUYER_M = 'e2e_hebing'
const BUYER_S = 'e2e_chaidan'
const PAID = '买家已付款，等待卖家发货'
const ADDR = '浙江省 杭州市 西湖区 文三路 90 号'
const SKU_A = 'QH-BB09-01'
const SKU_B = 'QH-BB09-02'
// order no -> [buyer, [[sku, qty], ...]]
const ORDERS = {
  '9825000000000000001': [BUYER_M, [[SKU_A, 1]]],
  '9825000000000000002': [BUYER_M, [[SKU_B, 1]]],
  '9825000000000000003': [BUYER_S, [[SKU_A, 1], [SKU_B, 1]]],
}
const state = { merge: [], split: 0 }

function writeReport(dir) {
  const now = new Date(Date.now() - 3600e3).toISOString().slice(0, 19).replace('T', ' ')
  const orders = join(dir, 'merge-orders.csv')
  const items = join(dir, 'merge-items.csv')
  let o = '订单编号,买家会员名,买家实际支付金额,订单状态,买家留言,收货人姓名,收货地址,联系手机,订单创建时间,订单付款时间\r\n'
  let i = '订单编号,标题,价格,购买数量,外部系统编号,商品属性,套餐信息,备注,订单状态,商家编码\r\n'
  for (const [no, [buyer, lines]] of Object.entries(ORDERS)) {
    const paid = lines.reduce((a, [, q]) => a + 49 * q, 0)
    o += `="${no}",${buyer},${paid}.00,${PAID},,王合并,${ADDR},13912345678,${now},${now}\r\n`
    for (const [sku, q] of lines) i += `="${no}",青禾 帆布托特包 ${sku},49.00,${q},,颜色分类:米白,,,${PAID},${sku}\r\n`
  }
  writeFileSync(orders, o)
  writeFileSync(items, i)
  return [orders, items]
}

async function signIn(ctx, user) {
  const page = await ctx.page(user)
  await page.evaluate((s) => localStorage.setItem('dianpu.store', s), STORE)
  return page
}

async function order(api, id) {
  const r = await api('GET', `/orders/${id}`)
  if (r.status !== 200) throw new Error(`GET /orders/${id}: ${r.status} ${r.text}`)
  return r.json.order
}

/** Confirms the open ElMessageBox (with an input value for a prompt). */
async function confirmBox(page, value) {
  const box = page.locator('.el-message-box')
  await box.waitFor({ state: 'visible' })
  if (value !== undefined) await box.locator('input').fill(String(value))
  await box.locator('.el-message-box__btns .el-button--primary').click()
  await box.waitFor({ state: 'hidden' })
}

/** Screenshots without the stack of success toasts over the page head. */
async function shot(ctx, page, name) {
  await page.evaluate(() => document.querySelectorAll('.el-message').forEach((e) => e.remove()))
  // a dialog still fading in photographs half transparent
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), null, { timeout: 5000 })
  await ctx.shot(page, name)
}

async function parcelStage(page, no, stage) {
  await page.waitForSelector(`[data-test=parcel-stage-${no}][data-stage=${stage}]`, { timeout: 10000 })
}

export default [
  {
    name: 'boss merges a candidate group from the orders list and sees the tag; the API agrees',
    async run(ctx) {
      const [ofile, ifile] = writeReport(ctx.tmp)
      ctx.cli(['import', 'taobao-orders', '--db', ctx.db, '--store', STORE, ofile, ifile])
      const api = await ctx.api('boss')
      for (const buyer of [BUYER_M, BUYER_S]) {
        const r = await api('GET', `/orders?store=${STORE}&buyer=${buyer}`)
        for (const o of r.json.items) {
          if (o.stage === 'pending_audit') {
            const a = await api('POST', `/orders/${o.id}/audit`, { version: o.version })
            ctx.eq(a.status, 200, `audit ${o.order_no}: ${a.text}`)
          }
        }
        const ids = r.json.items.map((o) => o.id).sort((a, b) => a - b)
        if (buyer === BUYER_M) state.merge = ids
        else state.split = ids[0]
      }
      ctx.eq(state.merge.length, 2, 'two orders of one buyer imported')
      ctx.assert(state.split > 0, 'the order to split imported')

      const page = await signIn(ctx, 'boss')
      await page.goto(ctx.base + `/orders?buyer=${BUYER_M}`)
      await page.waitForSelector('[data-test=orders-table] .el-table__row', { timeout: 10000 })
      ctx.eq(await page.locator('[data-test=merge-tag]').count(), 0, 'no tag before merging')
      await page.locator('[data-test=merge-open]').click()
      const group = page.locator(`[data-test=merge-group][data-ids="${state.merge.join(',')}"]`)
      await group.waitFor({ state: 'visible', timeout: 10000 })
      ctx.assert((await group.innerText()).includes(BUYER_M), 'the group names the buyer')
      await shot(ctx, page, 'merge-dialog')
      await group.locator('[data-test=merge-go]').click()
      await group.waitFor({ state: 'detached', timeout: 10000 })
      await page.locator('[data-test=merge-close]').click()
      await page.locator('[data-test=merge-dialog]').waitFor({ state: 'hidden' })

      const primary = state.merge[0]
      await page.waitForSelector(`[data-test=merge-tag][data-group="${primary}"]`, { timeout: 10000 })
      ctx.eq(await page.locator(`[data-test=merge-tag][data-group="${primary}"]`).count(), 2, 'both rows tagged')
      const tag = (await page.locator('[data-test=merge-tag]').first().innerText()).trim()
      ctx.eq(tag, `合并 #${primary}`, 'the tag names the primary order')
      await shot(ctx, page, 'merge-tagged-list')
      for (const id of state.merge) ctx.eq((await order(api, id)).merge_group, primary, `merge_group of ${id}`)
      const listed = await api('GET', `/orders?store=${STORE}&merged=1`)
      ctx.eq(listed.json.items.map((o) => o.id).sort((a, b) => a - b), state.merge, 'merged=1 lists the group')
    },
  },
  {
    name: 'boss sees the merge group on the order page and unmerges it',
    async run(ctx) {
      const api = await ctx.api('boss')
      const [primary, other] = state.merge
      const page = await signIn(ctx, 'boss')
      await page.goto(ctx.base + `/orders/${other}`)
      const card = page.locator('[data-test=merge-members]')
      await card.waitFor({ state: 'visible', timeout: 10000 })
      ctx.eq(await card.locator('[data-test=member-link]').count(), 1, 'one link: the other member')
      ctx.eq(await card.locator('[data-test=member-link]').getAttribute('href'), `/orders/${primary}`, 'links to the primary')
      await shot(ctx, page, 'merge-members-card')
      await card.locator('[data-test=unmerge]').click()
      await confirmBox(page)
      await card.waitFor({ state: 'detached', timeout: 10000 })
      await page.locator('[data-test=merge-tag]').waitFor({ state: 'detached', timeout: 10000 })
      for (const id of state.merge) ctx.eq((await order(api, id)).merge_group, null, `merge_group of ${id} after unmerge`)
      const last = (await order(api, other)).timeline.at(-1)
      ctx.eq([last.action, last.user], ['unmerge', 'boss'], 'timeline names the unmerge and who')
    },
  },
  {
    name: 'boss splits an audited two-line order in the 拆单 dialog and ships parcel 1 from the parcels card',
    async run(ctx) {
      const api = await ctx.api('boss')
      const id = state.split
      const before = await order(api, id)
      ctx.eq(before.stage, 'audited', 'the order to split is audited')
      const [l1, l2] = before.items.map((it) => it.line_no).sort((a, b) => a - b)
      const page = await signIn(ctx, 'boss')
      await page.goto(ctx.base + `/orders/${id}`)
      await page.locator('[data-test=act-split]').click()
      const dlg = page.locator('[data-test=split-dialog]')
      await dlg.waitFor({ state: 'visible' })
      // the default plan: line 1 in parcel 1, line 2 in parcel 2
      ctx.eq(await dlg.locator(`[data-test=split-qty-${l1}-1] input`).inputValue(), '1', 'line 1 -> parcel 1')
      ctx.eq(await dlg.locator(`[data-test=split-qty-${l2}-2] input`).inputValue(), '1', 'line 2 -> parcel 2')
      // a third, empty parcel and a line given twice are refused before sending
      await dlg.locator('[data-test=split-add]').click()
      await dlg.locator(`[data-test=split-qty-${l1}-3] input`).fill('1')
      await dlg.locator(`[data-test=split-qty-${l1}-3] input`).press('Tab')
      ctx.eq((await dlg.locator(`[data-test=split-left-${l1}]`).innerText()).trim(), '-1', 'line 1 over-assigned')
      await dlg.locator('[data-test=split-submit]').click()
      const problems = dlg.locator('[data-test=split-problems]')
      await problems.waitFor({ state: 'visible' })
      ctx.assert((await problems.innerText()).includes(`第 ${l1} 行共 1 件，已分配 2 件`), 'names the line: ' + (await problems.innerText()))
      await shot(ctx, page, 'split-dialog-refused')
      ctx.eq((await order(api, id)).split_parcels, 0, 'nothing sent while the plan is wrong')
      await dlg.locator('[data-test=split-remove-3]').click()
      // removing parcel 3 gave its unit back to parcel 1: take it out again
      await dlg.locator(`[data-test=split-qty-${l1}-1] input`).fill('1')
      await dlg.locator(`[data-test=split-qty-${l1}-1] input`).press('Tab')
      ctx.eq((await dlg.locator(`[data-test=split-left-${l1}]`).innerText()).trim(), '0', 'line 1 balanced')
      await shot(ctx, page, 'split-dialog')
      await dlg.locator('[data-test=split-submit]').click()
      await dlg.waitFor({ state: 'hidden', timeout: 10000 })

      const card = page.locator('[data-test=parcels-card]')
      await card.waitFor({ state: 'visible', timeout: 10000 })
      ctx.eq(await card.locator('[data-test=parcels-table] .el-table__body tr').count(), 2, 'two parcels listed')
      await page.waitForSelector('[data-test=split-tag]')
      const split = await api('GET', `/orders/${id}/parcels`)
      ctx.eq(split.json.split_parcels, 2, 'API: split into two')
      ctx.eq(split.json.parcels.map((p) => p.lines), [[{ line_no: l1, qty: 1 }], [{ line_no: l2, qty: 1 }]], 'API: each parcel one line')

      // parcel 1 through the warehouse steps to shipped; 打单 prints its own
      // waybill: the server's PDF answer is passed through and a copy checked
      let pdf = null
      await page.route('**/api/v1/print/waybills', async (route) => {
        const r = await route.fetch()
        pdf = { status: r.status(), type: r.headers()['content-type'] || '', body: await r.body(), sent: route.request().postDataJSON() }
        await route.fulfill({ response: r })
      })
      ctx.eq((await card.locator('[data-test=parcel-print-size]').innerText()).trim(), '100×180', 'the default waybill size')
      await card.locator('[data-test=parcel-print-1]').click()
      const pdfDlg = page.locator('[data-test=parcel-pdf-dialog]')
      await pdfDlg.waitFor({ state: 'visible', timeout: 15000 })
      ctx.assert(pdf, 'the parcel print request went out')
      ctx.eq(pdf.status, 200, 'parcel print status')
      ctx.assert(pdf.type.startsWith('application/pdf'), 'Content-Type application/pdf: ' + pdf.type)
      ctx.eq(pdf.body.subarray(0, 5).toString('latin1'), '%PDF-', 'the answer starts with %PDF')
      ctx.eq(pdf.sent, { parcels: [{ order_id: id, parcel_no: 1 }], size: '100x180' }, 'the parcel and the size were sent')
      const src = await pdfDlg.locator('[data-test=parcel-pdf-frame]').getAttribute('src')
      ctx.assert(src.startsWith('blob:'), 'the PDF shown from a blob URL')
      await page.unroute('**/api/v1/print/waybills')
      await parcelStage(page, 1, 'waybill_printed')
      await page.waitForTimeout(800)
      await shot(ctx, page, 'parcel-waybill-dialog')
      await pdfDlg.locator('.el-dialog__headerbtn').click()
      await pdfDlg.waitFor({ state: 'hidden' })
      const printed = (await order(api, id)).timeline.filter((e) => e.action === 'parcel_print')
      ctx.eq(printed.map((e) => [e.user, e.to_stage]), [['boss', 'waybill_printed']], 'API: one parcel_print event by boss')
      await card.locator('[data-test=parcel-pick-1]').click()
      await parcelStage(page, 1, 'picked')
      await card.locator('[data-test=parcel-verify-1]').click()
      await confirmBox(page)
      await parcelStage(page, 1, 'verified')
      await card.locator('[data-test=parcel-pack-1]').click()
      await confirmBox(page, 420)
      await parcelStage(page, 1, 'packed')
      await card.locator('[data-test=parcel-ship-1]').click()
      const ship = page.locator('[data-test=parcel-ship-dialog]')
      await ship.waitFor({ state: 'visible' })
      await ship.locator('input[data-test=parcel-ship-courier]').fill('顺丰速运')
      await ship.locator('input[data-test=parcel-ship-tracking]').fill('SF-E2E-PARCEL-1')
      await shot(ctx, page, 'parcel-ship-dialog')
      await ship.locator('input[data-test=parcel-ship-tracking]').press('Enter')
      await ship.waitFor({ state: 'hidden', timeout: 10000 })
      await parcelStage(page, 1, 'shipped')
      await parcelStage(page, 2, 'audited')
      ctx.eq((await card.locator('[data-test=parcel-tracking-1]').innerText()).trim(), 'SF-E2E-PARCEL-1', 'tracking no. shown')
      ctx.assert((await card.locator('[data-test=parcels-shipped]').innerText()).includes('1/2'), 'one of two shipped')
      ctx.eq(await card.locator('[data-test=unsplit]').count(), 0, 'no undo once a parcel moved')
      ctx.assert(await page.locator('[data-test=act-print]').isDisabled(), "the order's own print is off: its parcels move")
      await page.locator('[data-test=parcels-card]').scrollIntoViewIfNeeded()
      await shot(ctx, page, 'parcels-card')

      const after = await api('GET', `/orders/${id}/parcels`)
      const [p1, p2] = after.json.parcels
      ctx.eq([p1.stage, p1.courier, p1.tracking_no, p1.weight_g], ['shipped', '顺丰速运', 'SF-E2E-PARCEL-1', 420], 'API: parcel 1 shipped')
      ctx.eq(p2.stage, 'audited', 'API: parcel 2 still audited')
      const o = await order(api, id)
      ctx.assert(o.stage !== 'shipped', 'the order is not shipped yet: ' + o.stage)
      ctx.eq(o.split_parcels, 2, 'order JSON: split_parcels')
      ctx.eq((await page.locator('[data-test=detail-stage]').getAttribute('data-stage')), o.stage, 'the page shows the order stage the API has')
    },
  },
]
