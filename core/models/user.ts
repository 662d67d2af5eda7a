/**
 * A local user account. Passwords are kept only as an argon2id hash (`Bun.password`).
 */
export interface User {
  /** The stable `sub` claim; never reused. */
  subjectId: string
  /** Unique among users, compared case-insensitively. */
  username: string
  passwordHash?: string
  /** OpenID Connect claims (`name`, `email`, `email_verified` …), JSON values. */
  claims: Record<string, unknown>
  enabled: boolean
  lockout: UserLockout
}

/** Failed-login bookkeeping, so brute force locks an account for a while. */
export interface UserLockout {
  failedCount: number
  /** Epoch milliseconds until which logins are refused. */
  lockedUntil?: number
}

export const noLockout: UserLockout = { failedCount: 0 }
