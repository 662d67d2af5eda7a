/**
 * The configuration file's shape (operator contract), with its defaults. Unknown keys are
 * errors. Durations are in seconds.
 */
import * as v from 'valibot'
import { logLevels } from '../logging/logger.ts'
import { storeFromUrl, storeUrlScheme, storeUrlSchemes } from '../stores/url.ts'
import { metricsEntries } from './metrics-schema.ts'
import {
  allowedHost,
  flag,
  integer,
  issuerUrl,
  nonEmpty,
  oneOf,
  proxyAddress,
  secretText,
  strict,
  uniqueList,
} from './rules.ts'
import { seedSchema, signingAlgorithms } from './seed-schema.ts'
import { signInEntries } from './sign-in-schema.ts'
import { uiEntries } from './ui-schema.ts'

const day = 86_400

const storeObject = strict({
  /** `memory`, `libsql`, `postgres`, `redis`, an npm package or a path to a module. */
  plugin: nonEmpty(),
  options: v.optional(
    v.record(v.string(), v.unknown(), (i) => `must be an object (given ${i.received})`),
    {},
  ),
})

/** A store is `{ plugin, options }` or a URL whose scheme picks the plugin (`postgres://…`). */
export const storeSchema = v.lazy((input) =>
  typeof input === 'string'
    ? v.pipe(
        v.string(),
        v.check(
          (url) => storeFromUrl(url) !== undefined,
          (i) =>
            `unknown store URL scheme (given ${JSON.stringify(storeUrlScheme(i.input as string) ?? '')}, allowed ${storeUrlSchemes.join(', ')})`,
        ),
        v.transform((url) => storeFromUrl(url)!),
      )
    : storeObject,
)

export const configSchema = strict({
  /** The public origin; taken from each request when absent (design: Public origin). */
  issuer: v.optional(issuerUrl()),
  /** 0 picks a free port. */
  port: v.optional(integer(0, 65535), 3000),
  hostname: v.optional(nonEmpty(), '0.0.0.0'),
  /** Addresses or CIDR ranges whose Forwarded / X-Forwarded-* headers are believed. */
  trustProxy: v.optional(uniqueList(proxyAddress()), []),
  /** Hosts a request-derived issuer may have (others get 400); `["*"]` any. Needed in production without `issuer`. */
  allowedHosts: v.optional(uniqueList(allowedHost()), []),
  /** One store for every role … */
  store: v.optional(storeSchema),
  /** … or one per role; a role given here wins over `store`. */
  stores: v.optional(
    strict({
      configuration: v.optional(storeSchema),
      operational: v.optional(storeSchema),
      keys: v.optional(storeSchema),
    }),
  ),
  /** Encrypts key material at rest (PORTICO_KEY_SECRET). */
  keySecret: v.optional(secretText()),
  /** Where local state lives (the default libSQL file, development key material). */
  dataDir: v.optional(nonEmpty(), './data'),
  signing: v.optional(
    strict({
      algorithms: v.optional(
        v.pipe(uniqueList(oneOf(signingAlgorithms)), v.minLength(1, 'must name at least one algorithm')),
        ['RS256', 'ES256'],
      ),
      /** The algorithm of access tokens for API resources that do not choose one. */
      accessTokenAlgorithm: v.optional(oneOf(signingAlgorithms), 'ES256'),
      /** How long a new key is announced in the JWKS before it signs. */
      propagationTime: v.optional(integer(0), 14 * day),
      rotationInterval: v.optional(integer(60), 90 * day),
      /** How long a retired key stays published (longer than any token it signed lives). */
      retentionDuration: v.optional(integer(0), 14 * day),
    }),
    {},
  ),
  dataProtection: v.optional(
    strict({
      rotationInterval: v.optional(integer(60), 90 * day),
      /** Retired data-protection keys still decrypt what they protected. */
      retentionDuration: v.optional(integer(0), 90 * day),
    }),
    {},
  ),
  cache: v.optional(
    strict({
      /** Client and resource lookups; 0 disables the cache. */
      ttlSeconds: v.optional(integer(0), 60),
      /** How often the key ring reloads keys from the keys store (rotations, revocations by others). */
      keyRefreshSeconds: v.optional(integer(1, 86_400), 60),
    }),
    {},
  ),
  clientAssertion: v.optional(
    strict({
      /** How far ahead of its iat (or now) a private_key_jwt assertion may expire. */
      maxLifetime: v.optional(integer(1, 3600), 300),
    }),
    {},
  ),
  /** RFC 9449 DPoP: server nonces for every client, and how far a proof's iat may lie from now. */
  dpop: v.optional(
    strict({
      nonces: v.optional(flag(), false),
      proofWindowSeconds: v.optional(integer(1, 3600), 300),
    }),
    {},
  ),
  cleanup: v.optional(
    strict({
      enabled: v.optional(flag(), true),
      intervalSeconds: v.optional(integer(1), 3600),
      batchSize: v.optional(integer(1), 1000),
    }),
    {},
  ),
  migrate: v.optional(strict({ auto: v.optional(flag(), true) }), {}),
  log: v.optional(strict({ level: v.optional(oneOf(logLevels), 'info') }), {}),
  shutdownTimeoutSeconds: v.optional(integer(0), 10),
  /** Pushed authorization requests (RFC 9126). */
  par: v.optional(
    strict({
      /** Every client must push its authorization requests (require_pushed_authorization_requests). */
      required: v.optional(flag(), false),
      /** Seconds a request_uri stays usable (RFC 9126 §2.2 suggests 5 to 600). */
      lifetimeSeconds: v.optional(integer(5, 600), 60),
    }),
    {},
  ),
  seed: v.optional(seedSchema, {}),
  ...signInEntries,
  ...metricsEntries,
  ...uiEntries,
})

export type ConfigInput = v.InferInput<typeof configSchema>
export type ConfigOutput = v.InferOutput<typeof configSchema>
