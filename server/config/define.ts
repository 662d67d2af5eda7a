/**
 * For `portico.config.ts` files: type checking and completion for the config's shape.
 *
 * @example
 * import { defineConfig } from 'portico/config'
 * export default defineConfig({ port: 4100, store: 'postgres://root@127.0.0.1:5432/test' })
 */
import type { ConfigInput } from './schema.ts'

export type { ConfigInput }

export function defineConfig(config: ConfigInput): ConfigInput {
  return config
}
