/**
 * The host's own user table, which Portico never sees: it checks passwords through
 * `authenticate` and reads claims through `profile`. A real app would query its database here.
 */
export interface Account {
  id: string
  login: string
  passwordHash: string
  fullName: string
  email: string
  suspended: boolean
}

export class Accounts {
  private readonly rows = new Map<string, Account>()

  async add(account: Omit<Account, 'passwordHash'> & { password: string }): Promise<void> {
    const { password, ...rest } = account
    this.rows.set(account.id, { ...rest, passwordHash: await Bun.password.hash(password) })
  }

  byId(id: string): Account | undefined {
    return this.rows.get(id)
  }

  /** The account when the password matches and it is not suspended. */
  async check(login: string, password: string): Promise<Account | undefined> {
    const account = [...this.rows.values()].find((row) => row.login === login)
    if (!account || account.suspended) return undefined
    return (await Bun.password.verify(password, account.passwordHash)) ? account : undefined
  }

  update(id: string, change: Partial<Omit<Account, 'id' | 'passwordHash'>>): void {
    const row = this.rows.get(id)
    if (row) this.rows.set(id, { ...row, ...change })
  }
}
