/**
 * A store that cannot be loaded or opened at start. Its message is one line for operators
 * (`operational store "postgres" (127.0.0.1:5432): connection refused`): the server prints
 * it and exits 1, without a stack trace and without any password from the store's URL.
 */
export class PluginLoadError extends Error {
  override name = 'PluginLoadError'
}
