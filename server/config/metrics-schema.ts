/**
 * The `metrics` config section: Prometheus metrics at `GET /metrics` (docs/metrics.md). Off by
 * default; an operator who must not expose them publicly requires a bearer token, moves them to
 * a listener of their own, or both.
 */
import * as v from 'valibot'
import { flag, integer, secretText, strict } from './rules.ts'

export const metricsEntries = {
  metrics: v.optional(
    strict({
      enabled: v.optional(flag(), false),
      /** Scrapes must send `Authorization: Bearer <token>`; others get 401. */
      bearerToken: v.optional(secretText()),
      /** Serve `/metrics` on this port only (its own listener), not on the main one; 0 picks a free port. */
      port: v.optional(integer(0, 65535)),
    }),
    {},
  ),
}
