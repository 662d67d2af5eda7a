import type { Client } from '../../core/models/client.ts'
import type { ClientStore } from '../../core/stores/configuration.ts'
import { compareCodePoints } from '../../core/stores/order.ts'
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

/** Every ordered list: Unicode code point order, as SQL's binary collation gives. */
export const compare = compareCodePoints
