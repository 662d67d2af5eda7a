/**
 * The Back-Channel Logout sender (OIDC Back-Channel Logout 1.0 §2.5, §2.8) with an injected
 * fetch and sleep: the form POST, retries with backoff on 5xx and network errors only, the
 * timeout per attempt, the concurrency bound, and logs that name the client but never the token.
 */
import { describe, expect, test } from 'bun:test'
import type { LogFields, Logger } from '../../../core/logger.ts'
import { BackChannelSender } from '../../../server/logout/back-channel-sender.ts'

interface Line {
  event: string
  fields?: LogFields | undefined
}

function recordingLogger(lines: Line[]): Logger {
  const write = (event: string, fields?: LogFields) => {
    lines.push({ event, fields })
  }
  const logger: Logger = { debug: write, info: write, warn: write, error: write, child: () => logger }
  return logger
}

const notice = (n: number) => ({
  clientId: `client-${n}`,
  uri: `https://rp${n}.example.test/bc`,
  logoutToken: `secret-token-${n}`,
})

describe('BackChannelSender', () => {
  test('POSTs logout_token as a form, without following redirects', async () => {
    const seen: { url: string; init: RequestInit }[] = []
    const sender = new BackChannelSender({
      logger: recordingLogger([]),
      fetch: async (url, init) => {
        seen.push({ url, init })
        return new Response(null, { status: 200 })
      },
    })
    sender.send([notice(1)])
    await sender.idle()
    expect(seen).toHaveLength(1)
    expect(seen[0]!.url).toBe('https://rp1.example.test/bc')
    expect(seen[0]!.init.method).toBe('POST')
    expect(new Headers(seen[0]!.init.headers).get('content-type')).toBe('application/x-www-form-urlencoded')
    expect(new URLSearchParams(String(seen[0]!.init.body)).get('logout_token')).toBe('secret-token-1')
    expect(seen[0]!.init.redirect).toBe('manual')
  })

  test('retries 5xx and network errors with doubling backoff, then logs the failure without the token', async () => {
    const lines: Line[] = []
    const waits: number[] = []
    let calls = 0
    const sender = new BackChannelSender({
      logger: recordingLogger(lines),
      retries: 3,
      backoffMs: 100,
      sleep: async (ms) => {
        waits.push(ms)
      },
      fetch: async () => {
        calls++
        if (calls % 2 === 0) throw new TypeError('connection refused')
        return new Response('oops', { status: 503 })
      },
    })
    sender.send([notice(1)])
    await sender.idle()
    expect(calls).toBe(4)
    expect(waits).toEqual([100, 200, 400])
    expect(lines.map((l) => l.event)).toEqual(['logout.back_channel_failed'])
    expect(lines[0]!.fields).toMatchObject({ client_id: 'client-1', host: 'rp1.example.test' })
    expect(JSON.stringify(lines)).not.toContain('secret-token')
  })

  test('a 4xx answer is final: no retry', async () => {
    const lines: Line[] = []
    let calls = 0
    const sender = new BackChannelSender({
      logger: recordingLogger(lines),
      sleep: async () => {},
      fetch: async () => {
        calls++
        return new Response(null, { status: 400 })
      },
    })
    sender.send([notice(1)])
    await sender.idle()
    expect(calls).toBe(1)
    expect(lines[0]!.fields?.reason).toBe('status 400')
  })

  test('an attempt that hangs is cut off by the timeout and retried', async () => {
    const lines: Line[] = []
    let calls = 0
    const sender = new BackChannelSender({
      logger: recordingLogger(lines),
      timeoutMs: 20,
      retries: 1,
      sleep: async () => {},
      fetch: (_url, init) => {
        calls++
        return new Promise((_resolve, reject) => {
          init.signal!.addEventListener('abort', () => reject(init.signal!.reason))
        })
      },
    })
    sender.send([notice(1)])
    await sender.idle()
    expect(calls).toBe(2)
    expect(lines[0]!.fields?.reason).toBe('timed out')
  })

  test('no more than `concurrency` deliveries are in flight; all of them are made', async () => {
    let inFlight = 0
    let most = 0
    const delivered: string[] = []
    const sender = new BackChannelSender({
      logger: recordingLogger([]),
      concurrency: 3,
      fetch: async (url) => {
        inFlight++
        most = Math.max(most, inFlight)
        await Bun.sleep(5)
        inFlight--
        delivered.push(url)
        return new Response(null, { status: 200 })
      },
    })
    sender.send(Array.from({ length: 10 }, (_, i) => notice(i)))
    await sender.idle()
    expect(most).toBe(3)
    expect(delivered).toHaveLength(10)
  })

  test('close() waits for deliveries under way, then drops the rest and takes no more', async () => {
    const lines: Line[] = []
    let release = () => {}
    const sender = new BackChannelSender({
      logger: recordingLogger(lines),
      concurrency: 1,
      fetch: (_url, init) =>
        new Promise((resolve, reject) => {
          release = () => resolve(new Response(null, { status: 200 }))
          init.signal!.addEventListener('abort', () => reject(init.signal!.reason))
        }),
    })
    sender.send([notice(1), notice(2)])
    await sender.close(30)
    sender.send([notice(3)])
    release()
    const dropped = lines
      .filter((l) => l.event === 'logout.back_channel_dropped')
      .map((l) => l.fields?.client_id)
    expect(dropped).toEqual(['client-2', 'client-3'])
  })
})
