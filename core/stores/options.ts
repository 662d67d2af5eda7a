/**
 * A plugin's options, declared once with `definePlugin({ options })`, so Portico checks what an
 * operator wrote before `create()` runs and reports each mistake as a configuration line
 * (`stores.operational.options.prefx: unknown key (allowed url, prefix, …)`, exit status 2),
 * never as a plugin's stack trace or a silently ignored key.
 *
 * Any Standard Schema works (valibot, zod, arktype). Portico's own config uses valibot, and the
 * builders below give valibot's messages the config's shape, `what is wrong (given X, allowed Y)`.
 *
 * @example
 * import * as v from 'valibot'
 * import { definePlugin, optionRules as o } from 'portico'
 *
 * export default definePlugin({
 *   name: 'acme',
 *   options: o.strict({ url: o.url(['acme:']), prefix: v.optional(o.text()) }),
 *   ...
 * })
 */
import * as v from 'valibot'

/** The Standard Schema (v1) interface, as far as Portico uses it. */
export interface OptionsSchema<Output = unknown> {
  readonly '~standard': {
    readonly validate: (value: unknown) => OptionsResult<Output> | Promise<OptionsResult<Output>>
  }
}

export type OptionsResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: readonly OptionsIssue[] }

export interface OptionsIssue {
  readonly message: string
  readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined
}

type Entries = v.ObjectEntries

const text = () => v.string((i) => `must be a string (given ${i.received})`)

const flag = () => v.boolean((i) => `must be true or false (given ${i.received})`)

function integer(min: number, max?: number) {
  const allowed = max === undefined ? `at least ${min}` : `${min} to ${max}`
  const tooSmall = (i: v.BaseIssue<unknown>) => `is out of range (given ${i.received}, allowed ${allowed})`
  const number = v.pipe(
    v.number((i) => `must be a number (given ${i.received}, allowed ${allowed})`),
    v.integer((i) => `must be a whole number (given ${i.received})`),
    v.minValue(min, tooSmall),
  )
  return max === undefined ? number : v.pipe(number, v.maxValue(max, tooSmall))
}

function oneOf<const T extends readonly string[]>(options: T) {
  return v.picklist(options, (i) => `is not allowed (given ${i.received}, allowed ${options.join(', ')})`)
}

/**
 * An object whose unknown keys are errors, naming the keys that are allowed (or `allowed`,
 * when the list is better told in words).
 */
function strict<const E extends Entries>(entries: E, allowed = Object.keys(entries).join(', ')) {
  return v.strictObject(entries, (i) =>
    i.expected === 'never' ? `unknown key (allowed ${allowed})` : `must be an object (given ${i.received})`,
  )
}

/** A URL whose scheme is one of `schemes` (`['postgres:', 'postgresql:']`). Never echoed: it may hold a password. */
function url(schemes: readonly string[]) {
  return v.pipe(
    v.string((i) => `must be a URL (given ${i.received})`),
    v.check(
      (value) => URL.canParse(value) && schemes.includes(new URL(value).protocol),
      () => `must be a ${schemes.map((s) => `${s}//`).join(' or ')} URL`,
    ),
  )
}

/** Valibot building blocks with the config's message shape, for plugin option schemas. */
export const optionRules = { text, flag, integer, oneOf, strict, url }
