import type { Address, User } from '@shop/contracts'
import type { Upstream } from '@shop/service-kit/upstream'

/** The signed-in user's saved address, from profile-management, read with the user's own token. */
export class ProfileClient {
  constructor(private readonly upstream: Upstream) {}

  async savedAddress(token: string): Promise<Address | undefined> {
    const answer = await this.upstream.call<User>('/api/profile', {
      headers: { authorization: `Bearer ${token}` },
    })
    if (answer.status !== 200) throw this.upstream.unexpected('GET /api/profile', answer)
    return answer.body.address
  }
}
