import { randomUUID } from 'node:crypto'
import type { ProfileUpdate, SignUpRequest, User } from '@shop/contracts'
import { ProblemError, problemType } from '@shop/service-kit'
import type { PasswordHasher } from './passwords.js'

/** A user as stored: the profile plus the password hash, which never leaves this service. */
export interface StoredUser extends User {
  passwordHash: string
}

/** The part of a user that its owner edits. */
export type Profile = Pick<User, 'firstName' | 'lastName' | 'address'>

/** Where users live. E-mails are unique (in their normalised form) and that uniqueness is atomic. */
export interface UserStore {
  /** Inserts the user, or answers 'email-taken' when another user has the e-mail, whatever the concurrency. */
  insert(user: StoredUser): Promise<'inserted' | 'email-taken'>
  findByEmail(email: string): Promise<StoredUser | undefined>
  findById(id: string): Promise<User | undefined>
  /** Applies the change to the latest profile; concurrent changes all apply, none is lost. */
  update(id: string, changes: ProfileUpdate): Promise<User | undefined>
}

/** A profile edit sets the fields it names and keeps the others. */
export function applyProfileUpdate(profile: Profile, changes: ProfileUpdate): Profile {
  const next: Profile = {
    firstName: changes.firstName ?? profile.firstName,
    lastName: changes.lastName ?? profile.lastName,
  }
  const address = changes.address ?? profile.address
  if (address) next.address = address
  return next
}

/**
 * The one form an e-mail is stored and looked up in, so that Ada@Example.com and ada@example.com are
 * the same account. (The local part is case-sensitive in theory; no mail provider treats it so.)
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

/** Sign-up, sign-in and profile changes. */
export class Accounts {
  constructor(
    private readonly store: UserStore,
    private readonly passwords: PasswordHasher,
  ) {}

  async signUp({ password, ...profile }: SignUpRequest, now = new Date()): Promise<User> {
    const user: User = {
      id: randomUUID(),
      ...profile,
      email: normalizeEmail(profile.email),
      createdAt: now.toISOString(),
    }
    const passwordHash = await this.passwords.hash(password)
    if ((await this.store.insert({ ...user, passwordHash })) === 'email-taken')
      throw new ProblemError(
        409,
        `An account with the e-mail ${user.email} already exists: sign in instead`,
        {
          title: 'E-mail already registered',
          type: problemType('email-taken'),
        },
      )
    return user
  }

  /** The user whose e-mail and password these are, or undefined; both failures cost the same time. */
  async signIn(email: string, password: string): Promise<User | undefined> {
    const stored = await this.store.findByEmail(normalizeEmail(email))
    if (!stored) {
      await this.passwords.verifyNothing(password)
      return undefined
    }
    if (!(await this.passwords.verify(stored.passwordHash, password))) return undefined
    const { passwordHash: _hash, ...user } = stored
    return user
  }

  async profile(userId: string): Promise<User> {
    return (await this.store.findById(userId)) ?? accountGone()
  }

  async updateProfile(userId: string, changes: ProfileUpdate): Promise<User> {
    return (await this.store.update(userId, changes)) ?? accountGone()
  }
}

/**
 * A valid token for a user who is not here (the database was replaced, say). 401 rather than 404: the
 * session is what is wrong, and signing in again is what fixes it.
 */
function accountGone(): never {
  throw new ProblemError(401, 'The account of this token no longer exists: sign in again', {
    title: 'Unauthorized',
    type: problemType('unauthorized'),
  })
}
