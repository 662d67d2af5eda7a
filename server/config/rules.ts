/**
 * Valibot building blocks whose messages follow `what is wrong (given X, allowed Y)`, so
 * every schema in this folder reports mistakes the same way. `given` is valibot's
 * rendering of the input (`"abc"`, `42`, `Object`).
 */
import * as v from 'valibot'
import { identifierMaxLength } from '../../core/models/identifier.ts'
import { optionRules } from '../../core/stores/options.ts'
import { proxyRange } from '../middleware/trusted-proxies.ts'

/** The blocks plugin option schemas use too (core/stores/options.ts), so both read alike. */
export const { text, flag, integer, oneOf, strict } = optionRules

export const nonEmpty = () => v.pipe(text(), v.minLength(1, 'must not be empty'))

/** A client id, subject, username, scope or resource name: capped as core caps it, never echoed. */
export const identifier = () =>
  v.pipe(
    nonEmpty(),
    v.maxLength(
      identifierMaxLength,
      (i) =>
        `is too long (given ${(i.input as string).length} characters, allowed at most ${identifierMaxLength})`,
    ),
  )

/** A string whose value must never be echoed in a message (secrets, passwords). */
export const secretText = () =>
  v.pipe(
    v.string((i) => `must be a string (given ${typeof i.input === 'object' ? i.received : typeof i.input})`),
    v.minLength(1, 'must not be empty'),
  )

export function list<T extends v.GenericSchema>(item: T) {
  return v.array(item, (i) => `must be a list (given ${i.received})`)
}

/** Like `list`, and each entry at most once. */
export function uniqueList<T extends v.GenericSchema<unknown, string>>(item: T) {
  return v.pipe(
    list(item),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return
      const seen = new Set<string>()
      dataset.value.forEach((value, index) => {
        if (seen.has(value)) {
          addIssue({
            message: `appears twice (given ${JSON.stringify(value)})`,
            path: [
              { type: 'array', origin: 'value', input: dataset.value, key: index, value } as v.ArrayPathItem,
            ],
          })
        }
        seen.add(value)
      })
    }),
  )
}

export const stringMap = () =>
  v.record(text(), text(), (i) => `must be an object of strings (given ${i.received})`)

/** An absolute URI (custom schemes allowed, as native apps use them, RFC 8252 §7.1). */
export const absoluteUri = () =>
  v.pipe(
    text(),
    v.check(
      (value) => URL.canParse(value),
      (i) => `must be an absolute URL (given ${i.received})`,
    ),
  )

/** An http(s) URL without query or fragment: an issuer (OpenID Connect Discovery §3). */
export const issuerUrl = () =>
  v.pipe(
    text(),
    v.check(
      (value) => {
        if (!URL.canParse(value)) return false
        const url = new URL(value)
        return (url.protocol === 'https:' || url.protocol === 'http:') && !url.search && !url.hash
      },
      (i) => `must be an http(s) URL without query or fragment (given ${i.received})`,
    ),
    v.transform((value) => value.replace(/\/+$/, '')),
  )

/** A host as a URL holds it (`id.example.com`, `localhost:3000`, `[::1]:8443`), or `*` for any. */
export const allowedHost = () =>
  v.pipe(
    text(),
    v.check(
      (value) => value === '*' || URL.parse(`http://${value}`)?.host === value.toLowerCase(),
      (i) => `must be a host with an optional port, or "*" (given ${i.received})`,
    ),
    v.transform((value) => value.toLowerCase()),
  )

/** A `trustProxy` entry: an address or a CIDR range (`10.0.0.0/8`, `fd00::/8`). */
export const proxyAddress = () =>
  v.pipe(
    text(),
    v.check(
      (value) => proxyRange(value) !== undefined,
      (i) => `must be an IP address or CIDR range (given ${i.received})`,
    ),
  )
