/**
 * Configuration mistakes, each reported as one line `path: what is wrong (given X, allowed Y)`.
 * The server and the CLI print them and exit with status 2, without a stack trace.
 */
import type { BaseIssue } from 'valibot'

export interface Problem {
  /** `seed.clients[0].redirectUris[1]`, or an environment variable's name. */
  path: string
  message: string
}

export class ConfigError extends Error {
  override name = 'ConfigError'
  constructor(
    readonly problems: Problem[],
    /** The file the problems are in, when there is one. */
    readonly source?: string,
  ) {
    super(problems.map(formatProblem).join('\n'))
  }
}

export function formatProblem(problem: Problem): string {
  return `${problem.path}: ${problem.message}`
}

/** `['seed', 'clients', 0, 'clientId']` -> `seed.clients[0].clientId`; the root is `config`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else out += out ? `.${String(key)}` : String(key)
  }
  return out || 'config'
}

/** Valibot issues as problems; `sources` renames paths that came from environment variables. */
export function problemsFromIssues(
  issues: readonly BaseIssue<unknown>[],
  sources: ReadonlyMap<string, string> = new Map(),
): Problem[] {
  return issues.map((issue) => {
    const keys = (issue.path ?? []).map((item) => item.key as PropertyKey)
    const path = formatPath(keys)
    const source = [...sources].find(
      ([prefix]) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`),
    )
    return { path: source ? source[1] : path, message: issue.message }
  })
}

/** What the server and the CLI print for a ConfigError: a heading, then one problem per line. */
export function reportConfigError(error: ConfigError): string {
  const heading = error.source ? `invalid configuration in ${error.source}` : 'invalid configuration'
  return [`portico: ${heading}`, ...error.problems.map((problem) => `  ${formatProblem(problem)}`)].join('\n')
}
