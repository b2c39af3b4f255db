import { randomBytes } from 'node:crypto'
import { hash, verify, type Options } from '@node-rs/argon2'

/**
 * argon2id with OWASP's first recommended setting (19 MiB of memory, 2 passes, 1 lane): memory-hard, so
 * guessing on GPUs is expensive, and about 20 ms per hash here. `Algorithm.Argon2id` is a const enum,
 * which isolated modules cannot read, hence its value.
 */
const ARGON2ID: Options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 }

/** Hashes and checks passwords; the stored form is the PHC string `$argon2id$v=19$m=...$salt$hash`. */
export class PasswordHasher {
  /** A hash of a random password, checked against when the e-mail is unknown (see verifyNothing). */
  private readonly decoy: Promise<string> = hash(randomBytes(32).toString('base64url'), ARGON2ID)

  hash(password: string): Promise<string> {
    return hash(password, ARGON2ID)
  }

  verify(passwordHash: string, password: string): Promise<boolean> {
    return verify(passwordHash, password)
  }

  /**
   * Spends the time a real check takes, and fails. Sign-in calls it for an unknown e-mail, so the
   * answer time does not tell whether the address has an account.
   */
  async verifyNothing(password: string): Promise<false> {
    await this.verify(await this.decoy, password)
    return false
  }
}
