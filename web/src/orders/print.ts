// The batch printing endpoints (ORD-7): one PDF per call for up to 1000 orders.
//   POST /api/v1/print/waybills       {"ids", "size":"100x180"|"76x130"}
//   POST /api/v1/print/picklists      {"ids"}
//   POST /api/v1/print/delivery-notes {"ids", "size":"a4"|"241x140"}
export const DOC_KINDS = ['waybills', 'picklists', 'delivery-notes'] as const
export type DocKind = (typeof DOC_KINDS)[number]
export const WAYBILL_SIZES = ['100x180', '76x130'] as const
export const NOTE_SIZES = ['a4', '241x140'] as const

export function isDocKind(s: unknown): s is DocKind {
  return typeof s === 'string' && (DOC_KINDS as readonly string[]).includes(s)
}

/** The path and body of one print request. */
export function printRequest(kind: DocKind, ids: number[], waybillSize: string, noteSize: string) {
  const path = '/print/' + kind
  if (kind === 'waybills')
    return { path, body: { ids, size: (WAYBILL_SIZES as readonly string[]).includes(waybillSize) ? waybillSize : '100x180' } }
  if (kind === 'delivery-notes')
    return { path, body: { ids, size: (NOTE_SIZES as readonly string[]).includes(noteSize) ? noteSize : 'a4' } }
  return { path, body: { ids } }
}

/** The stages at which the server accepts each paper (print_http.c); used to pick the list. */
export const PRINTABLE_STAGES: Record<DocKind, string[]> = {
  waybills: ['audited', 'waybill_printed'],
  picklists: ['audited', 'waybill_printed', 'picked'],
  'delivery-notes': ['audited', 'waybill_printed', 'picked', 'verified', 'packed'],
}
