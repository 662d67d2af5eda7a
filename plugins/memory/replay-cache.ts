import { checkExpiresAt } from '../../core/stores/expiry.ts'
import type { ReplayCache } from '../../core/stores/operational.ts'
import { type MemoryLifecycle, purgeMap } from './lifecycle.ts'

export function memoryReplayCache(life: MemoryLifecycle): ReplayCache {
  const seen = new Map<string, { expiresAt: number }>()
  return {
    async addIfAbsent(id, expiresAt) {
      life.assertOpen()
      checkExpiresAt('replay.addIfAbsent', expiresAt)
      // No await between the check and the write: of concurrent adders exactly one gets true.
      const entry = seen.get(id)
      if (entry && !life.isExpired(entry)) return false
      seen.set(id, { expiresAt })
      return true
    },
    async purgeExpired({ before, batchSize }) {
      life.assertOpen()
      return purgeMap(seen, before, batchSize)
    },
  }
}
