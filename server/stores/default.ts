import { join } from 'node:path'

/**
 * The store every role uses when neither the config nor the environment names one: the
 * operator contract's embedded libSQL file, `portico.db` in `dataDir` (`./data` by default;
 * its directory is created 0700, the file 0600, its schema migrated).
 */
export function defaultStoreUrl(dataDir: string): string {
  return `file:${join(dataDir, 'portico.db')}`
}
