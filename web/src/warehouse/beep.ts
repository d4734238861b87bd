// Feedback tones made with the Web Audio API (no audio files): a short high
// beep for a good scan, a long low one for an error. Browsers allow audio after
// a user gesture; a scanner's keystrokes are one.

let ctx: AudioContext | null = null

function audio(): AudioContext | null {
  if (typeof window === 'undefined') return null
  const C = window.AudioContext || (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext
  if (!C) return null
  if (!ctx) {
    try {
      ctx = new C()
    } catch {
      return null
    }
  }
  if (ctx.state === 'suspended') ctx.resume().catch(() => {})
  return ctx
}

export const TONES = {
  ok: { freq: 1760, ms: 90, type: 'sine' as OscillatorType },
  done: { freq: 2093, ms: 220, type: 'sine' as OscillatorType },
  error: { freq: 220, ms: 700, type: 'square' as OscillatorType },
}

export function beep(kind: keyof typeof TONES) {
  const a = audio()
  if (!a) return
  const tone = TONES[kind]
  try {
    const osc = a.createOscillator()
    const gain = a.createGain()
    osc.type = tone.type
    osc.frequency.value = tone.freq
    const t0 = a.currentTime
    const t1 = t0 + tone.ms / 1000
    gain.gain.setValueAtTime(0.0001, t0)
    gain.gain.exponentialRampToValueAtTime(0.25, t0 + 0.01)
    gain.gain.setValueAtTime(0.25, Math.max(t0 + 0.01, t1 - 0.03))
    gain.gain.exponentialRampToValueAtTime(0.0001, t1)
    osc.connect(gain).connect(a.destination)
    osc.start(t0)
    osc.stop(t1 + 0.02)
  } catch {
    /* no sound is better than a broken station */
  }
}
