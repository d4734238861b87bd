// Users, roles and stores as the settings screens edit them. The lists mirror
// the server's tables (src/auth/auth.c roles, src/stores/stores.c platforms) for
// the pickers only; the API checks every value it is sent.

/** The 13 roles in the order the server declares them. Labels: settings.roles.<role>. */
export const ROLES = [
  'boss', 'operations', 'cs_presale', 'cs_aftersale', 'cs_lead', 'cs_mentor', 'warehouse',
  'designer', 'trade_sales', 'trade_assistant', 'finance', 'hr', 'distributor',
] as const

/** Platforms a store may be on. Labels: settings.platforms.<code>. */
export const PLATFORMS = ['taobao', 'tmall', '1688', 'alibaba', 'jd', 'distributor', 'manual'] as const

export interface UserRow {
  id: number
  username: string
  display_name: string
  role: string
  role_label: string
  phone: string
  disabled: boolean
  version: number
  created_utc: number
  stores: string[]
}

export interface StoreRow {
  id: number
  code: string
  name: string
  platform: string
  platform_label: string
  active: boolean
  version: number
  created_utc: number
  updated_utc: number
}

export interface UserForm {
  username: string
  display_name: string
  phone: string
  role: string
  stores: string[]
  password: string
  password2: string
}

export const emptyUserForm = (): UserForm => ({
  username: '', display_name: '', phone: '', role: '', stores: [], password: '', password2: '',
})

/**
 * Checks only what the server cannot: that the password was typed the same
 * twice, and that the required fields are there. Returns {field: messageKey}.
 */
export function userFormErrors(f: UserForm, mode: 'create' | 'password'): Record<string, string> {
  const e: Record<string, string> = {}
  if (mode === 'create') {
    if (!f.username.trim()) e.username = 'settings.users.required'
    if (!f.role) e.role = 'settings.users.required'
  }
  if (!f.password) e.password = 'settings.users.required'
  else if (f.password !== f.password2) e.password2 = 'settings.users.mismatch'
  return e
}

/** POST /api/v1/users body; an empty store list means every store. */
export function createBody(f: UserForm) {
  const b: Record<string, unknown> = {
    username: f.username.trim(),
    password: f.password,
    role: f.role,
    stores: [...f.stores],
  }
  if (f.display_name.trim()) b.display_name = f.display_name.trim()
  if (f.phone.trim()) b.phone = f.phone.trim()
  return b
}

/**
 * PATCH /api/v1/users/{id} body with only what changed, plus the version the
 * form was loaded at. The list shows other users' phones masked ("138****8000"):
 * a phone left as shown is not sent, so the mask never replaces the number.
 */
export function patchBody(u: UserRow, f: Pick<UserForm, 'display_name' | 'phone' | 'role' | 'stores'>) {
  const b: Record<string, unknown> = { version: u.version }
  if (f.display_name.trim() !== u.display_name) b.display_name = f.display_name.trim()
  if (f.phone.trim() !== u.phone && !f.phone.includes('*')) b.phone = f.phone.trim()
  if (f.role && f.role !== u.role) b.role = f.role
  const a = [...f.stores].sort()
  const s = [...u.stores].sort()
  if (JSON.stringify(a) !== JSON.stringify(s)) b.stores = a
  return b
}

/** True when the body changes nothing but carries the version. */
export const patchIsEmpty = (b: Record<string, unknown>) => Object.keys(b).length === 1

/** Store names for a user's store list; [] when the user sees every store. */
export function storeNames(codes: string[], stores: Pick<StoreRow, 'code' | 'name'>[]): string[] {
  return codes.map((c) => stores.find((s) => s.code === c)?.name || c)
}

/** The fields of a store edit that changed, with the version (PATCH /api/v1/stores/{code}). */
export function storePatch(s: StoreRow, f: { name: string; platform: string; active: boolean }) {
  const b: Record<string, unknown> = { version: s.version }
  if (f.name.trim() !== s.name) b.name = f.name.trim()
  if (f.platform !== s.platform) b.platform = f.platform
  if (f.active !== s.active) b.active = f.active
  return b
}
