import type { Client } from '../../core/models/client.ts'
import type { ClientStore } from '../../core/stores/configuration.ts'
import { copy, type MemoryLifecycle } from './lifecycle.ts'

export function memoryClientStore(life: MemoryLifecycle): ClientStore {
  const clients = new Map<string, Client>()
  return {
    async findClientById(clientId) {
      life.assertOpen()
      const found = clients.get(clientId)
      return found && copy(found)
    },
    async list() {
      life.assertOpen()
      return [...clients.values()].sort((a, b) => compare(a.clientId, b.clientId)).map(copy)
    },
    async upsert(client) {
      life.assertOpen()
      clients.set(client.clientId, copy(client))
    },
    async remove(clientId) {
      life.assertOpen()
      return clients.delete(clientId)
    },
  }
}

/** Code-unit order, the same as SQL's binary collation. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
