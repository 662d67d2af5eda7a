/**
 * Where every record lives in Redis. All names start with `prefix` (default `portico:`), so
 * several deployments can share one Redis and an ACL such as `~portico:*` covers Portico.
 *
 * Redis Cluster runs a multi-key script only when every key it touches hashes to one slot, and
 * only the text between the first `{` and `}` of a name is hashed (the hash tag). Lookups by key
 * alone (`get`, `consume`, `remove` take nothing but the digest) decide where a record lives, so
 * records cannot be tagged by subject without a second round trip to find the subject first.
 * Instead records keyed by a digest are spread over `buckets` hash tags chosen from that key,
 * and each bucket keeps its own indexes next to its records:
 *
 *   portico:{3}:grant:<key>                  hash: the persisted grant, PX from expiresAt
 *   portico:{3}:grants:subjectId:<subject>   zset: member grant key, score expiresAt
 *   portico:{3}:grants:clientId:<client>     zset  (likewise sessionId, type)
 *   portico:{3}:grants:expiry                zset: every grant of the bucket, for purgeExpired
 *   portico:{3}:session:<key>                hash: the user session
 *   portico:{3}:sessions:subjectId:<subject> zset  (likewise sessionId; and sessions:expiry)
 *   portico:{3}:replay:<id>                  hash: a replay-cache id's expiresAt (and replays:expiry)
 *
 * So a grant and every index entry it owns share one slot: storing, consuming and removing it
 * are one atomic script. A filter (`getAll`, `removeAll`, `listBySubject`, `findBySessionId`)
 * runs one script per bucket, sent together: one round trip standalone, one per node on Cluster.
 * With the default of one bucket there is no fan-out at all; a Cluster deployment raises
 * `buckets` (16 spreads grants over 16 slots). Low-volume data sits in one fixed tag each:
 *
 *   portico:{device}:device:<deviceCodeKey>     hash: RFC 8628 device code record
 *   portico:{device}:devices:=userCode:<code>   string: the record's deviceCodeKey
 *   portico:{device}:devices:expiry             zset
 *   portico:{keys}:records / portico:{keys}:versions        hashes: key ring, by id
 *   portico:{config}:clients, :identity-resources, :api-scopes, :api-resources   hashes of JSON
 *   portico:{config}:api-resources:scope:<scope>            set: API resource names (by-scope lookup)
 *   portico:{config}:users, :users:lockout, :users:name, :users:name-of         hashes
 *
 * Index entries are hints, never the truth: every read loads the record and checks it (fields
 * and `expiresAt` against the context clock). Members whose record Redis has expired are
 * dropped when a filter meets them and, a few at a time, on every write to that index; each
 * index carries a TTL as long as its longest-lived member, so an idle index expires as well.
 */

/** Hash tag text is chosen by us, so a prefix must not contain braces of its own. */
export function assertPrefix(prefix: string): void {
  if (/[{}]/.test(prefix)) throw new TypeError(`redis prefix must not contain "{" or "}": ${prefix}`)
}

export class Keyspace {
  constructor(
    readonly prefix: string,
    readonly buckets: number,
  ) {
    assertPrefix(prefix)
    if (!Number.isInteger(buckets) || buckets < 1 || buckets > 16384) {
      throw new RangeError(`redis buckets must be an integer from 1 to 16384, got ${buckets}`)
    }
  }

  /** The bucket prefix (`portico:{3}:`) of a record keyed by a digest. */
  bucketOf(key: string): string {
    return this.bucket(this.buckets === 1 ? 0 : fnv1a(key) % this.buckets)
  }

  bucket(index: number): string {
    return `${this.prefix}{${index}}:`
  }

  /** Every bucket prefix, for filters that fan out. */
  allBuckets(): string[] {
    return Array.from({ length: this.buckets }, (_, index) => this.bucket(index))
  }

  /** Device codes are found by device code and by user code, so all of them share one tag. */
  get device(): string {
    return `${this.prefix}{device}:`
  }

  get keys(): string {
    return `${this.prefix}{keys}:`
  }

  get config(): string {
    return `${this.prefix}{config}:`
  }
}

/** FNV-1a (32-bit): cheap, stable across processes and versions, evenly spread. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}
