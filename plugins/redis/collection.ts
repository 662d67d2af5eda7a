/**
 * An indexed collection of expiring records (grants, sessions, device codes): each record a
 * hash with a TTL from its `expiresAt`, plus sorted-set indexes (member = record id, score =
 * `expiresAt`) and unique pointers, all under one bucket prefix and so in one Cluster slot.
 * Every operation is one Lua script, so it is atomic and costs one round trip.
 *
 * TTLs are `expiresAt − now` with `now` from the context clock: native expiry then agrees with
 * the clock reads are checked against, even when this process's clock and Redis's differ.
 */
import { checkExpiresAt } from '../../core/stores/expiry.ts'
import type { PurgeOptions } from '../../core/stores/operational.ts'
import type { RedisConnection, Script } from './connection.ts'
import { fromFields, toFields } from './records.ts'

/**
 * Shared by every script. ARGV[1] bucket prefix, ARGV[2] collection name, ARGV[3] indexed
 * fields (`=field` for a unique pointer), ARGV[4] now; scripts read their own from ARGV[5].
 * Names built here share the bucket's hash tag with the declared KEYS[1].
 */
export const prelude = `
local bp, coll, now = ARGV[1], ARGV[2], tonumber(ARGV[4])
local spec = {}
for f in string.gmatch(ARGV[3], '%S+') do spec[#spec + 1] = f end
local expiry = bp .. coll .. 's:expiry'

local function recordKey(id) return bp .. coll .. ':' .. id end
local function indexKey(f, v) return bp .. coll .. 's:' .. f .. ':' .. v end
local function ms(n) return string.format('%d', n) end

local function load(key)
  local flat = redis.call('HGETALL', key)
  if #flat == 0 then return nil, flat end
  local h = {}
  for i = 1, #flat, 2 do h[flat[i]] = flat[i + 1] end
  return h, flat
end

local function live(h) return h ~= nil and tonumber(h.expiresAt) > now end

local function fields(from)
  local h = {}
  for i = from, #ARGV, 2 do h[ARGV[i]] = ARGV[i + 1] end
  return h
end

-- Forgets a few members whose record Redis has already expired, so indexes stay bounded.
local function sweep(key)
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', key, '-inf', now, 'LIMIT', 0, 4)) do
    if redis.call('EXISTS', recordKey(id)) == 0 then redis.call('ZREM', key, id) end
  end
end

local function addTo(key, id, score, ttl)
  sweep(key)
  redis.call('ZADD', key, score, id)
  local left = redis.call('PTTL', key)
  if left < ttl then redis.call('PEXPIRE', key, ms(ttl)) end
end

local function index(id, h, ttl)
  for _, f in ipairs(spec) do
    if string.sub(f, 1, 1) == '=' then
      local v = h[string.sub(f, 2)]
      if v then redis.call('SET', indexKey(f, v), id, 'PX', ms(ttl)) end
    elseif h[f] then
      addTo(indexKey(f, h[f]), id, h.expiresAt, ttl)
    end
  end
  addTo(expiry, id, h.expiresAt, ttl)
end

local function unindex(id, h)
  for _, f in ipairs(spec) do
    if string.sub(f, 1, 1) == '=' then
      local v = h[string.sub(f, 2)]
      if v and redis.call('GET', indexKey(f, v)) == id then redis.call('DEL', indexKey(f, v)) end
    elseif h[f] then
      redis.call('ZREM', indexKey(f, h[f]), id)
    end
  end
  redis.call('ZREM', expiry, id)
end

local function drop(id)
  local h = load(recordKey(id))
  if not h then return 0 end
  unindex(id, h)
  redis.call('DEL', recordKey(id))
  return 1
end

-- Writes the record given as field/value pairs from ARGV[from]; an expired one is not kept.
local function write(id, h, from)
  local ttl = tonumber(h.expiresAt) - now
  if ttl <= 0 then return 0 end
  redis.call('HSET', recordKey(id), unpack(ARGV, from))
  redis.call('PEXPIRE', recordKey(id), ms(ttl))
  index(id, h, ttl)
  return 1
end
`

/** Creates or replaces. ARGV[5] id, ARGV[6..] fields. */
const put = `${prelude}
local id = ARGV[5]
drop(id)
return write(id, fields(6), 6)`

/** Creates unless the id or a unique value is held by a live record: -1 / -2 then. */
const create = `${prelude}
local id = ARGV[5]
local h = fields(6)
if live(load(recordKey(id))) then return -1 end
for _, f in ipairs(spec) do
  local v = string.sub(f, 1, 1) == '=' and h[string.sub(f, 2)]
  local holder = v and redis.call('GET', indexKey(f, v))
  if holder and holder ~= id then
    if live(load(recordKey(holder))) then return -2 end
    drop(holder)
  end
end
drop(id)
return write(id, h, 6)`

/**
 * Marks a live record consumed at now and returns {1, fields}; {0, fields} when it already
 * was (the marker stays until the record expires, so reuse is visible); nil when absent.
 */
const consume = `${prelude}
local h, flat = load(KEYS[1])
if not live(h) then return false end
if h.consumedAt then return {0, flat} end
redis.call('HSET', KEYS[1], 'consumedAt', ARGV[4])
flat[#flat + 1] = 'consumedAt'
flat[#flat + 1] = ARGV[4]
return {1, flat}`

/** Removes the record ARGV[5] and its index entries; 1 when it existed. */
const remove = `${prelude}
return drop(ARGV[5])`

/** The live record a unique pointer (KEYS[1]) names, or nil. */
const follow = `${prelude}
local id = redis.call('GET', KEYS[1])
if not id then return false end
local h, flat = load(recordKey(id))
if not live(h) then return false end
return flat`

/**
 * Walks the index KEYS[1]. ARGV[5] 'list' (live matches) or 'remove' (every match, expired or
 * not, counted); ARGV[6..] field/value pairs to match, the first being the index's own field.
 * Members whose record is gone or no longer carries the indexed value are dropped on the way.
 */
const select = `${prelude}
local removing = ARGV[5] == 'remove'
local out, removed = {}, 0
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local h, flat = load(recordKey(id))
  if h == nil or h[ARGV[6]] ~= ARGV[7] then
    redis.call('ZREM', KEYS[1], id)
  else
    local match = true
    for i = 8, #ARGV, 2 do
      if h[ARGV[i]] ~= ARGV[i + 1] then match = false end
    end
    if match and removing then
      unindex(id, h)
      redis.call('DEL', recordKey(id))
      removed = removed + 1
    elseif match and live(h) then
      out[#out + 1] = flat
    end
  end
end
if removing then return removed end
return out`

/** Removes up to ARGV[6] records with expiresAt <= ARGV[5]; returns {seen, removed}. */
const purge = `${prelude}
local before = tonumber(ARGV[5])
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[5], 'LIMIT', 0, tonumber(ARGV[6]))
local removed = 0
for _, id in ipairs(ids) do
  local h = load(recordKey(id))
  if h == nil then
    redis.call('ZREM', KEYS[1], id)
  elseif tonumber(h.expiresAt) <= before then
    unindex(id, h)
    redis.call('DEL', recordKey(id))
    removed = removed + 1
  else
    redis.call('ZADD', KEYS[1], h.expiresAt, id)
  end
end
return {#ids, removed}`

/** Updates fields ARGV[6..] of the live record ARGV[5] and re-times it from its new expiresAt. */
const update = `${prelude}
local id = ARGV[5]
local h = load(KEYS[1])
if not live(h) then return 0 end
for k, v in pairs(fields(6)) do h[k] = v end
local ttl = tonumber(h.expiresAt) - now
if ttl <= 0 then
  drop(id)
  return 1
end
redis.call('HSET', KEYS[1], unpack(ARGV, 6))
redis.call('PEXPIRE', KEYS[1], ms(ttl))
index(id, h, ttl)
return 1`

export type ConsumeReply = [0 | 1, string[]] | null

export interface CollectionSpec {
  /** Singular name used in keys: `grant` → `…:grant:<id>`, `…:grants:<field>:<value>`. */
  name: string
  /**
   * Fields with a sorted-set index; `=field` for a unique pointer to the record. A pointer is
   * found by its value alone, so a collection with pointers must keep all records in one bucket.
   */
  indexes: readonly string[]
  /** Properties stored as numbers. */
  numeric: readonly string[]
}

export class Collection<T extends { expiresAt: number }> {
  readonly #scripts: Record<
    'put' | 'create' | 'consume' | 'remove' | 'follow' | 'select' | 'purge' | 'update',
    Script
  >

  constructor(
    private readonly connection: RedisConnection,
    readonly spec: CollectionSpec,
    private readonly now: () => number,
    /** The bucket prefix of a record id. */
    private readonly bucketOf: (id: string) => string,
    /** Every bucket prefix, for filters. */
    private readonly buckets: () => string[],
  ) {
    const define = (name: string, lua: string) => connection.script(`portico_${name}`, 1, lua)
    this.#scripts = {
      put: define('put', put),
      create: define('create', create),
      consume: define('consume', consume),
      remove: define('remove', remove),
      follow: define('follow', follow),
      select: define('select', select),
      purge: define('purge', purge),
      update: define('update', update),
    }
  }

  recordKey(id: string): string {
    return `${this.bucketOf(id)}${this.spec.name}:${id}`
  }

  #indexKey(bucket: string, field: string, value: string): string {
    return `${bucket}${this.spec.name}s:${field}:${value}`
  }

  #args(bucket: string): (string | number)[] {
    return [bucket, this.spec.name, this.spec.indexes.join(' '), this.now()]
  }

  decode(flat: unknown): T | undefined {
    return fromFields<T>(flat, this.spec.numeric)
  }

  /** Creates or replaces the record. */
  async put(id: string, record: T): Promise<void> {
    checkExpiresAt(`${this.spec.name}.put`, record.expiresAt)
    const bucket = this.bucketOf(id)
    await this.#scripts.put([this.recordKey(id)], [...this.#args(bucket), id, ...toFields(record)])
  }

  /** 'ok', or which uniqueness rule a live record already holds. */
  async create(id: string, record: T): Promise<'ok' | 'id-taken' | 'unique-taken'> {
    checkExpiresAt(`${this.spec.name}.create`, record.expiresAt)
    const bucket = this.bucketOf(id)
    const reply = await this.#scripts.create(
      [this.recordKey(id)],
      [...this.#args(bucket), id, ...toFields(record)],
    )
    return reply === -1 ? 'id-taken' : reply === -2 ? 'unique-taken' : 'ok'
  }

  async get(id: string): Promise<T | undefined> {
    const flat = await this.connection.run((client) => client.hgetall(this.recordKey(id)))
    const record = fromFields<T>(Object.entries(flat).flat(), this.spec.numeric)
    return record && record.expiresAt > this.now() ? record : undefined
  }

  async consume(id: string): Promise<{ won: boolean; record: T } | undefined> {
    const reply = (await this.#scripts.consume(
      [this.recordKey(id)],
      this.#args(this.bucketOf(id)),
    )) as ConsumeReply
    const record = reply ? this.decode(reply[1]) : undefined
    return reply && record ? { won: reply[0] === 1, record } : undefined
  }

  async remove(id: string): Promise<boolean> {
    const bucket = this.bucketOf(id)
    return (await this.#scripts.remove([this.recordKey(id)], [...this.#args(bucket), id])) === 1
  }

  /** The live record a unique field's value points to (all records of such a collection share one bucket). */
  async follow(field: string, value: string): Promise<T | undefined> {
    const bucket = this.bucketOf(value)
    const reply = await this.#scripts.follow([this.#indexKey(bucket, `=${field}`, value)], this.#args(bucket))
    return this.decode(reply)
  }

  /** Updates some fields of a live record; false when absent or expired. */
  async update(id: string, changes: Partial<T>): Promise<boolean> {
    // The TTL is recomputed from a new expiresAt in Lua, where an overflow turns negative.
    if (changes.expiresAt !== undefined) checkExpiresAt(`${this.spec.name}.update`, changes.expiresAt)
    const bucket = this.bucketOf(id)
    const reply = await this.#scripts.update(
      [this.recordKey(id)],
      [...this.#args(bucket), id, ...toFields(changes)],
    )
    return reply === 1
  }

  /** The key of a unique pointer, for a collection's own scripts that start from one. */
  pointerKey(field: string, value: string): string {
    return this.#indexKey(this.bucketOf(value), `=${field}`, value)
  }

  /** ARGV[1..4] that the prelude expects, for a collection's own scripts. */
  preludeArgs(id: string): (string | number)[] {
    return this.#args(this.bucketOf(id))
  }

  /** Live records matching every pair; `pairs[0]` must be an indexed field. One script per bucket. */
  async list(pairs: readonly [string, string][]): Promise<T[]> {
    const replies = await this.#selectAll('list', pairs)
    return replies.flatMap((reply) => (reply as unknown[]).map((flat) => this.decode(flat)!))
  }

  /** Removes every record matching every pair, expired or not; returns how many. */
  async removeAll(pairs: readonly [string, string][]): Promise<number> {
    const replies = await this.#selectAll('remove', pairs)
    return replies.reduce<number>((sum, count) => sum + Number(count), 0)
  }

  #selectAll(mode: 'list' | 'remove', pairs: readonly [string, string][]): Promise<unknown[]> {
    const [field, value] = pairs[0]!
    const flat = pairs.flat()
    return Promise.all(
      this.buckets().map((bucket) =>
        this.#scripts.select([this.#indexKey(bucket, field, value)], [...this.#args(bucket), mode, ...flat]),
      ),
    )
  }

  /** Removes records with `expiresAt <= before`, `batchSize` per script call; returns how many. */
  async purge({ before, batchSize }: PurgeOptions): Promise<number> {
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`purgeExpired: batchSize must be a positive integer, got ${batchSize}`)
    }
    let removed = 0
    for (const bucket of this.buckets()) {
      const expiry = `${bucket}${this.spec.name}s:expiry`
      for (;;) {
        const [seen, gone] = (await this.#scripts.purge(
          [expiry],
          [...this.#args(bucket), before, batchSize],
        )) as [number, number]
        removed += gone
        if (seen < batchSize) break
      }
    }
    return removed
  }
}
