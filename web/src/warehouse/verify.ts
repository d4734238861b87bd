// Client-side helpers of the scan-verify station: the shapes of the
// /api/v1/verify answers, the packer's weight as typed, and what to show.
// The server decides every outcome; these only read its answers.

export interface VerifyLine {
  idx: number
  sku_code: string
  title: string
  attrs: string
  line_no: number
  expected: number
  scanned: number
  coded: boolean
  left?: number
}

export interface VerifySession {
  id: number
  order_id: number
  order_no: string
  store: string
  order_stage: string
  status: string
  blocked: boolean
  block_code: string
  block_reason: string
  complete: boolean
  expected_qty: number
  scanned_qty: number
  remaining_qty: number
  lines: VerifyLine[]
  opened_at: string | null
  completed_at: string | null
  /** ORD-10: a split order's parcel K of N, scanned by its code (null: the whole order) */
  parcel_no?: number | null
  parcel_count?: number | null
  parcel_stage?: string | null
}

export interface VerifyAnswer {
  ok: boolean
  outcome: string
  complete: boolean
  line: VerifyLine | null
  remaining: VerifyLine[]
  message: string
  message_en: string
  session: VerifySession
}

/** The answer's message in the console's language. */
export function answerMessage(a: Pick<VerifyAnswer, 'message' | 'message_en'>, lang: string): string {
  return lang.startsWith('zh') ? a.message || a.message_en : a.message_en || a.message
}

/**
 * A weight as a packer or a keyboard-wedge scale types it → whole grams, or
 * null when it is not a weight the API takes (1–100000 g). "850", "850g",
 * "850 克", "0.85kg", "1,2 kg", "1.5公斤".
 */
export function parseWeight(s: string): number | null {
  const t = s.trim().toLowerCase().replace(/\s+/g, '').replace(',', '.')
  const m = /^(\d+(?:\.\d+)?)(g|克|kg|公斤|千克)?$/.exec(t)
  if (!m) return null
  const n = Number(m[1])
  const kg = m[2] === 'kg' || m[2] === '公斤' || m[2] === '千克'
  const g = Math.round(kg ? n * 1000 : n)
  if (!kg && m[1].includes('.')) return null // grams come whole
  return g >= 1 && g <= 100000 ? g : null
}

export type LineState = 'done' | 'partial' | 'todo' | 'over'

export function lineState(l: Pick<VerifyLine, 'expected' | 'scanned'>): LineState {
  if (l.scanned > l.expected) return 'over'
  if (l.scanned === l.expected) return 'done'
  return l.scanned > 0 ? 'partial' : 'todo'
}

/** Feedback colour of an answer: the server's ok decides, "opened" etc. are neutral-good. */
export function feedbackKind(a: Pick<VerifyAnswer, 'ok' | 'complete'>): 'ok' | 'done' | 'error' {
  if (!a.ok) return 'error'
  return a.complete ? 'done' : 'ok'
}

/** The stage the session moves: its parcel's for a parcel, else its order's. */
export function sessionStage(s: Pick<VerifySession, 'order_stage' | 'parcel_no' | 'parcel_stage'>): string {
  return s.parcel_no ? s.parcel_stage || '' : s.order_stage
}

/** May this session be packed now? Only a completed scan moves an order (or
 * the parcel) to verified. */
export function readyToPack(s: VerifySession | null): boolean {
  return !!s && s.complete && sessionStage(s) === 'verified'
}

/** Where packing goes: the parcel's own pack for a parcel, else the order's. */
export function packPath(s: Pick<VerifySession, 'order_id' | 'parcel_no'>): string {
  return s.parcel_no ? `/orders/${s.order_id}/parcels/${s.parcel_no}/pack` : `/orders/${s.order_id}/pack`
}

/** Lines the packer confirms by eye (no code to scan), still short. */
export function uncodedOpen(s: VerifySession | null): VerifyLine[] {
  return s ? s.lines.filter((l) => !l.coded && l.scanned < l.expected) : []
}
