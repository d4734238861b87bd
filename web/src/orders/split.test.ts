import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import common from '../i18n/common'
import orders from '../i18n/orders'
import {
  SPLIT_MAX, addParcel, groupTotals, initialPlan, mergeBody, parcelButtons, parcelContents, parcelCount,
  parcelReprintOffered, parcelRoleMay, parcelRowButtons, parcelUnits, planToParcels, remaining, removeParcel, shippedOfLive, splitOffered, validatePlan,
  type CandidateGroup,
} from './split'

const A2B3 = [
  { line_no: 1, qty: 2, sku_code: 'A' },
  { line_no: 2, qty: 3, sku_code: 'B' },
]

describe('initialPlan', () => {
  it('deals units across the parcels so none is empty', () => {
    const p = initialPlan(A2B3)
    expect(p.qty).toEqual([[1, 1], [2, 1]])
    expect(validatePlan(p)).toEqual([])
  })
  it('a 2-unit single line goes one and one', () => {
    expect(initialPlan([{ line_no: 7, qty: 2 }]).qty).toEqual([[1, 1]])
  })
  it('two one-unit lines go to a parcel each', () => {
    expect(initialPlan([{ line_no: 1, qty: 1 }, { line_no: 2, qty: 1 }]).qty).toEqual([[1, 0], [0, 1]])
  })
  it('three parcels', () => {
    const p = initialPlan(A2B3, 3)
    expect(p.qty).toEqual([[1, 1, 0], [1, 1, 1]])
    expect(parcelCount(p)).toBe(3)
    expect([0, 1, 2].map((i) => parcelUnits(p, i))).toEqual([2, 2, 1])
  })
  it('does not share the items array', () => {
    const items = [{ line_no: 1, qty: 2 }]
    const p = initialPlan(items)
    p.lines[0].qty = 9
    expect(items[0].qty).toBe(2)
  })
})

describe('add and remove parcels', () => {
  it('adds an empty parcel, which the check then names', () => {
    const p = addParcel(initialPlan(A2B3))
    expect(parcelCount(p)).toBe(3)
    expect(p.qty).toEqual([[1, 1, 0], [2, 1, 0]])
    expect(validatePlan(p)).toEqual([{ kind: 'empty', parcel: 3 }])
  })
  it('stops at the maximum', () => {
    let p = initialPlan(A2B3)
    for (let i = 0; i < 30; i++) p = addParcel(p)
    expect(parcelCount(p)).toBe(SPLIT_MAX)
  })
  it('removing a parcel gives its units to the first remaining one', () => {
    const p = removeParcel(addParcel(initialPlan(A2B3)), 1)
    expect(p.qty).toEqual([[2, 0], [3, 0]])
    const q = removeParcel(initialPlan(A2B3, 3), 0)
    expect(q.qty.map((r) => r.reduce((a, b) => a + b))).toEqual([2, 3])
    expect(parcelCount(q)).toBe(2)
  })
  it('never goes below two parcels', () => {
    const p = initialPlan(A2B3)
    expect(removeParcel(p, 0)).toBe(p)
  })
})

describe('validatePlan', () => {
  it('names a line whose parcels do not add up', () => {
    const p = initialPlan(A2B3)
    p.qty[0][0] = 2
    expect(remaining(p, 0)).toBe(-1)
    expect(validatePlan(p)).toEqual([{ kind: 'sum', line_no: 1, qty: 2, sum: 3 }])
    p.qty[0] = [0, 1]
    expect(remaining(p, 0)).toBe(1)
    expect(validatePlan(p)).toEqual([{ kind: 'sum', line_no: 1, qty: 2, sum: 1 }])
  })
  it('names an empty parcel and a bad quantity', () => {
    const p = initialPlan(A2B3)
    p.qty = [[2, 0], [3, 0]]
    expect(validatePlan(p)).toEqual([{ kind: 'empty', parcel: 2 }])
    p.qty = [[2.5, 0], [3, -1]]
    const kinds = validatePlan(p).map((x) => x.kind)
    expect(kinds).toContain('bad')
    expect(kinds).toContain('sum')
  })
  it('one parcel is not a split', () => {
    const p = { lines: [{ line_no: 1, qty: 2 }], qty: [[2]] }
    expect(validatePlan(p)[0]).toEqual({ kind: 'count', parcels: 1 })
  })
})

describe('planToParcels', () => {
  it('is the API body: each parcel its lines with a quantity, zeros left out', () => {
    const p = initialPlan([{ line_no: 1, qty: 1 }, { line_no: 2, qty: 1 }])
    expect(planToParcels(p)).toEqual([[{ line_no: 1, qty: 1 }], [{ line_no: 2, qty: 1 }]])
    expect(planToParcels(initialPlan(A2B3))).toEqual([
      [{ line_no: 1, qty: 1 }, { line_no: 2, qty: 2 }],
      [{ line_no: 1, qty: 1 }, { line_no: 2, qty: 1 }],
    ])
  })
})

describe('splitOffered', () => {
  const o = { stage: 'audited', merge_group: null, split_parcels: 0, item_qty: 2 }
  it('audited, two units, not merged or split, a role that audits', () => {
    expect(splitOffered(o, 'boss')).toBe(true)
    expect(splitOffered(o, 'warehouse')).toBe(true)
    expect(splitOffered(o, 'finance')).toBe(false)
    expect(splitOffered({ ...o, stage: 'pending_audit' }, 'boss')).toBe(false)
    expect(splitOffered({ ...o, item_qty: 1 }, 'boss')).toBe(false)
    expect(splitOffered({ ...o, merge_group: 5 }, 'boss')).toBe(false)
    expect(splitOffered({ ...o, split_parcels: 2 }, 'boss')).toBe(false)
    expect(splitOffered(null, 'boss')).toBe(false)
  })
})

describe('parcel buttons', () => {
  it('the next step of the stage, and cancel before shipping', () => {
    expect(parcelButtons('audited', 'boss')).toEqual(['print', 'cancel'])
    expect(parcelButtons('waybill_printed', 'warehouse')).toEqual(['pick'])
    expect(parcelButtons('picked', 'warehouse')).toEqual([])
    expect(parcelButtons('picked', 'cs_lead')).toEqual(['verify', 'cancel'])
    expect(parcelButtons('verified', 'boss')).toEqual(['pack', 'cancel'])
    expect(parcelButtons('packed', 'boss')).toEqual(['ship', 'cancel'])
    expect(parcelButtons('shipped', 'boss')).toEqual([])
    expect(parcelButtons('cancelled', 'boss')).toEqual([])
    expect(parcelButtons('packed', 'finance')).toEqual([])
  })
  it('补打 where the API reprints (已打单) and the role may print', () => {
    expect(parcelReprintOffered('waybill_printed', 'warehouse')).toBe(true)
    expect(parcelReprintOffered('waybill_printed', 'cs_lead')).toBe(true)
    expect(parcelReprintOffered('waybill_printed', 'cs_presale')).toBe(false)
    for (const st of ['audited', 'picked', 'verified', 'packed', 'shipped', 'cancelled'])
      expect(parcelReprintOffered(st, 'boss'), st).toBe(false)
    expect(parcelRowButtons('waybill_printed', 'boss')).toEqual(['pick', 'reprint', 'cancel'])
    expect(parcelRowButtons('waybill_printed', 'warehouse')).toEqual(['pick', 'reprint'])
    expect(parcelRowButtons('audited', 'boss')).toEqual(['print', 'cancel'])
    expect(parcelRowButtons('picked', 'warehouse')).toEqual([])
  })
  it('roles as order_merge_http.c parcel_roles', () => {
    expect(parcelRoleMay('cs_presale', 'cancel')).toBe(true)
    expect(parcelRoleMay('warehouse', 'cancel')).toBe(false)
    expect(parcelRoleMay('warehouse', 'verify')).toBe(false)
    expect(parcelRoleMay('warehouse', 'ship')).toBe(true)
    expect(parcelRoleMay('cs_presale', 'print')).toBe(false)
  })
  it('contents name the SKU or title and the quantity', () => {
    const items = [{ line_no: 1, qty: 2, sku_code: 'A' }, { line_no: 2, qty: 3, title: '帽子' }]
    expect(parcelContents([{ line_no: 1, qty: 1 }, { line_no: 2, qty: 2 }, { line_no: 9, qty: 1 }], items)).toBe('A ×1, 帽子 ×2, #9 ×1')
  })
  it('counts shipped of the live parcels', () => {
    expect(shippedOfLive([{ stage: 'shipped' }, { stage: 'audited' }, { stage: 'cancelled' }])).toEqual({ shipped: 1, live: 2 })
  })
})

describe('merge', () => {
  const g: CandidateGroup = {
    group: 1, buyer_nick: 'b', receiver_name: 'r',
    orders: [
      { id: 3, order_no: '3', stage: 'audited', version: 2, item_qty: 1, paid_fen: 1000, item_title: 'x' },
      { id: 9, order_no: '9', stage: 'pending_audit', version: 5, item_qty: 2, paid_fen: 2550, item_title: 'y' },
    ],
  }
  it('sends the ids with the versions seen', () => {
    expect(mergeBody(g)).toEqual({ ids: [3, 9], versions: [2, 5] })
  })
  it('totals', () => {
    expect(groupTotals(g)).toEqual({ orders: 2, qty: 3, paid_fen: 3550 })
  })
})

function has(obj: Record<string, unknown>, key: string): boolean {
  let o: unknown = obj
  for (const k of key.split('.')) {
    if (!o || typeof o !== 'object' || !(k in (o as Record<string, unknown>))) return false
    o = (o as Record<string, unknown>)[k]
  }
  return typeof o === 'string'
}

describe('message keys of the merge and split screens', () => {
  const root = join(__dirname, '..')
  const files = ['orders/MergeDialog.vue', 'orders/SplitDialog.vue', 'orders/ParcelsCard.vue', 'orders/MergeTag.vue']
  const zh = { ...common.zh, ...orders.zh }
  const en = { ...common.en, ...orders.en }
  for (const f of files) {
    it(f, () => {
      const src = readFileSync(join(root, f), 'utf8')
      const keys = [...src.matchAll(/['"]((?:orders|common)\.[a-zA-Z0-9_.]+)['"]/g)].map((m) => m[1]).filter((k) => !k.endsWith('.'))
      expect(keys.length).toBeGreaterThan(0)
      for (const k of keys) {
        expect(has(zh, k), 'zh ' + k).toBe(true)
        expect(has(en, k), 'en ' + k).toBe(true)
      }
    })
  }
  it('the parcel actions and timeline actions have labels in both languages', () => {
    for (const a of ['print', 'pick', 'verify', 'pack', 'ship', 'cancel']) {
      expect(has(zh, 'orders.split.act.' + a) && has(en, 'orders.split.act.' + a)).toBe(true)
      expect(has(zh, 'orders.act.parcel_' + a) && has(en, 'orders.act.parcel_' + a)).toBe(true)
    }
    for (const a of ['merge', 'unmerge', 'split', 'unsplit'])
      expect(has(zh, 'orders.act.' + a) && has(en, 'orders.act.' + a)).toBe(true)
  })
  it('the merge and split message trees have the same keys in both languages', () => {
    const flat = (o: Record<string, unknown>, pre = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? flat(v as Record<string, unknown>, pre + k + '.') : [pre + k]))
    for (const area of ['merge', 'split'] as const)
      expect(flat(orders.en.orders[area]).sort()).toEqual(flat(orders.zh.orders[area]).sort())
  })
})
