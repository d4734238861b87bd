// Messages live in one file per area (common, orders, warehouse, inventory,
// settings), each with zh-CN and en halves; this merges them into vue-i18n.
import { createI18n } from 'vue-i18n'
import common from './common'
import orders from './orders'
import warehouse from './warehouse'
import inventory from './inventory'
import settings from './settings'

type Area = { zh: Record<string, unknown>; en: Record<string, unknown> }
const areas: Area[] = [common, orders, warehouse, inventory, settings]

export const messages = {
  'zh-CN': Object.assign({}, ...areas.map((a) => a.zh)),
  en: Object.assign({}, ...areas.map((a) => a.en)),
}

export type Lang = 'zh-CN' | 'en'
export const LANG_KEY = 'dianpu.lang'

export function initialLang(): Lang {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(LANG_KEY) : null
  return saved === 'en' ? 'en' : 'zh-CN'
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLang(),
  fallbackLocale: 'zh-CN',
  messages,
})

export function setLang(lang: Lang, onChange?: (l: Lang) => void) {
  i18n.global.locale.value = lang
  localStorage.setItem(LANG_KEY, lang)
  document.documentElement.lang = lang
  onChange?.(lang)
}
