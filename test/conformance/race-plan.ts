/** What the cross-process test sends each racing process, and what it answers. */
import type { KeyRecord } from '../../core/index.ts'

export interface RacePlan {
  /** Prefix of every id in this race: round `i` uses `${run}:${i}:grant`, `…:device` and so on. */
  run: string
  rounds: number
  /** Epoch ms (fractional) at which round 0 starts in every process; round `i` at `startAt + i * slotMs`. */
  startAt: number
  slotMs: number
  /** This process's index; even ones authorize a device code, odd ones deny it. */
  process: number
  /** The expiry of the replay ids it adds. */
  expiresAt: number
  /** The fields of the key records it adds and updates (their ids come from the round). */
  key: KeyRecord
}

/** For each operation, whether this process won it, by round. */
export type RaceResults = Record<string, boolean[]>
