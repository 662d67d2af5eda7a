/**
 * Delivers Back-Channel Logout tokens (OIDC Back-Channel Logout 1.0 §2.5): each one POSTed as
 * `application/x-www-form-urlencoded` `logout_token=…`, a few at a time, each attempt bounded
 * by a timeout, retried with exponential backoff on network errors and 5xx (§2.8: a 5xx or no
 * answer says the RP could not act yet), given up on 2xx/3xx/4xx. Failures are logged by
 * client id and status, never with the token. Nothing here is awaited by a request.
 */
import type { Logger } from '../../core/logger.ts'
import type {
  BackChannelDelivery,
  BackChannelLogoutNotice,
} from '../../core/protocol/logout/back-channel-logout.ts'

export interface BackChannelSenderOptions {
  logger: Logger
  fetch?: (url: string, init: RequestInit) => Promise<Response>
  /** Waits between attempts; injectable so tests need not wait. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
  /** Notices delivered at the same time (default 4). */
  concurrency?: number
  /** Milliseconds one attempt may take (default 5000). */
  timeoutMs?: number
  /** Attempts after the first (default 3). */
  retries?: number
  /** The first backoff in milliseconds, doubled for each further retry (default 500). */
  backoffMs?: number
  /** The most notices kept waiting; beyond it new ones are dropped and logged (default 10 000). */
  maxQueued?: number
}

type Outcome = 'delivered' | 'retry' | 'refused'

export class BackChannelSender implements BackChannelDelivery {
  private readonly queue: BackChannelLogoutNotice[] = []
  private readonly idleWaiters: (() => void)[] = []
  private readonly stopped = new AbortController()
  private active = 0
  private readonly settings: Required<Omit<BackChannelSenderOptions, 'logger'>>

  constructor(private readonly options: BackChannelSenderOptions) {
    this.settings = {
      fetch: options.fetch ?? ((url, init) => fetch(url, init)),
      sleep: options.sleep ?? abortableSleep,
      concurrency: options.concurrency ?? 4,
      timeoutMs: options.timeoutMs ?? 5000,
      retries: options.retries ?? 3,
      backoffMs: options.backoffMs ?? 500,
      maxQueued: options.maxQueued ?? 10_000,
    }
  }

  send(notices: readonly BackChannelLogoutNotice[]): void {
    for (const notice of notices) {
      if (this.stopped.signal.aborted || this.queue.length >= this.settings.maxQueued) {
        this.options.logger.warn('logout.back_channel_dropped', { client_id: notice.clientId })
        continue
      }
      this.queue.push(notice)
    }
    this.pump()
  }

  /** Resolves once nothing is queued or in flight. */
  idle(): Promise<void> {
    if (this.active === 0 && this.queue.length === 0) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  /** Stops taking notices, lets those under way finish for up to `graceMs`, then abandons the rest. */
  async close(graceMs = 5000): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs)
    })
    await Promise.race([this.idle(), grace])
    clearTimeout(timer)
    this.stopped.abort()
    for (const notice of this.queue.splice(0)) {
      this.options.logger.warn('logout.back_channel_dropped', { client_id: notice.clientId })
    }
    await this.idle()
  }

  private pump(): void {
    while (this.active < this.settings.concurrency && this.queue.length > 0) {
      const notice = this.queue.shift()!
      this.active++
      void this.deliver(notice).finally(() => {
        this.active--
        this.pump()
        if (this.active === 0 && this.queue.length === 0) {
          for (const resolve of this.idleWaiters.splice(0)) resolve()
        }
      })
    }
  }

  private async deliver(notice: BackChannelLogoutNotice): Promise<void> {
    const { retries, backoffMs, sleep } = this.settings
    let last = ''
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) {
        try {
          await sleep(backoffMs * 2 ** (attempt - 1), this.stopped.signal)
        } catch {
          break
        }
      }
      const result = await this.attempt(notice)
      if (result.outcome === 'delivered') return
      last = result.reason
      if (result.outcome === 'refused' || this.stopped.signal.aborted) break
    }
    this.options.logger.warn('logout.back_channel_failed', {
      client_id: notice.clientId,
      host: hostOf(notice.uri),
      reason: last,
    })
  }

  private async attempt(notice: BackChannelLogoutNotice): Promise<{ outcome: Outcome; reason: string }> {
    try {
      const response = await this.settings.fetch(notice.uri, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ logout_token: notice.logoutToken }).toString(),
        // A redirect would carry the token to a URL nobody registered.
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(this.settings.timeoutMs), this.stopped.signal]),
      })
      await response.body?.cancel()
      if (response.status >= 200 && response.status < 300) return { outcome: 'delivered', reason: '' }
      return {
        outcome: response.status >= 500 ? 'retry' : 'refused',
        reason: `status ${response.status}`,
      }
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError'
      return { outcome: 'retry', reason: timedOut ? 'timed out' : 'network error' }
    }
  }
}

function hostOf(uri: string): string {
  try {
    return new URL(uri).host
  } catch {
    return ''
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop)
      resolve()
    }, ms)
    const stop = () => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    signal.addEventListener('abort', stop, { once: true })
  })
}
