// Who is signed in and which shop they are working on. The session itself is
// the server's HttpOnly cookie; this only remembers what /auth/me said.
import { defineStore } from 'pinia'
import { get, post } from '../api'
import { can as roleCan, type Perm } from '../roles'

export interface User {
  id: number
  username: string
  display_name: string
  role: string
  role_label: string
  stores: string[]
}

export interface Store {
  code: string
  name: string
  platform: string
}

const STORE_KEY = 'dianpu.store'

export const useSession = defineStore('session', {
  state: () => ({
    user: null as User | null,
    stores: [] as Store[],
    store: '' as string,
    checked: false,
  }),
  getters: {
    signedIn: (s) => !!s.user,
  },
  actions: {
    can(perm: Perm): boolean {
      return roleCan(this.user?.role, perm)
    },
    async login(username: string, password: string) {
      const r = await post<{ user: User }>('/auth/login', { username, password })
      this.user = r.user
      this.checked = true
      await this.loadStores()
    },
    /** Asks the server once per page load whether the cookie is still good. */
    async restore() {
      if (this.checked) return
      try {
        const r = await get<{ user: User }>('/auth/me')
        this.user = r.user
        await this.loadStores()
      } catch {
        this.user = null
      }
      this.checked = true
    },
    async loadStores() {
      try {
        const r = await get<{ items: Store[] }>('/stores')
        this.stores = r.items || []
      } catch {
        this.stores = []
      }
      // Keep the store being worked on; a new store sorting first must not take over.
      const codes = this.stores.map((s) => s.code)
      const saved = localStorage.getItem(STORE_KEY) || ''
      if (!codes.includes(this.store)) this.store = codes.includes(saved) ? saved : codes[0] || ''
    },
    selectStore(code: string) {
      this.store = code
      localStorage.setItem(STORE_KEY, code)
    },
    async logout() {
      try {
        await post('/auth/logout')
      } catch {
        /* the session may already be gone */
      }
      this.forget()
    },
    forget() {
      this.user = null
      this.stores = []
      this.store = ''
      this.checked = true
    },
  },
})
