import type { KeyRecord } from '../../core/models/key.ts'
import type { KeyStore } from '../../core/stores/keys.ts'
import { compare } from './clients.ts'
import { copy, type MemoryLifecycle } from './lifecycle.ts'

export function memoryKeyStore(life: MemoryLifecycle): KeyStore {
  const keys = new Map<string, KeyRecord>()
  return {
    async list() {
      life.assertOpen()
      return [...keys.values()].sort((a, b) => a.createdAt - b.createdAt || compare(a.id, b.id)).map(copy)
    },
    async add(record) {
      life.assertOpen()
      if (keys.has(record.id)) return false
      keys.set(record.id, copy(record))
      return true
    },
    async update(record, expectedVersion) {
      life.assertOpen()
      // Compare-and-set in one JS turn: of racing writers with one expectedVersion, one wins.
      if (keys.get(record.id)?.version !== expectedVersion) return false
      keys.set(record.id, copy(record))
      return true
    },
    async remove(id) {
      life.assertOpen()
      return keys.delete(id)
    },
  }
}
