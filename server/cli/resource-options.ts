/**
 * What `scopes`, `identity-resources` and `resources` share: the options of IdentityServer's
 * resource base (display name, description, user claims, discovery) and one table layout.
 */
import * as v from 'valibot'
import type { ApiScope, IdentityResource } from '../../core/models/resources.ts'
import type { ResourceStore } from '../../core/stores/configuration.ts'
import { problemsFromIssues } from '../config/problems.ts'
import { UsageError } from './command.ts'
import { invalidInput } from './context.ts'
import { formatTable } from './table.ts'

export const resourceOptions = {
  'display-name': { type: 'string' },
  description: { type: 'string' },
  claim: { type: 'string', multiple: true },
  hidden: { type: 'boolean' },
  replace: { type: 'boolean' },
} as const

/** Options of a scope-like resource (API scopes and identity resources). */
export const scopeOptions = {
  ...resourceOptions,
  required: { type: 'boolean' },
  emphasize: { type: 'boolean' },
} as const

interface ResourceValues {
  'display-name'?: string | undefined
  description?: string | undefined
  claim?: string[] | undefined
  hidden?: boolean | undefined
  required?: boolean | undefined
  emphasize?: boolean | undefined
}

/** The seed-shaped entry the options describe, checked by the seed's schema for it. */
export function resourceInput<S extends v.GenericSchema>(
  what: string,
  schema: S,
  name: string,
  values: ResourceValues,
  extra: Record<string, unknown> = {},
): v.InferOutput<S> {
  const input: Record<string, unknown> = { name, ...extra }
  if (values['display-name'] !== undefined) input.displayName = values['display-name']
  if (values.description !== undefined) input.description = values.description
  if (values.claim) input.userClaims = values.claim
  if (values.hidden) input.showInDiscoveryDocument = false
  if (values.required) input.required = true
  if (values.emphasize) input.emphasize = true
  const parsed = v.safeParse(schema, input, { abortEarly: false })
  if (!parsed.success) throw invalidInput(what, problemsFromIssues(parsed.issues))
  return parsed.output
}

/**
 * A warning per scope no API scope or identity resource defines yet: a client or resource may
 * name it first, but a token request for it is refused with invalid_scope until it exists.
 */
export async function warnUndefinedScopes(
  resources: ResourceStore,
  names: readonly string[],
  identity = true,
): Promise<void> {
  const known = new Set([
    ...(await resources.findApiScopesByName(names)).map((scope) => scope.name),
    ...(identity ? await resources.findIdentityResourcesByScopeName(names) : []).map((scope) => scope.name),
  ])
  for (const name of names.filter((name) => !known.has(name))) {
    console.error(`portico: warning: no scope "${name}" yet (add it: portico scopes add ${name})`)
  }
}

export function oneName(command: string, positionals: string[]): string {
  const [name, ...extra] = positionals
  if (!name || extra.length) throw new UsageError(`${command} takes exactly one <name>`)
  return name
}

/** API scopes and identity resources: one row each. */
export function scopeTable(scopes: readonly (ApiScope | IdentityResource)[]): string {
  const rows = scopes.map((scope) => [
    scope.name,
    scope.displayName ?? '-',
    [
      scope.required && 'required',
      scope.emphasize && 'emphasize',
      !scope.enabled && 'disabled',
      !scope.showInDiscoveryDocument && 'hidden',
    ]
      .filter(Boolean)
      .join(',') || '-',
    // Last: profile's claims are a long line.
    scope.userClaims.join(',') || '-',
  ])
  return formatTable([['NAME', 'DISPLAY NAME', 'FLAGS', 'CLAIMS'], ...rows])
}
