import { describe, expect, it } from 'vitest'
import {
  countsToSave, ledgerReasonKey, parseCount, percent, previewVariance, sellThroughOption, signed, topSellers,
  varianceClass, type StocktakeLine,
} from './stock'

const line = (sku: string, expected: number, counted: number | null = null): StocktakeLine => ({
  sku, title: 't', attrs: '', location: 'A-01', pick_order: 1, expected, counted,
  variance: counted === null ? null : counted - expected,
})

describe('stock helpers', () => {
  it('ledger reasons', () => {
    expect(ledgerReasonKey('ship')).toBe('inventory.reasons.ship')
    expect(ledgerReasonKey('weird')).toBeNull()
  })
  it('signed and variance class', () => {
    expect(signed(3)).toBe('+3')
    expect(signed(-2)).toBe('-2')
    expect(signed(0)).toBe('0')
    expect(signed(null)).toBe('—')
    expect(varianceClass(2)).toBe('over')
    expect(varianceClass(-1)).toBe('short')
    expect(varianceClass(0)).toBe('')
    expect(varianceClass(null)).toBe('')
  })
  it.each([
    ['', null], ['  ', null], ['0', 0], [' 12 ', 12], ['1000000', 1000000],
  ])('count %j → %j', (s, n) => expect(parseCount(s)).toBe(n))
  it.each(['-1', '1.5', 'abc', '1000001'])('count %j is NaN', (s) => expect(parseCount(s)).toBeNaN())
  it('counts to save: only typed, valid and changed', () => {
    const lines = [line('A', 5), line('B', 3, 3), line('C', 1), line('D', 2)]
    const r = countsToSave(lines, { A: '4', B: '3', C: 'x', E: '9', D: '' })
    expect(r.counts).toEqual([{ sku: 'A', counted: 4 }])
    expect(r.bad).toEqual(['C'])
  })
  it('preview variance', () => {
    expect(previewVariance(line('A', 5), '7')).toBe(2)
    expect(previewVariance(line('A', 5, 4), undefined)).toBe(-1)
    expect(previewVariance(line('A', 5), '')).toBeNull()
  })
})

describe('sell-through', () => {
  const items = [
    { sku: 'B', title: '', sold_qty: 5, on_hand_start: 9, on_hand_end: 4, sold: true, slow: false },
    { sku: 'A', title: '', sold_qty: 5, on_hand_start: 9, on_hand_end: 4, sold: true, slow: false },
    { sku: 'C', title: '', sold_qty: 9, on_hand_start: 9, on_hand_end: 0, sold: true, slow: false },
  ]
  it('top sellers, ties by SKU', () => {
    expect(topSellers(items, 2).map((i) => i.sku)).toEqual(['C', 'A'])
  })
  it('percent', () => {
    expect(percent(0.99505)).toBe('99.5%')
    expect(percent(1)).toBe('100%')
    expect(percent(null)).toBe('—')
  })
  it('chart option', () => {
    const o = sellThroughOption(items, { sold: 'sold', left: 'left' })
    expect(o.xAxis.data).toEqual(['C', 'A', 'B'])
    expect(o.series[0].data).toEqual([9, 5, 5])
    expect(o.series[1].data).toEqual([0, 4, 4])
  })
})
