import type { Client } from '../../core/models/client.ts'
import type { ClientStore } from '../../core/stores/configuration.ts'
import { compareCodePoints } from '../../core/stores/order.ts'
import type { RedisConnection } from './connection.ts'
import type { Keyspace } from './keyspace.ts'

/** Clients as JSON in one hash by clientId. */
export function redisClientStore(connection: RedisConnection, keyspace: Keyspace): ClientStore {
  const key = `${keyspace.config}clients`
  return {
    async findClientById(clientId) {
      const json = await connection.run((client) => client.hget(key, clientId))
      return json === null ? undefined : (JSON.parse(json) as Client)
    },
    async list() {
      const values = await connection.run((client) => client.hvals(key))
      return values
        .map((json) => JSON.parse(json) as Client)
        .sort((a, b) => compareCodePoints(a.clientId, b.clientId))
    },
    async upsert(value) {
      await connection.run((client) => client.hset(key, value.clientId, JSON.stringify(value)))
    },
    async remove(clientId) {
      return (await connection.run((client) => client.hdel(key, clientId))) === 1
    },
  }
}
