// The policy form: GET /api/v1/policy/schema describes every key (type, bounds,
// default, the seed's description); GET /api/v1/stores/{code}/policy holds the
// values. These helpers turn both into form rows and back into the document PUT
// takes. Ranges and cross-field rules stay with the API: the form only refuses
// text that is not a number/time at all, and shows the API's 422 by its field.
import { fen, parseYuan } from '../format'

export type PolicyType = 'int' | 'bool' | 'fen' | 'rate' | 'clock' | 'text' | 'words'
export type PolicyValue = number | boolean | string | string[]
export type PolicyDoc = Record<string, Record<string, PolicyValue>>

export interface SchemaField {
  key: string // "section.name"
  type: PolicyType
  min: number
  max: number
  default: PolicyValue
  help: string // Chinese description with the seed reference, e.g. "投诉响应时限(小时)[004]"
}

export interface PolicyField extends SchemaField {
  section: string
  name: string
  label: string // the description without unit and references
  refs: string[] // "[004]" → "004"; "(ORD-13)" → "ORD-13"
  unit: string // message key under settings.policy.units, or ''
}

export interface Section {
  name: string
  fields: PolicyField[]
}

/** The value the form edits: text for numbers/times, boolean, or a word list. */
export type InputValue = string | boolean | string[]

const UNIT_BY_SUFFIX: [RegExp, string][] = [
  [/_fen$/, 'yuan'],
  [/_hours$/, 'hours'],
  [/_minutes$/, 'minutes'],
  [/_days$|_every_days$/, 'days'],
  [/_months?$|_contacts_month$/, 'months'],
  [/_per_week$/, 'perWeek'],
  [/_percent$/, 'percent'],
  [/_px$/, 'px'],
  [/_kb$/, 'kb'],
  [/_chars$/, 'chars'],
  [/_points$/, 'items'],
  [/_messages$/, 'messages'],
]

/** The unit a key is measured in, from its name (the schema has no unit field). */
export function unitOf(f: Pick<SchemaField, 'key' | 'type'>): string {
  if (f.type === 'fen') return 'yuan'
  if (f.type === 'rate') return 'percent'
  if (f.type !== 'int') return ''
  const name = f.key.split('.')[1] || ''
  if (name === 'high_grade_min_contacts_month') return 'perMonth'
  if (name === 'statement_due_day') return 'dayOfMonth'
  for (const [re, u] of UNIT_BY_SUFFIX) if (re.test(name)) return u
  return ''
}

/** "投诉响应时限(小时)[004]" → label "投诉响应时限", refs ["004"]. */
export function splitHelp(help: string): { label: string; refs: string[] } {
  const refs: string[] = []
  let s = help.replace(/\[([0-9A-Za-z-]+)\]/g, (_, r) => {
    refs.push(r)
    return ''
  })
  s = s.replace(/\(([A-Z]+-[0-9]+|KPI\.md[^)]*)\)/g, (_, r) => {
    refs.push(r)
    return ''
  })
  // units in full-width or ASCII brackets: (小时) (分) (%) (天) (KB) (像素) (分钟)
  s = s.replace(/[(（][^()（）]{1,4}[)）]/g, '')
  return { label: s.trim(), refs }
}

export function buildSections(schema: SchemaField[]): Section[] {
  const out: Section[] = []
  for (const f of schema) {
    const [section, name] = f.key.split('.')
    let sec = out.find((s) => s.name === section)
    if (!sec) out.push((sec = { name: section, fields: [] }))
    const { label, refs } = splitHelp(f.help)
    sec.fields.push({ ...f, section, name, label, refs, unit: unitOf(f) })
  }
  return out
}

export function valueAt(doc: PolicyDoc | null | undefined, key: string): PolicyValue | undefined {
  const [s, n] = key.split('.')
  return doc?.[s]?.[n]
}

/** A rate (0.005) as exact parts per million (5000). */
export function ratePpm(v: number): number {
  return Math.round(v * 1e6)
}

/** 5000 ppm → "0.5" (percent, up to four decimals, no trailing zeros). */
export function ppmToPercent(ppm: number): string {
  const neg = ppm < 0
  const a = Math.abs(Math.round(ppm))
  const whole = Math.floor(a / 10000)
  const frac = String(a % 10000).padStart(4, '0').replace(/0+$/, '')
  return (neg ? '-' : '') + whole + (frac ? '.' + frac : '')
}

/** "0.5" or "0.5%" (percent) → 5000 ppm; null when not a percentage with at most 4 decimals. */
export function percentToPpm(s: string): number | null {
  const m = /^(\d+)(?:\.(\d{1,4}))?$/.exec(s.replace(/[%\s]/g, ''))
  if (!m) return null
  return Number(m[1]) * 10000 + Number((m[2] || '').padEnd(4, '0'))
}

/** Fen as the yuan text an input shows: 1000 → "10.00". */
export function fenInput(n: number): string {
  return fen(n).replace(/[¥,]/g, '')
}

/** The API's value as what the form edits. */
export function toInput(f: SchemaField, v: PolicyValue | undefined): InputValue {
  if (v === undefined || v === null) v = f.default
  switch (f.type) {
    case 'bool':
      return v === true
    case 'words':
      return Array.isArray(v) ? [...v] : []
    case 'fen':
      return fenInput(Number(v))
    case 'rate':
      return ppmToPercent(ratePpm(Number(v)))
    default:
      return String(v)
  }
}

export type Parsed = { ok: true; value: PolicyValue } | { ok: false; error: string }

/**
 * What the form holds as the API's value. Only the form is checked here (a
 * number is a number, a time is HH:MM); bounds are the API's, so 999 hours goes
 * to the server and comes back as its 422. `error` is a message key.
 */
export function fromInput(f: SchemaField, v: InputValue): Parsed {
  const s = typeof v === 'string' ? v.trim() : ''
  switch (f.type) {
    case 'bool':
      return { ok: true, value: v === true }
    case 'words':
      return { ok: true, value: Array.isArray(v) ? v.map((w) => w.trim()).filter(Boolean) : [] }
    case 'text':
      return { ok: true, value: typeof v === 'string' ? v : '' }
    case 'int':
      return /^-?\d+$/.test(s) ? { ok: true, value: Number(s) } : { ok: false, error: 'settings.policy.needInt' }
    case 'fen': {
      const n = parseYuan(s)
      return n === null ? { ok: false, error: 'settings.policy.needYuan' } : { ok: true, value: n }
    }
    case 'rate': {
      const ppm = percentToPpm(s)
      return ppm === null ? { ok: false, error: 'settings.policy.needPercent' } : { ok: true, value: ppm / 1e6 }
    }
    case 'clock':
      return /^([01]\d|2[0-3]):[0-5]\d$/.test(s) ? { ok: true, value: s } : { ok: false, error: 'settings.policy.needClock' }
  }
  return { ok: false, error: 'settings.policy.needInt' }
}

export function sameValue(f: SchemaField, a: PolicyValue | undefined, b: PolicyValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b
  if (f.type === 'rate') return ratePpm(Number(a)) === ratePpm(Number(b))
  if (f.type === 'words') return JSON.stringify(a) === JSON.stringify(b)
  return a === b
}

/** A value for reading (defaults, history): ¥10.00, 0.5%, 09:00, 是/否 is left to the caller. */
export function display(f: SchemaField, v: PolicyValue | undefined): string {
  if (v === undefined || v === null) return '—'
  switch (f.type) {
    case 'fen':
      return fen(Number(v))
    case 'rate':
      return ppmToPercent(ratePpm(Number(v))) + '%'
    case 'words':
      return Array.isArray(v) ? v.join('、') : String(v)
    case 'bool':
      return v ? '✓' : '✗'
    default:
      return String(v)
  }
}

/** Bounds in the unit the form shows: fen as yuan, rates as percent; none for text/bools. */
export function bounds(f: SchemaField): [string, string] | null {
  switch (f.type) {
    case 'int':
      return [String(f.min), String(f.max)]
    case 'fen':
      return [fenInput(f.min), fenInput(f.max)]
    case 'rate':
      return [ppmToPercent(f.min), ppmToPercent(f.max)]
    default:
      return null
  }
}

/**
 * The document to PUT. The API overlays the keys given on the defaults, so the
 * whole policy is sent. Returns the per-key form errors when a value is not
 * even of its type.
 */
export function buildDoc(sections: Section[], form: Record<string, InputValue>): { doc: PolicyDoc; errors: Record<string, string> } {
  const doc: PolicyDoc = {}
  const errors: Record<string, string> = {}
  for (const s of sections) {
    doc[s.name] = {}
    for (const f of s.fields) {
      const p = fromInput(f, form[f.key])
      if (p.ok) doc[s.name][f.name] = p.value
      else errors[f.key] = p.error
    }
  }
  return { doc, errors }
}

export interface Change {
  key: string
  before: PolicyValue | undefined
  after: PolicyValue | undefined
}

/** The keys whose values differ between two documents, in schema order. */
export function changes(sections: Section[], before: PolicyDoc | null, after: PolicyDoc | null): Change[] {
  const out: Change[] = []
  for (const s of sections)
    for (const f of s.fields) {
      const b = valueAt(before, f.key)
      const a = valueAt(after, f.key)
      if (!sameValue(f, b, a)) out.push({ key: f.key, before: b, after: a })
    }
  return out
}

/** The section an error's field ("orders.refund_warn_hours" or "orders") belongs to. */
export function sectionOfField(sections: Section[], field: string): string | null {
  const sec = field.split('.')[0]
  return sections.some((s) => s.name === sec) ? sec : null
}

export interface AuditRow {
  id: number
  at_utc: number
  username: string
  action: string
  before: PolicyDoc | null
  after: PolicyDoc | null
}

export interface HistoryEntry {
  id: number
  version: number | null
  at_utc: number
  username: string
  changes: Change[]
}

/**
 * Versions from the audit log (newest first). Every saved version writes one
 * audit row in the same transaction, so row i of a list starting at the newest
 * is version `current - i`.
 */
export function history(sections: Section[], rows: AuditRow[], current: number, fromNewest = true): HistoryEntry[] {
  return rows.map((r, i) => ({
    id: r.id,
    version: fromNewest && current - i > 0 ? current - i : null,
    at_utc: r.at_utc,
    username: r.username,
    changes: changes(sections, r.before, r.after),
  }))
}
