// Which screens a role sees. This mirrors the role sets the server enforces
// (src/*/*_http.c); it only shapes the menu — the API refuses what a role may not do.

export type Role =
  | 'boss' | 'operations' | 'cs_presale' | 'cs_aftersale' | 'cs_lead' | 'cs_mentor'
  | 'warehouse' | 'designer' | 'trade_sales' | 'trade_assistant' | 'finance' | 'hr' | 'distributor'

export type Perm =
  | 'orders' | 'order_edit' | 'order_audit' | 'import' | 'print' | 'verify' | 'ship'
  | 'tasks' | 'handover' | 'inventory' | 'stock_move' | 'stocktake' | 'stocktake_approve'
  | 'recon' | 'audit_log' | 'users' | 'stores' | 'policy' | 'policy_edit'

const ORDER_READERS: Role[] = ['boss', 'operations', 'cs_presale', 'cs_aftersale', 'cs_lead', 'cs_mentor', 'warehouse', 'finance']
const ORDER_EDITORS: Role[] = ['boss', 'cs_lead', 'cs_presale', 'cs_aftersale']
const WAREHOUSE: Role[] = ['boss', 'cs_lead', 'warehouse']
const STAFF: Role[] = ['boss', 'operations', 'cs_presale', 'cs_aftersale', 'cs_lead', 'cs_mentor', 'warehouse',
  'designer', 'trade_sales', 'trade_assistant', 'finance', 'hr']

const TABLE: Record<Perm, Role[]> = {
  orders: ORDER_READERS,
  order_edit: ORDER_EDITORS,
  order_audit: [...ORDER_EDITORS, 'warehouse'],
  import: ['boss', 'operations', 'cs_lead', 'warehouse'],
  print: WAREHOUSE,
  verify: ['boss', 'warehouse'],
  ship: WAREHOUSE,
  tasks: ORDER_READERS,
  handover: STAFF,
  inventory: ORDER_READERS,
  stock_move: ['boss', 'warehouse'],
  stocktake: ['boss', 'warehouse', 'finance'],
  stocktake_approve: ['boss', 'finance'],
  recon: ['finance', 'boss', 'warehouse'],
  audit_log: ['boss', 'cs_lead'],
  users: ['boss'],
  stores: STAFF,
  policy: STAFF,
  policy_edit: ['boss'],
}

export function can(role: string | undefined, perm: Perm): boolean {
  return !!role && (TABLE[perm] as string[]).includes(role)
}
