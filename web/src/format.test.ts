import { describe, expect, it } from 'vitest'
import { addDays, datetime, day, fen, parseYuan, shanghaiDayStartUtc } from './format'

describe('fen', () => {
  it.each([
    [0, '¥0.00'], [5, '¥0.05'], [100, '¥1.00'], [123450, '¥1,234.50'],
    [-199, '-¥1.99'], [100000000, '¥1,000,000.00'],
  ])('%d → %s', (n, s) => expect(fen(n)).toBe(s))
  it('shows a dash for missing values', () => {
    expect(fen(null)).toBe('—')
    expect(fen(undefined)).toBe('—')
  })
})

describe('parseYuan', () => {
  it.each([
    ['12.5', 1250], ['12.50', 1250], ['¥1,234.56', 123456], ['0.01', 1], ['7', 700], ['-3.2', -320],
  ])('%s → %d', (s, n) => expect(parseYuan(s)).toBe(n))
  it.each(['', 'abc', '1.234', '1..2'])('rejects %s', (s) => expect(parseYuan(s)).toBeNull())
})

describe('Shanghai calendar', () => {
  it('shows UTC times in Shanghai', () => {
    expect(datetime('2026-11-24T16:30:00Z')).toBe('2026-11-25 00:30')
    expect(datetime(0, true)).toBe('1970-01-01 08:00:00')
    expect(day('2026-11-24T15:59:59Z')).toBe('2026-11-24')
    expect(day('2026-11-24T16:00:00Z')).toBe('2026-11-25')
  })
  it('finds the UTC start of a Shanghai day', () => {
    expect(shanghaiDayStartUtc('2026-11-25')).toBe('2026-11-24T16:00:00Z')
  })
  it('adds days across months', () => {
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
  })
})
