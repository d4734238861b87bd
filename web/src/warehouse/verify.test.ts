import { describe, expect, it } from 'vitest'
import {
  answerMessage, feedbackKind, lineState, packPath, parseWeight, readyToPack, sessionStage, uncodedOpen, type VerifySession,
} from './verify'
import { parsePasted, trackingCsv } from './tracking'

describe('parseWeight', () => {
  it.each([
    ['850', 850],
    [' 850 ', 850],
    ['850g', 850],
    ['850 克', 850],
    ['0.85kg', 850],
    ['1,2 KG', 1200],
    ['1.5公斤', 1500],
    ['100000', 100000],
    ['1', 1],
  ])('%s → %s g', (s, g) => expect(parseWeight(s)).toBe(g))
  it.each(['', '0', '-5', 'abc', '100001', '12.5', '101kg', '1.2.3'])('%s is not a weight', (s) =>
    expect(parseWeight(s)).toBeNull(),
  )
})

describe('lines and sessions', () => {
  it('line state', () => {
    expect(lineState({ expected: 2, scanned: 0 })).toBe('todo')
    expect(lineState({ expected: 2, scanned: 1 })).toBe('partial')
    expect(lineState({ expected: 2, scanned: 2 })).toBe('done')
    expect(lineState({ expected: 2, scanned: 3 })).toBe('over')
  })
  it('feedback follows the server', () => {
    expect(feedbackKind({ ok: false, complete: false })).toBe('error')
    expect(feedbackKind({ ok: true, complete: false })).toBe('ok')
    expect(feedbackKind({ ok: true, complete: true })).toBe('done')
  })
  it('message in the language', () => {
    const a = { message: '验货完成', message_en: 'verified' }
    expect(answerMessage(a, 'zh-CN')).toBe('验货完成')
    expect(answerMessage(a, 'en')).toBe('verified')
    expect(answerMessage({ message: '中文', message_en: '' }, 'en')).toBe('中文')
  })
  const s = (over: Partial<VerifySession>): VerifySession => ({
    id: 1, order_id: 2, order_no: 'x', store: 'qinghe', order_stage: 'picked', status: 'open', blocked: false,
    block_code: '', block_reason: '', complete: false, expected_qty: 2, scanned_qty: 0, remaining_qty: 2,
    lines: [
      { idx: 0, sku_code: 'A', title: 't', attrs: '', line_no: 1, expected: 1, scanned: 0, coded: true },
      { idx: 1, sku_code: '', title: 'gift', attrs: '', line_no: 2, expected: 1, scanned: 0, coded: false },
    ],
    opened_at: null, completed_at: null, ...over,
  })
  it('ready to pack only when complete and verified', () => {
    expect(readyToPack(null)).toBe(false)
    expect(readyToPack(s({}))).toBe(false)
    expect(readyToPack(s({ complete: true, order_stage: 'verified' }))).toBe(true)
    expect(readyToPack(s({ complete: true, order_stage: 'packed' }))).toBe(false)
  })
  it('a parcel session packs by its parcel: its stage, its pack path', () => {
    const parcel = { parcel_no: 2, parcel_count: 3, parcel_stage: 'verified' }
    // the order is at its slowest parcel: packing parcel 2 must not wait for it
    expect(readyToPack(s({ complete: true, order_stage: 'picked', ...parcel }))).toBe(true)
    expect(readyToPack(s({ complete: true, order_stage: 'verified', ...parcel, parcel_stage: 'packed' }))).toBe(false)
    expect(sessionStage(s({ ...parcel, parcel_stage: 'picked' }))).toBe('picked')
    expect(sessionStage(s({ parcel_no: null, order_stage: 'verified' }))).toBe('verified')
    expect(packPath(s({ order_id: 7, ...parcel }))).toBe('/orders/7/parcels/2/pack')
    expect(packPath(s({ order_id: 7 }))).toBe('/orders/7/pack')
    expect(packPath(s({ order_id: 7, parcel_no: null }))).toBe('/orders/7/pack')
  })
  it('uncoded lines still open', () => {
    expect(uncodedOpen(s({})).map((l) => l.idx)).toEqual([1])
    expect(uncodedOpen(null)).toEqual([])
  })
})

describe('tracking paste', () => {
  it('reads tabs, commas and spaces, skipping a header', () => {
    const rows = parsePasted('订单编号\t物流公司\t物流单号\n111\t中通快递\tZT1\n\n222,圆通,YT2\r\n333 韵达 YD3\n')
    expect(rows).toEqual([
      { order_no: '111', courier: '中通快递', tracking_no: 'ZT1' },
      { order_no: '222', courier: '圆通', tracking_no: 'YT2' },
      { order_no: '333', courier: '韵达', tracking_no: 'YD3' },
    ])
  })
  it('keeps short rows for the server to reject with their line', () => {
    expect(parsePasted('444')).toEqual([{ order_no: '444', courier: '', tracking_no: '' }])
  })
  it('writes the import CSV with BOM and quoting', () => {
    const csv = trackingCsv([{ order_no: '1', courier: 'a,b', tracking_no: 'x"y' }])
    expect(csv).toBe('\uFEFF订单编号,物流公司,物流单号\r\n1,"a,b","x""y"\r\n')
  })
})
