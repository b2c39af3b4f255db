import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { freePort, isFree } from '../src/ports.js'

const ephemeralStart = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)[0])

describe('a free port', () => {
  it('is below the range the kernel hands out for listen(0) and outgoing connections, and free', async () => {
    const ports = await Promise.all(Array.from({ length: 30 }, () => freePort()))
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20_000)
      expect(port).toBeLessThan(ephemeralStart)
      expect(await isFree(port)).toBe(true)
    }
  })
})
