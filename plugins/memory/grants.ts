import type { GrantFilter, PersistedGrant } from '../../core/models/grant.ts'
import { checkExpiresAt } from '../../core/stores/expiry.ts'
import type { PersistedGrantStore } from '../../core/stores/operational.ts'
import { copy, type MemoryLifecycle, purgeMap } from './lifecycle.ts'

const filterFields = ['subjectId', 'clientId', 'sessionId', 'type'] as const

/** An empty filter would select every grant; the contract refuses it rather than guess. */
export function assertGrantFilter(filter: GrantFilter): void {
  if (!filterFields.some((field) => filter[field] !== undefined)) {
    throw new TypeError('grant filter needs at least one of subjectId, clientId, sessionId, type')
  }
}

function matches(grant: PersistedGrant, filter: GrantFilter): boolean {
  return filterFields.every((field) => filter[field] === undefined || grant[field] === filter[field])
}

export function memoryGrantStore(life: MemoryLifecycle): PersistedGrantStore {
  const grants = new Map<string, PersistedGrant>()

  /** The live grant, or undefined when absent or expired. */
  function live(key: string): PersistedGrant | undefined {
    const grant = grants.get(key)
    return grant && !life.isExpired(grant) ? grant : undefined
  }

  return {
    async store(grant) {
      life.assertOpen()
      checkExpiresAt('grants.store', grant.expiresAt)
      grants.set(grant.key, copy(grant))
    },
    async get(key) {
      life.assertOpen()
      const grant = live(key)
      return grant && copy(grant)
    },
    async consume(key) {
      life.assertOpen()
      // No await between the check and the write: one JS turn, so exactly one caller wins.
      const grant = live(key)
      if (!grant) return { outcome: 'not-found' }
      if (grant.consumedAt !== undefined) return { outcome: 'already-consumed', record: copy(grant) }
      grant.consumedAt = life.clock.now()
      return { outcome: 'consumed', record: copy(grant) }
    },
    async getAll(filter) {
      life.assertOpen()
      assertGrantFilter(filter)
      return [...grants.values()].filter((g) => matches(g, filter) && !life.isExpired(g)).map(copy)
    },
    async removeAll(filter) {
      life.assertOpen()
      assertGrantFilter(filter)
      let removed = 0
      for (const [key, grant] of grants) {
        if (matches(grant, filter) && grants.delete(key)) removed++
      }
      return removed
    },
    async remove(key) {
      life.assertOpen()
      return grants.delete(key)
    },
    async purgeExpired({ before, batchSize }) {
      life.assertOpen()
      return purgeMap(grants, before, batchSize)
    },
  }
}
