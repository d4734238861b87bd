import { ref, type Ref } from 'vue'
import { ElMessage } from 'element-plus'
import { ApiError } from './api'

/** Loading / error / data state of one request, for the loading, empty and error states of a screen. */
export function useAsync<T>(fn: () => Promise<T>, initial: T) {
  const data = ref(initial) as Ref<T>
  const loading = ref(false)
  const error = ref('')
  let seq = 0
  async function run() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const v = await fn()
      if (mine === seq) data.value = v
    } catch (e) {
      if (mine === seq) error.value = messageOf(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  return { data, loading, error, run }
}

export function messageOf(e: unknown): string {
  if (e instanceof ApiError) return e.message
  if (e instanceof Error) return e.message
  return String(e)
}

/** Shows an API error as a message toast; returns false so callers can `return toastError(e)`. */
export function toastError(e: unknown): false {
  ElMessage.error({ message: messageOf(e), grouping: true })
  return false
}
