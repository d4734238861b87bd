// Every message key the warehouse and inventory screens use exists in both languages.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import warehouse from '../i18n/warehouse'
import inventory from '../i18n/inventory'
import common from '../i18n/common'

const root = join(__dirname, '..')
const files = [
  ...['VerifyView', 'ShipView', 'TasksView', 'HandoverView', 'InventoryView'].map((v) => join(root, 'views', v + '.vue')),
  ...readdirSync(join(root, 'inventory')).filter((f) => f.endsWith('.vue')).map((f) => join(root, 'inventory', f)),
]

function has(obj: unknown, key: string): boolean {
  let o = obj as Record<string, unknown> | undefined
  for (const k of key.split('.')) {
    if (!o || typeof o !== 'object' || !(k in o)) return false
    o = o[k] as Record<string, unknown>
  }
  return typeof o === 'string'
}

describe('message keys', () => {
  const zh = { ...common.zh, ...warehouse.zh, ...inventory.zh }
  const en = { ...common.en, ...warehouse.en, ...inventory.en }
  for (const f of files) {
    const src = readFileSync(f, 'utf8')
    const keys = [...src.matchAll(/\bt\('([a-zA-Z]+\.[a-zA-Z.]+)'/g)].map((m) => m[1]).filter((k) => !k.endsWith('.'))
    it(f.replace(root, ''), () => {
      for (const k of keys) {
        expect(has(zh, k), 'zh ' + k).toBe(true)
        expect(has(en, k), 'en ' + k).toBe(true)
      }
    })
  }
})
