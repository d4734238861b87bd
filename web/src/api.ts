// The console talks to dianpu only through its documented HTTP API (/api/v1).
// The session is the HttpOnly cookie set by POST /auth/login, so no token is
// kept in JavaScript; every error becomes an ApiError in the user's language.

export class ApiError extends Error {
  status: number
  code: string
  field: string
  constructor(status: number, code: string, message: string, field = '') {
    super(message)
    this.status = status
    this.code = code
    this.field = field
  }
}

type Hook = (status: number) => void
let onUnauthorized: Hook = () => {}
let language = 'zh-CN'

export function setUnauthorizedHook(h: Hook) {
  onUnauthorized = h
}
export function setApiLanguage(lang: string) {
  language = lang
}

export type Query = Record<string, string | number | boolean | null | undefined>

export function buildQuery(q?: Query): string {
  if (!q) return ''
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '' || v === false) continue
    p.set(k, v === true ? '1' : String(v))
  }
  const s = p.toString()
  return s ? '?' + s : ''
}

export function apiUrl(path: string, q?: Query): string {
  return '/api/v1' + path + buildQuery(q)
}

async function errorOf(res: Response): Promise<ApiError> {
  let code = 'http_' + res.status
  let message = res.statusText || 'HTTP ' + res.status
  let field = ''
  try {
    const body = await res.json()
    if (body && body.error) {
      code = body.error.code || code
      message = body.error.message || message
      field = body.error.field || ''
    }
  } catch {
    /* not JSON: keep the status text */
  }
  return new ApiError(res.status, code, message, field)
}

async function send(method: string, path: string, body?: unknown, q?: Query): Promise<Response> {
  const headers: Record<string, string> = { 'Accept-Language': language }
  let payload: BodyInit | undefined
  if (body instanceof FormData) payload = body
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json'
    payload = JSON.stringify(body)
  }
  let res: Response
  try {
    res = await fetch(apiUrl(path, q), { method, headers, body: payload, credentials: 'same-origin' })
  } catch (e) {
    throw new ApiError(0, 'network', language.startsWith('zh') ? '无法连接服务器' : 'cannot reach the server')
  }
  if (!res.ok) {
    const err = await errorOf(res)
    if (res.status === 401 && path !== '/auth/login') onUnauthorized(401)
    throw err
  }
  return res
}

export async function api<T = any>(method: string, path: string, body?: unknown, q?: Query): Promise<T> {
  const res = await send(method, path, body, q)
  if (res.status === 204) return undefined as T
  return (await res.json()) as T
}

export const get = <T = any>(path: string, q?: Query) => api<T>('GET', path, undefined, q)
export const post = <T = any>(path: string, body?: unknown, q?: Query) => api<T>('POST', path, body ?? {}, q)
export const put = <T = any>(path: string, body?: unknown) => api<T>('PUT', path, body)
export const patch = <T = any>(path: string, body?: unknown) => api<T>('PATCH', path, body)

/** A binary answer (PDF, CSV, XLSX) as a Blob, with the server's file name. */
export async function fetchBlob(method: string, path: string, body?: unknown, q?: Query) {
  const res = await send(method, path, body, q)
  const cd = res.headers.get('Content-Disposition') || ''
  const m = /filename\*=UTF-8''([^;]+)|filename="?([^";]+)"?/.exec(cd)
  const name = m ? decodeURIComponent(m[1] || m[2]) : ''
  return { blob: await res.blob(), name, type: res.headers.get('Content-Type') || '' }
}

export function saveBlob(blob: Blob, name: string) {
  const a = document.createElement('a')
  a.href = URL.createObjectURL(blob)
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(a.href), 10000)
}

/** Multipart upload with progress (fetch cannot report upload progress). */
export function upload<T = any>(path: string, form: FormData, onProgress?: (pct: number) => void, q?: Query): Promise<T> {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest()
    x.open('POST', apiUrl(path, q))
    x.setRequestHeader('Accept-Language', language)
    x.withCredentials = true
    x.upload.onprogress = (e) => {
      if (e.lengthComputable && onProgress) onProgress(Math.round((e.loaded * 100) / e.total))
    }
    x.onerror = () => reject(new ApiError(0, 'network', language.startsWith('zh') ? '无法连接服务器' : 'cannot reach the server'))
    x.onload = () => {
      let body: any = null
      try {
        body = JSON.parse(x.responseText)
      } catch {
        /* keep null */
      }
      if (x.status >= 200 && x.status < 300) return resolve(body as T)
      if (x.status === 401) onUnauthorized(401)
      const e = body && body.error ? body.error : {}
      reject(new ApiError(x.status, e.code || 'http_' + x.status, e.message || x.statusText, e.field || ''))
    }
    x.send(form)
  })
}
