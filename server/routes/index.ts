/**
 * Where the protocol endpoints join the app. Each endpoint is a thin file beside this one
 * (`token.ts`, `authorize.ts` …) over core/protocol; register it here with one line.
 */
import type { Hono } from 'hono'
import type { PorticoDeps, PorticoEnv } from '../app.ts'

export function mountProtocolRoutes(_app: Hono<PorticoEnv>, _deps: PorticoDeps): void {}
