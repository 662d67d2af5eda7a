/**
 * The longest identifier Portico accepts: client ids, subjects, usernames, scope and resource
 * names, session ids. Stores index these, and an index entry has a size limit (Postgres's
 * B-tree: about 2.7 KB per entry, two such columns per composite index); at 3 UTF-8 bytes per
 * UTF-16 code unit at most, 200 units is 600 bytes. Duende IdentityServer caps client ids and
 * usernames at 100 (`InputLengthRestrictions`); ours leaves room for URI-shaped names.
 */
export const identifierMaxLength = 200

/** Whether `value` is longer than `identifierMaxLength` UTF-16 code units. */
export function identifierTooLong(value: string): boolean {
  return value.length > identifierMaxLength
}
