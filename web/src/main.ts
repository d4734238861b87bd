import { createApp } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import App from './App.vue'
import { router } from './router'
import { i18n } from './i18n'
import { setApiLanguage, setUnauthorizedHook } from './api'
import { useSession } from './stores/session'
import './style.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia).use(i18n).use(ElementPlus)

setApiLanguage(i18n.global.locale.value)
// A 401 anywhere means the session ended (expired, logged out elsewhere): back to login.
setUnauthorizedHook(() => {
  const s = useSession(pinia)
  if (!s.user) return
  s.forget()
  const here = router.currentRoute.value
  if (here.name !== 'login') router.push({ name: 'login', query: { next: here.fullPath, expired: '1' } })
})

app.use(router).mount('#app')
