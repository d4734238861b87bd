import { describe, expect, it } from 'vitest'
import { apiQuery, emptyFilters, filtersFromQuery, filtersToQuery, hasFilters, pagerTotal, phone4Ok } from './query'
import { COLUMNS_KEY, DEFAULT_COLUMNS, loadColumns, saveColumns } from './columns'
import { batchFailures, batchIds, parseIds } from './batch'
import { parcelPrintRequest, printRequest, waybillSize } from './print'
import { actionButtons, changeRule, needsTaskWarning } from './detail'

describe('order filters in the URL', () => {
  it('round-trips what is set and drops what is not', () => {
    const f = { ...emptyFilters(), stage: 'audited', buyer: ' tb_1 ', from: '2026-11-01', to: '2026-11-24', exception: true, page: 3 }
    const q = filtersToQuery(f)
    expect(q).toEqual({ stage: 'audited', buyer: 'tb_1', from: '2026-11-01', to: '2026-11-24', exception: '1', page: '3' })
    expect(filtersFromQuery(q)).toEqual({ ...f, buyer: 'tb_1' })
  })
  it('ignores malformed values', () => {
    const f = filtersFromQuery({ stage: 'nope', from: '11/01/2026', page: '-2', exception: 'yes', sku: ['A-1', 'B'] })
    expect(f).toEqual({ ...emptyFilters(), sku: 'A-1' })
    expect(filtersFromQuery({ page: '1.5' }).page).toBe(1)
  })
  it('page 1 and empty filters give an empty query', () => {
    expect(filtersToQuery(emptyFilters())).toEqual({})
    expect(hasFilters(emptyFilters())).toBe(false)
    expect(hasFilters({ ...emptyFilters(), stage: 'audited' })).toBe(false)
    expect(hasFilters({ ...emptyFilters(), phone4: '1234' })).toBe(true)
  })
})

describe('API query', () => {
  it('turns Shanghai days into UTC instants, to exclusive', () => {
    const q = apiQuery({ ...emptyFilters(), from: '2026-11-01', to: '2026-11-24', exception: true, tracking: ' SF1 ' }, 'qinghe')
    expect(q).toEqual({
      store: 'qinghe', page: 1, page_size: 50, from: '2026-10-31T16:00:00Z', to: '2026-11-24T16:00:00Z',
      exception: 1, tracking: 'SF1',
    })
  })
  it('passes stage, status and page', () => {
    expect(apiQuery({ ...emptyFilters(), stage: 'on_hold', status: '交易成功', page: 7 }, 's')).toEqual({
      store: 's', page: 7, page_size: 50, stage: 'on_hold', status: '交易成功',
    })
  })
  it('checks the phone filter', () => {
    expect(phone4Ok('')).toBe(true)
    expect(phone4Ok('1234')).toBe(true)
    expect(phone4Ok('123')).toBe(false)
    expect(phone4Ok('12a4')).toBe(false)
  })
})

describe('pager total', () => {
  it('is the total when counted exactly', () => expect(pagerTotal(321, false, 2, 50, 50)).toBe(321))
  it('offers one more page while pages come back full past the cap', () => {
    expect(pagerTotal(1000, true, 1, 50, 50)).toBe(1000)
    expect(pagerTotal(1000, true, 20, 50, 50)).toBe(1050)
    expect(pagerTotal(1000, true, 30, 50, 50)).toBe(1550)
    expect(pagerTotal(1000, true, 31, 50, 12)).toBe(1512)
  })
})

describe('column settings', () => {
  const mem = () => {
    const m = new Map<string, string>()
    return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m }
  }
  it('defaults, saves in table order, ignores junk', () => {
    const s = mem()
    expect(loadColumns(s)).toEqual(DEFAULT_COLUMNS)
    saveColumns(['paid_fen', 'order_no', 'bogus'], s)
    expect(JSON.parse(s.m.get(COLUMNS_KEY)!)).toEqual(['order_no', 'paid_fen'])
    expect(loadColumns(s)).toEqual(['order_no', 'paid_fen'])
    s.setItem(COLUMNS_KEY, '{not json')
    expect(loadColumns(s)).toEqual(DEFAULT_COLUMNS)
    s.setItem(COLUMNS_KEY, '[]')
    expect(loadColumns(s)).toEqual(DEFAULT_COLUMNS)
  })
})

describe('batch results', () => {
  it('lists failures with order numbers and reasons', () => {
    const a = {
      ok: 1, failed: 2,
      results: [
        { id: 1, ok: true },
        { id: 2, ok: false, error: { code: 'unprocessable', message: '库存不足' } },
        { id: 3, ok: false, error: { code: 'not_found', message: '订单不存在' } },
      ],
    }
    expect(batchFailures(a, (id) => (id === 2 ? 'T2' : undefined))).toEqual([
      { id: 2, order_no: 'T2', reason: '库存不足' },
      { id: 3, order_no: '3', reason: '订单不存在' },
    ])
  })
  it('keeps ids distinct, positive and at most 1000', () => {
    expect(batchIds([3, 3, -1, 0, 2.5, 7])).toEqual([3, 7])
    expect(batchIds(Array.from({ length: 1200 }, (_, i) => i + 1))).toHaveLength(1000)
    expect(parseIds('5,6, 6,x,9')).toEqual([5, 6, 9])
    expect(parseIds(['1,2', '3'])).toEqual([1, 2, 3])
    expect(parseIds(undefined)).toEqual([])
  })
})

describe('print requests', () => {
  it('sends the size each paper takes', () => {
    expect(printRequest('waybills', [1], '76x130', 'a4')).toEqual({ path: '/print/waybills', body: { ids: [1], size: '76x130' } })
    expect(printRequest('waybills', [1], 'bad', 'a4').body).toEqual({ ids: [1], size: '100x180' })
    expect(printRequest('picklists', [1, 2], '76x130', 'a4')).toEqual({ path: '/print/picklists', body: { ids: [1, 2] } })
    expect(printRequest('delivery-notes', [1], '76x130', '241x140').body).toEqual({ ids: [1], size: '241x140' })
  })
  it('prints one parcel of a split order by order id and parcel no., the size checked', () => {
    expect(parcelPrintRequest([{ order_id: 7, parcel_no: 2 }], '76x130')).toEqual({
      path: '/print/waybills', body: { parcels: [{ order_id: 7, parcel_no: 2 }], size: '76x130' },
    })
    expect(parcelPrintRequest([{ order_id: 7, parcel_no: 1 }], 'a4').body.size).toBe('100x180')
    expect(waybillSize(null)).toBe('100x180')
    expect(waybillSize('76x130')).toBe('76x130')
  })
})

describe('order detail actions', () => {
  it('offers every action of the role when the API gives no rules', () => {
    const b = actionButtons(undefined, 'warehouse')
    expect(b.map((x) => x.action)).toEqual(['audit', 'hold', 'release', 'print', 'pick', 'pack', 'ship', 'deliver'])
    expect(b.every((x) => x.allowed)).toBe(true)
    expect(actionButtons(undefined, 'boss').map((x) => x.action)).toContain('verify')
    expect(actionButtons(undefined, 'finance')).toEqual([])
  })
  it('uses the API verdict and reason', () => {
    const b = actionButtons([{ action: 'audit', allowed: true }, { action: 'pick', allowed: false, reason: '未打单' }], 'boss')
    expect(b.find((x) => x.action === 'audit')).toEqual({ action: 'audit', allowed: true, reason: '' })
    expect(b.find((x) => x.action === 'pick')).toEqual({ action: 'pick', allowed: false, reason: '未打单' })
    expect(b.find((x) => x.action === 'ship')!.allowed).toBe(false)
  })
  it('warns before edits that make warehouse work', () => {
    const ch = [{ kind: 'receiver', allowed: true, way: 'fix_papers', task: 'fetch_papers', task_text: '要回发货单' }]
    expect(needsTaskWarning(changeRule(ch, 'receiver'))).toBe(true)
    expect(needsTaskWarning(changeRule(ch, 'items'))).toBe(false)
    expect(changeRule(undefined, 'cancel')).toEqual({ kind: 'cancel', allowed: true, way: 'in_place' })
  })
})
