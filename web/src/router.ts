import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useSession } from './stores/session'
import type { Perm } from './roles'
import MainLayout from './layouts/MainLayout.vue'
import LoginView from './views/LoginView.vue'

declare module 'vue-router' {
  interface RouteMeta {
    perm?: Perm
    title?: string
    public?: boolean
  }
}

// Screens load on first visit so the login page stays small.
const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: LoginView, meta: { public: true } },
  {
    path: '/',
    component: MainLayout,
    children: [
      { path: '', name: 'dashboard', component: () => import('./views/DashboardView.vue'), meta: { title: 'menu.dashboard' } },
      { path: 'orders', name: 'orders', component: () => import('./views/OrdersView.vue'), meta: { perm: 'orders', title: 'menu.orders' } },
      { path: 'orders/:id', name: 'order', component: () => import('./views/OrderDetailView.vue'), meta: { perm: 'orders', title: 'menu.orders' } },
      { path: 'import', name: 'import', component: () => import('./views/ImportView.vue'), meta: { perm: 'import', title: 'menu.import' } },
      { path: 'print', name: 'print', component: () => import('./views/PrintView.vue'), meta: { perm: 'print', title: 'menu.print' } },
      { path: 'verify', name: 'verify', component: () => import('./views/VerifyView.vue'), meta: { perm: 'verify', title: 'menu.verify' } },
      { path: 'ship', name: 'ship', component: () => import('./views/ShipView.vue'), meta: { perm: 'ship', title: 'menu.ship' } },
      { path: 'tasks', name: 'tasks', component: () => import('./views/TasksView.vue'), meta: { perm: 'tasks', title: 'menu.tasks' } },
      { path: 'handover', name: 'handover', component: () => import('./views/HandoverView.vue'), meta: { perm: 'handover', title: 'menu.handover' } },
      { path: 'inventory', name: 'inventory', component: () => import('./views/InventoryView.vue'), meta: { perm: 'inventory', title: 'menu.inventory' } },
      { path: 'settings/stores', name: 'stores', component: () => import('./views/StoresView.vue'), meta: { perm: 'stores', title: 'menu.stores' } },
      { path: 'settings/users', name: 'users', component: () => import('./views/UsersView.vue'), meta: { perm: 'users', title: 'menu.users' } },
      { path: 'settings/policy', name: 'policy', component: () => import('./views/PolicyView.vue'), meta: { perm: 'policy', title: 'menu.policy' } },
      { path: 'forbidden', name: 'forbidden', component: () => import('./views/ForbiddenView.vue') },
      { path: ':rest(.*)*', name: 'notfound', component: () => import('./views/NotFoundView.vue') },
    ],
  },
]

export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach(async (to) => {
  const s = useSession()
  await s.restore()
  if (to.meta.public) return s.signedIn && to.name === 'login' ? { name: 'dashboard' } : true
  if (!s.signedIn) return { name: 'login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  if (to.meta.perm && !s.can(to.meta.perm)) return { name: 'forbidden' }
  return true
})
