// The order detail's actions and edits. When the API says which actions the
// stage allows ("actions") and how an edit would be carried out ("changes"),
// the console shows that; when it does not, every action is offered and the
// API's 422 explains a refusal.
import { can, type Perm } from '../roles'

export const ACTIONS = ['audit', 'hold', 'release', 'print', 'pick', 'verify', 'pack', 'ship', 'deliver'] as const
export type Action = (typeof ACTIONS)[number]

export interface ActionRule {
  action: string
  allowed: boolean
  reason?: string
}
export interface ChangeRule {
  kind: 'receiver' | 'items' | 'cancel' | string
  allowed: boolean
  way?: 'in_place' | 'fix_papers' | 'reprint' | string
  task?: string
  task_text?: string
  reason?: string
}

/** Who may do each action (order_http.c action_roles); only shapes the buttons. */
const ACTION_PERM: Record<Action, Perm> = {
  audit: 'order_audit', hold: 'order_audit', release: 'order_audit',
  print: 'print', pick: 'print', pack: 'print', ship: 'ship', deliver: 'ship',
  verify: 'order_audit', // narrowed below: a boss/lead override
}

export function roleMay(role: string | undefined, action: Action): boolean {
  if (action === 'verify') return role === 'boss' || role === 'cs_lead'
  return can(role, ACTION_PERM[action])
}

export interface ActionButton {
  action: Action
  allowed: boolean
  reason: string
}

/** The action buttons to show: the role's actions, with the API's verdict when it gave one. */
export function actionButtons(rules: ActionRule[] | undefined, role: string | undefined): ActionButton[] {
  const byName = new Map((rules || []).map((r) => [r.action, r]))
  return ACTIONS.filter((a) => roleMay(role, a)).map((a) => {
    const r = byName.get(a)
    if (!rules) return { action: a, allowed: true, reason: '' }
    return { action: a, allowed: !!r?.allowed, reason: r?.reason || '' }
  })
}

/** The rule of one kind of edit; an open rule when the API gave none. */
export function changeRule(changes: ChangeRule[] | undefined, kind: string): ChangeRule {
  const r = (changes || []).find((c) => c.kind === kind)
  return r || { kind, allowed: true, way: 'in_place' }
}

/** Whether confirming this edit should warn that it creates warehouse work. */
export function needsTaskWarning(r: ChangeRule): boolean {
  return !!r.way && r.way !== 'in_place'
}

/** Kinds of memo a person adds (order.c memo_names; papers/reprint/cancel are written by edits). */
export const MEMO_KINDS = ['note', 'address', 'attribute', 'courier', 'invoice', 'card', 'delivery_time'] as const
