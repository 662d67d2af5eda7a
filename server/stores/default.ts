/**
 * The store every role uses when neither the config nor the environment names one: the
 * operator contract's embedded libSQL file (its directory is created, its schema migrated).
 */
export const DEFAULT_STORE_URL = 'file:./data/portico.db'
