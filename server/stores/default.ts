/**
 * The store every role uses when neither the config nor the environment names one.
 * The operator contract's default is libSQL on `file:./data/portico.db`; it moves there once
 * that plugin passes the conformance kit (a one-line change here).
 */
export const DEFAULT_STORE_URL = 'memory:'
