import { describe, expect, it } from 'vitest'
import { fillDays, lastDays, stageCards } from './dashboard'

describe('dashboard', () => {
  it('takes the last 30 Shanghai days, today included', () => {
    // 2026-11-24 17:00 UTC is already the 25th in Shanghai
    const w = lastDays(30, new Date('2026-11-24T17:00:00Z'))
    expect(w.today).toBe('2026-11-25')
    expect(w.first).toBe('2026-10-27')
    expect(w.from).toBe('2026-10-26T16:00:00Z')
    expect(w.to).toBe('2026-11-25T16:00:00Z')
  })
  it('fills days without orders with zeros, in order', () => {
    const f = fillDays([{ day: '2026-11-03', orders: 2, paid_total_fen: 500 }], '2026-11-01', '2026-11-04')
    expect(f.days).toEqual(['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04'])
    expect(f.orders).toEqual([0, 0, 2, 0])
    expect(f.sales).toEqual([0, 0, 500, 0])
  })
  it('lists every stage in flow order', () => {
    const c = stageCards({ audited: 4, cancelled: 1 })
    expect(c[0]).toEqual({ stage: 'pending_audit', n: 0 })
    expect(c[1]).toEqual({ stage: 'audited', n: 4 })
    expect(c.at(-1)).toEqual({ stage: 'cancelled', n: 1 })
    expect(c.length).toBe(10)
  })
})
