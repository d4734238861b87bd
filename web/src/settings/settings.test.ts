// Settings helpers: the policy form (schema → rows, units, yuan/percent inputs
// and back, differences, history) and the user/store request bodies.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  bounds, buildDoc, buildSections, changes, display, fromInput, history, percentToPpm, ppmToPercent,
  sameValue, sectionOfField, splitHelp, toInput, unitOf, type SchemaField,
} from './policy'
import { ROLES, createBody, emptyUserForm, patchBody, patchIsEmpty, storeNames, storePatch, userFormErrors, type UserRow } from './users'
import settings from '../i18n/settings'
import common from '../i18n/common'

const schema: SchemaField[] = [
  { key: 'orders.refund_warn_hours', type: 'int', min: 1, max: 240, default: 24, help: '退款临近超时提醒(小时)[001]' },
  { key: 'orders.auto_audit', type: 'bool', min: 0, max: 1, default: true, help: '自动审单 (ORD-13)' },
  { key: 'scores.fine_first_fen', type: 'fen', min: 0, max: 10000000, default: 1000, help: '首次违规罚款(分)[001]' },
  { key: 'pay.presale_rate', type: 'rate', min: 0, max: 1000000, default: 0.005, help: '售前提成比例 [004]' },
  { key: 'shifts.day_start', type: 'clock', min: 0, max: 1439, default: '09:00', help: '白班开始 [001]' },
  { key: 'cs_kpi.ad_phrase', type: 'text', min: 0, max: 127, default: '欢迎', help: '结束语/广告语 [004]' },
  { key: 'listings.forbidden_words', type: 'words', min: 0, max: 64, default: ['最', '第一'], help: '广告法禁用词 [000][002]' },
  { key: 'trade.deposit_percent', type: 'int', min: 0, max: 100, default: 30, help: '生产前定金比例(%)[002]' },
]
const sections = buildSections(schema)
const field = (k: string) => sections.flatMap((s) => s.fields).find((f) => f.key === k)!

describe('policy schema', () => {
  it('groups keys by section in schema order', () => {
    expect(sections.map((s) => s.name)).toEqual(['orders', 'scores', 'pay', 'shifts', 'cs_kpi', 'listings', 'trade'])
    expect(sections[0].fields.map((f) => f.name)).toEqual(['refund_warn_hours', 'auto_audit'])
  })
  it('splits the description from its unit and seed references', () => {
    expect(splitHelp('退款临近超时提醒(小时)[001]')).toEqual({ label: '退款临近超时提醒', refs: ['001'] })
    expect(splitHelp('自动审单 (ORD-13)')).toEqual({ label: '自动审单', refs: ['ORD-13'] })
    expect(splitHelp('广告法禁用词 [000][002]')).toEqual({ label: '广告法禁用词', refs: ['000', '002'] })
    expect(splitHelp('售后回访判定天数 (KPI.md 4.1)')).toEqual({ label: '售后回访判定天数', refs: ['KPI.md 4.1'] })
    expect(splitHelp('结束语/广告语 [004]').label).toBe('结束语/广告语')
  })
  it('knows the unit of a key', () => {
    expect(unitOf({ key: 'orders.refund_warn_hours', type: 'int' })).toBe('hours')
    expect(unitOf({ key: 'crm.followup_c_every_days', type: 'int' })).toBe('days')
    expect(unitOf({ key: 'crm.followup_a_per_week', type: 'int' })).toBe('perWeek')
    expect(unitOf({ key: 'trade.deposit_percent', type: 'int' })).toBe('percent')
    expect(unitOf({ key: 'scores.fine_first_fen', type: 'fen' })).toBe('yuan')
    expect(unitOf({ key: 'pay.presale_rate', type: 'rate' })).toBe('percent')
    expect(unitOf({ key: 'staff.promote_mid_months', type: 'int' })).toBe('months')
    expect(unitOf({ key: 'crm.high_grade_min_contacts_month', type: 'int' })).toBe('perMonth')
    expect(unitOf({ key: 'scores.exam_pass_mark', type: 'int' })).toBe('')
    expect(unitOf({ key: 'shifts.day_start', type: 'clock' })).toBe('')
  })
  it('every unit has a message in both languages', () => {
    for (const s of sections) for (const f of s.fields) if (f.unit) {
      expect((settings.zh.settings.policy.units as Record<string, string>)[f.unit]).toBeTruthy()
      expect((settings.en.settings.policy.units as Record<string, string>)[f.unit]).toBeTruthy()
    }
  })
})

describe('policy values in the form', () => {
  it('shows fen as yuan and rates as percent, exactly', () => {
    expect(toInput(field('scores.fine_first_fen'), 1000)).toBe('10.00')
    expect(toInput(field('scores.fine_first_fen'), 123456789)).toBe('1234567.89')
    expect(toInput(field('pay.presale_rate'), 0.005)).toBe('0.5')
    expect(toInput(field('pay.presale_rate'), 1)).toBe('100')
    expect(toInput(field('pay.presale_rate'), 0.000001)).toBe('0.0001')
    expect(toInput(field('pay.presale_rate'), 0.123456)).toBe('12.3456')
    expect(toInput(field('orders.auto_audit'), false)).toBe(false)
    expect(toInput(field('listings.forbidden_words'), undefined)).toEqual(['最', '第一'])
    expect(toInput(field('orders.refund_warn_hours'), undefined)).toBe('24')
  })
  it('reads the form back as the API wants it', () => {
    expect(fromInput(field('scores.fine_first_fen'), '¥1,234.5')).toEqual({ ok: true, value: 123450 })
    expect(fromInput(field('pay.presale_rate'), '0.8%')).toEqual({ ok: true, value: 0.008 })
    expect(fromInput(field('pay.presale_rate'), '50')).toEqual({ ok: true, value: 0.5 })
    expect(fromInput(field('orders.refund_warn_hours'), ' 36 ')).toEqual({ ok: true, value: 36 })
    expect(fromInput(field('shifts.day_start'), '08:30')).toEqual({ ok: true, value: '08:30' })
    expect(fromInput(field('listings.forbidden_words'), [' 最 ', '', '顶级'])).toEqual({ ok: true, value: ['最', '顶级'] })
  })
  it('leaves bounds to the API but refuses what is not a value at all', () => {
    expect(fromInput(field('orders.refund_warn_hours'), '999')).toEqual({ ok: true, value: 999 })
    expect(fromInput(field('orders.refund_warn_hours'), '1.5')).toEqual({ ok: false, error: 'settings.policy.needInt' })
    expect(fromInput(field('orders.refund_warn_hours'), '')).toEqual({ ok: false, error: 'settings.policy.needInt' })
    expect(fromInput(field('scores.fine_first_fen'), '1.234')).toEqual({ ok: false, error: 'settings.policy.needYuan' })
    expect(fromInput(field('pay.presale_rate'), '0.00001')).toEqual({ ok: false, error: 'settings.policy.needPercent' })
    expect(fromInput(field('shifts.day_start'), '9:00')).toEqual({ ok: false, error: 'settings.policy.needClock' })
    expect(fromInput(field('shifts.day_start'), '24:00')).toEqual({ ok: false, error: 'settings.policy.needClock' })
  })
  it('percent and ppm round-trip', () => {
    for (const ppm of [0, 1, 5000, 8000, 500000, 1000000, 123456]) expect(percentToPpm(ppmToPercent(ppm))).toBe(ppm)
    expect(percentToPpm('abc')).toBeNull()
  })
  it('compares rates on the ppm grid', () => {
    expect(sameValue(field('pay.presale_rate'), 0.005, 0.0050000000001)).toBe(true)
    expect(sameValue(field('listings.forbidden_words'), ['a'], ['a'])).toBe(true)
    expect(sameValue(field('orders.refund_warn_hours'), 24, 25)).toBe(false)
  })
  it('shows values and bounds in the form unit', () => {
    expect(display(field('scores.fine_first_fen'), 3000)).toBe('¥30.00')
    expect(display(field('pay.presale_rate'), 0.008)).toBe('0.8%')
    expect(display(field('listings.forbidden_words'), ['最', '第一'])).toBe('最、第一')
    expect(bounds(field('scores.fine_first_fen'))).toEqual(['0.00', '100000.00'])
    expect(bounds(field('pay.presale_rate'))).toEqual(['0', '100'])
    expect(bounds(field('orders.refund_warn_hours'))).toEqual(['1', '240'])
    expect(bounds(field('shifts.day_start'))).toBeNull()
  })
})

describe('policy document', () => {
  const doc = {
    orders: { refund_warn_hours: 12, auto_audit: true },
    scores: { fine_first_fen: 1000 },
    pay: { presale_rate: 0.005 },
    shifts: { day_start: '09:00' },
    cs_kpi: { ad_phrase: '欢迎' },
    listings: { forbidden_words: ['最', '第一'] },
    trade: { deposit_percent: 30 },
  }
  const form = Object.fromEntries(sections.flatMap((s) => s.fields).map((f) => [f.key, toInput(f, (doc as any)[f.section][f.name])]))
  it('the form of a document builds the same document', () => {
    expect(buildDoc(sections, form)).toEqual({ doc, errors: {} })
  })
  it('names each key the form cannot read', () => {
    const r = buildDoc(sections, { ...form, 'orders.refund_warn_hours': 'x', 'pay.presale_rate': '%' })
    expect(r.errors).toEqual({ 'orders.refund_warn_hours': 'settings.policy.needInt', 'pay.presale_rate': 'settings.policy.needPercent' })
  })
  it('lists the changes between versions and finds an error field’s tab', () => {
    const after = { ...doc, orders: { ...doc.orders, refund_warn_hours: 36 }, pay: { presale_rate: 0.006 } }
    expect(changes(sections, doc, after)).toEqual([
      { key: 'orders.refund_warn_hours', before: 12, after: 36 },
      { key: 'pay.presale_rate', before: 0.005, after: 0.006 },
    ])
    expect(sectionOfField(sections, 'pay.presale_rate')).toBe('pay')
    expect(sectionOfField(sections, 'nope.x')).toBeNull()
  })
  it('numbers the history from the current version down', () => {
    const rows = [
      { id: 9, at_utc: 2, username: 'boss', action: 'update', before: doc, after: { ...doc, trade: { deposit_percent: 40 } } },
      { id: 5, at_utc: 1, username: 'boss', action: 'update', before: doc, after: doc },
    ]
    const h = history(sections, rows, 2)
    expect(h.map((e) => e.version)).toEqual([2, 1])
    expect(h[0].changes).toEqual([{ key: 'trade.deposit_percent', before: 30, after: 40 }])
    expect(h[1].changes).toEqual([])
    expect(history(sections, rows, 1).map((e) => e.version)).toEqual([1, null])
  })
})

describe('users and stores', () => {
  const u: UserRow = {
    id: 7, username: 'amy', display_name: '艾米', role: 'cs_presale', role_label: '售前客服', phone: '138****8000',
    disabled: false, version: 3, created_utc: 0, stores: ['qinghe'],
  }
  it('has the 13 roles, each named in both languages', () => {
    expect(ROLES.length).toBe(13)
    for (const r of ROLES) {
      expect((settings.zh.settings.roles as Record<string, string>)[r]).toBeTruthy()
      expect((settings.en.settings.roles as Record<string, string>)[r]).toBeTruthy()
    }
    expect(settings.zh.settings.roles.cs_presale).toBe('售前客服')
  })
  it('wants the new password typed the same twice', () => {
    const f = { ...emptyUserForm(), username: 'amy', role: 'cs_presale', password: 'secret-123', password2: 'secret-124' }
    expect(userFormErrors(f, 'create')).toEqual({ password2: 'settings.users.mismatch' })
    expect(userFormErrors({ ...f, password2: 'secret-123' }, 'create')).toEqual({})
    expect(userFormErrors(emptyUserForm(), 'create')).toEqual({
      username: 'settings.users.required', role: 'settings.users.required', password: 'settings.users.required',
    })
    expect(userFormErrors(emptyUserForm(), 'password')).toEqual({ password: 'settings.users.required' })
  })
  it('creates with the stores the user may see (none = all)', () => {
    const f = { ...emptyUserForm(), username: ' amy ', role: 'cs_presale', password: 'p', password2: 'p', stores: ['qinghe'] }
    expect(createBody(f)).toEqual({ username: 'amy', password: 'p', role: 'cs_presale', stores: ['qinghe'] })
    expect(createBody({ ...f, display_name: '艾米', phone: '138' })).toMatchObject({ display_name: '艾米', phone: '138' })
  })
  it('patches only what changed, never the masked phone', () => {
    const same = { display_name: '艾米', phone: '138****8000', role: 'cs_presale', stores: ['qinghe'] }
    expect(patchBody(u, same)).toEqual({ version: 3 })
    expect(patchIsEmpty(patchBody(u, same))).toBe(true)
    expect(patchBody(u, { ...same, phone: '13900000000', role: 'cs_lead', stores: [] })).toEqual({
      version: 3, phone: '13900000000', role: 'cs_lead', stores: [],
    })
    expect(patchBody(u, { ...same, phone: '139****0000' })).toEqual({ version: 3 })
  })
  it('names stores and patches a store with its version', () => {
    expect(storeNames(['qinghe', 'x'], [{ code: 'qinghe', name: '青禾旗舰店' }])).toEqual(['青禾旗舰店', 'x'])
    const s = { id: 1, code: 'qinghe', name: '青禾', platform: 'tmall', platform_label: '天猫', active: true, version: 4, created_utc: 0, updated_utc: 0 }
    expect(storePatch(s, { name: '青禾', platform: 'tmall', active: true })).toEqual({ version: 4 })
    expect(storePatch(s, { name: ' 青禾2 ', platform: 'jd', active: false })).toEqual({ version: 4, name: '青禾2', platform: 'jd', active: false })
  })
})

// Every t('…') key the settings screens use exists in both languages.
function has(obj: unknown, key: string): boolean {
  let o = obj as Record<string, unknown> | undefined
  for (const k of key.split('.')) {
    if (!o || typeof o !== 'object' || !(k in o)) return false
    o = o[k] as Record<string, unknown>
  }
  return typeof o === 'string'
}
describe('message keys', () => {
  const root = join(__dirname, '..')
  const files = ['views/StoresView.vue', 'views/UsersView.vue', 'views/PolicyView.vue', 'settings/PolicyFieldRow.vue', 'settings/PolicyHistory.vue', 'settings/policy.ts', 'settings/users.ts']
  const zh = { ...common.zh, ...settings.zh }
  const en = { ...common.en, ...settings.en }
  for (const f of files) {
    it(f, () => {
      const src = readFileSync(join(root, f), 'utf8')
      const keys = [...src.matchAll(/['"]((?:settings|common|menu)\.[a-zA-Z0-9_.]+)['"]/g)].map((m) => m[1]).filter((k) => !k.endsWith('.'))
      expect(keys.length).toBeGreaterThan(0)
      for (const k of keys) {
        expect(has(zh, k), 'zh ' + k).toBe(true)
        expect(has(en, k), 'en ' + k).toBe(true)
      }
    })
  }
  it('every English policy label names a key of the seed table', () => {
    const src = readFileSync(join(root, '../../src/policy/policy.c'), 'utf8')
    const keys = new Set([...src.matchAll(/F\("(\w+)", (\w+),/g)].map((m) => m[1] + '.' + m[2])
      .concat([...src.matchAll(/FN\("(\w+)", "(\w+)",/g)].map((m) => m[1] + '.' + m[2])))
    const en = settings.en.settings.policy.f as Record<string, Record<string, string>>
    const labelled = Object.entries(en).flatMap(([s, o]) => Object.keys(o).map((k) => s + '.' + k))
    expect(keys.size).toBeGreaterThan(70)
    expect(labelled.filter((k) => !keys.has(k))).toEqual([])
    expect([...keys].filter((k) => !labelled.includes(k))).toEqual([])
  })
})
