// The batch printing endpoints (ORD-7): one PDF per call for up to 1000 orders.
//   POST /api/v1/print/waybills       {"ids", "size":"100x180"|"76x130"}
//                                  or {"parcels":[{"order_id","parcel_no"}], "size"} (ORD-10)
//   POST /api/v1/print/picklists      {"ids"}
//   POST /api/v1/print/delivery-notes {"ids", "size":"a4"|"241x140"}
export const DOC_KINDS = ['waybills', 'picklists', 'delivery-notes'] as const
export type DocKind = (typeof DOC_KINDS)[number]
export const WAYBILL_SIZES = ['100x180', '76x130'] as const
export const NOTE_SIZES = ['a4', '241x140'] as const

/** Where the print screen and the parcels card remember the waybill size. */
export const WAYBILL_SIZE_KEY = 'dianpu.print.size'

export function waybillSize(s: unknown): string {
  return typeof s === 'string' && (WAYBILL_SIZES as readonly string[]).includes(s) ? s : '100x180'
}

export function isDocKind(s: unknown): s is DocKind {
  return typeof s === 'string' && (DOC_KINDS as readonly string[]).includes(s)
}

/** The path and body of one print request. */
export function printRequest(kind: DocKind, ids: number[], wbSize: string, noteSize: string) {
  const path = '/print/' + kind
  if (kind === 'waybills') return { path, body: { ids, size: waybillSize(wbSize) } }
  if (kind === 'delivery-notes')
    return { path, body: { ids, size: (NOTE_SIZES as readonly string[]).includes(noteSize) ? noteSize : 'a4' } }
  return { path, body: { ids } }
}

export interface ParcelRef { order_id: number; parcel_no: number }

/** A waybill per parcel of a split order (ORD-10): one page each. */
export function parcelPrintRequest(parcels: ParcelRef[], size: string) {
  return { path: '/print/waybills', body: { parcels, size: waybillSize(size) } }
}

/** The stages at which the server accepts each paper (print_http.c); used to pick the list. */
export const PRINTABLE_STAGES: Record<DocKind, string[]> = {
  waybills: ['audited', 'waybill_printed'],
  picklists: ['audited', 'waybill_printed', 'picked'],
  'delivery-notes': ['audited', 'waybill_printed', 'picked', 'verified', 'packed'],
}
