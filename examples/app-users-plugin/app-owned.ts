/**
 * The one decision this plugin makes about writes: rows of the application's tables are the
 * application's. Portico reads them; an `upsert` or `remove` that would change one is refused
 * with this error, so an operator's seed or `bun run portico clients remove` says clearly where
 * the record must be changed instead of silently diverging from the application.
 */
export class AppOwnedError extends Error {
  readonly code = 'ERR_APP_OWNED'
  override name = 'AppOwnedError'
}
