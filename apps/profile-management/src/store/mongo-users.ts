import type { Address, ProfileUpdate, User } from '@shop/contracts'
import { ensureIndexes, isDuplicateKeyError, ProblemError, problemType } from '@shop/service-kit'
import type { Collection, Db } from 'mongodb'
import { applyProfileUpdate, type Profile, type StoredUser, type UserStore } from '../domain/accounts.js'

/** A user as signed up: identity, password hash and the first profile (revision 0). Never updated. */
interface UserDocument {
  _id: string
  email: string
  passwordHash: string
  createdAt: Date
  firstName: string
  lastName: string
  address?: Address
}

/** The whole profile after one edit. `_id` is `<userId>#<revision>`, so each revision is written once. */
interface RevisionDocument {
  _id: string
  userId: string
  revision: number
  firstName: string
  lastName: string
  address?: Address
  savedAt: Date
}

/** How often an edit re-reads and tries again when concurrent edits of the same profile got in first. */
const MAX_EDIT_ATTEMPTS = 20

/**
 * Users in MongoDB. Every write is an insert against a unique index, the one write that is atomic on
 * FerretDB as on MongoDB: sign-up inserts the user (unique e-mail), and a profile edit appends the next
 * revision of the profile (unique id per revision) instead of updating in place. FerretDB 1.x runs an
 * update as read, then write: two concurrent edits of different fields would lose one of them.
 */
export class MongoUsers implements UserStore {
  private readonly users: Collection<UserDocument>
  private readonly revisions: Collection<RevisionDocument>

  constructor(db: Db) {
    this.users = db.collection<UserDocument>('users')
    this.revisions = db.collection<RevisionDocument>('profile_revisions')
  }

  async setUp(): Promise<void> {
    await ensureIndexes(this.users, [{ key: { email: 1 }, options: { unique: true, name: 'email_unique' } }])
    await ensureIndexes(this.revisions, [{ key: { userId: 1, revision: -1 } }])
  }

  async insert({ id, createdAt, ...user }: StoredUser): Promise<'inserted' | 'email-taken'> {
    try {
      await this.users.insertOne({ _id: id, ...user, createdAt: new Date(createdAt) })
      return 'inserted'
    } catch (error) {
      if (isDuplicateKeyError(error)) return 'email-taken'
      throw error
    }
  }

  async findByEmail(email: string): Promise<StoredUser | undefined> {
    const document = await this.users.findOne({ email })
    if (!document) return undefined
    const { profile } = await this.latestProfile(document)
    return { ...toUser(document, profile), passwordHash: document.passwordHash }
  }

  async findById(id: string): Promise<User | undefined> {
    const document = await this.users.findOne({ _id: id }, { projection: { passwordHash: 0 } })
    if (!document) return undefined
    const { profile } = await this.latestProfile(document)
    return toUser(document, profile)
  }

  async update(id: string, changes: ProfileUpdate): Promise<User | undefined> {
    const document = await this.users.findOne({ _id: id }, { projection: { passwordHash: 0 } })
    if (!document) return undefined
    for (let attempt = 0; attempt < MAX_EDIT_ATTEMPTS; attempt++) {
      const { revision, profile } = await this.latestProfile(document)
      const next = applyProfileUpdate(profile, changes)
      try {
        await this.revisions.insertOne({
          _id: `${id}#${revision + 1}`,
          userId: id,
          revision: revision + 1,
          ...next,
          savedAt: new Date(),
        })
        return toUser(document, next)
      } catch (error) {
        // Another edit took this revision: build on it and try the next one.
        if (!isDuplicateKeyError(error)) throw error
      }
    }
    throw new ProblemError(409, 'The profile is being changed by other requests right now: try again', {
      title: 'Concurrent profile changes',
      type: problemType('concurrent-update'),
    })
  }

  private async latestProfile(
    user: Omit<UserDocument, 'passwordHash'>,
  ): Promise<{ revision: number; profile: Profile }> {
    const latest = await this.revisions.find({ userId: user._id }).sort({ revision: -1 }).limit(1).next()
    return latest
      ? { revision: latest.revision, profile: profileOf(latest) }
      : { revision: 0, profile: profileOf(user) }
  }
}

function profileOf(document: Profile): Profile {
  const profile: Profile = { firstName: document.firstName, lastName: document.lastName }
  if (document.address) profile.address = document.address
  return profile
}

function toUser(document: Omit<UserDocument, 'passwordHash'>, profile: Profile): User {
  return { id: document._id, email: document.email, ...profile, createdAt: document.createdAt.toISOString() }
}
