/**
 * docs/configuration.md promises every config key: walk the schema the server validates with
 * and find each key there, so a key added without a line in the reference fails here.
 */
import { expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type * as v from 'valibot'
import { configSchema } from '../../server/config/schema.ts'
import { repoRoot } from './fixtures/process.ts'

type Node = v.GenericSchema & {
  wrapped?: Node
  pipe?: Node[]
  getter?: (input: unknown) => Node
  item?: Node
  entries?: Record<string, Node>
}

/** Leaf keys (`signing.algorithms`) and keys inside list entries (`seed.clients[].clientId`). */
function keysOf(schema: Node | undefined, path: string, out: string[]): string[] {
  if (!schema) return out
  if (schema.type === 'optional') return keysOf(schema.wrapped, path, out)
  if (schema.pipe && schema.pipe[0] !== schema) return keysOf(schema.pipe[0], path, out)
  // Lazy schemas here choose between a string form and an object form: walk the object one.
  if (schema.type === 'lazy') return keysOf(schema.getter!({}), path, out)
  if (schema.type === 'array' && schema.item?.entries) {
    out.push(path)
    return keysOf(schema.item, `${path}[]`, out)
  }
  if (!schema.entries) {
    out.push(path)
    return out
  }
  for (const [key, entry] of Object.entries(schema.entries)) keysOf(entry, path ? `${path}.${key}` : key, out)
  return out
}

const doc = readFileSync(join(repoRoot, 'docs/configuration.md'), 'utf8')

/** The text under the heading that names `container` in backticks, up to the next heading. */
function section(container: string): string | undefined {
  const lines = doc.split('\n')
  const start = lines.findIndex((line) => /^#{2,4} /.test(line) && line.includes(`\`${container}\``))
  if (start < 0) return undefined
  const end = lines.findIndex((line, i) => i > start && /^#{2,4} /.test(line))
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n')
}

function documented(path: string): boolean {
  const at = path.lastIndexOf('[].')
  if (at < 0) {
    // `store.plugin` documents the same key of every `stores.<role>`.
    const key = path.replace(/^stores\.(configuration|operational|keys)\.(plugin|options)$/, 'store.$2')
    return doc.includes(`\`${key}\``)
  }
  const field = path.slice(at + 3)
  return section(path.slice(0, at + 2))?.includes(`\`${field}\``) ?? false
}

test('docs/configuration.md documents every key of the config schema', () => {
  const keys = keysOf(configSchema as unknown as Node, '', [])
  expect(keys.length).toBeGreaterThan(100)
  expect(keys).toContain('seed.clients[].clientSecrets[].expiration')
  expect(keys.filter((key) => !documented(key))).toEqual([])
})
