import type { Attributes } from '@opentelemetry/api'
import { describe, expect, it } from 'vitest'
import { addServerAddress } from '../src/http-attributes.js'

function serverOf(host: string | undefined, defaultPort?: number): Attributes {
  const attributes: Attributes = {}
  addServerAddress(attributes, host, defaultPort)
  return attributes
}

describe('server.address and server.port of a span', () => {
  it.each([
    ['shop.local', undefined, { 'server.address': 'shop.local' }],
    ['shop.local', 443, { 'server.address': 'shop.local', 'server.port': 443 }],
    ['shop.local:8080', 443, { 'server.address': 'shop.local', 'server.port': 8080 }],
    ['10.0.0.7:3001', undefined, { 'server.address': '10.0.0.7', 'server.port': 3001 }],
    ['[::1]', 80, { 'server.address': '::1', 'server.port': 80 }],
    ['[fe80::1:2]:4000', 80, { 'server.address': 'fe80::1:2', 'server.port': 4000 }],
    ['shop.local:http', 80, { 'server.address': 'shop.local' }],
  ])('from the host %s (default port %s)', (host, defaultPort, expected) => {
    expect(serverOf(host, defaultPort)).toEqual(expected)
  })

  it('are not set without a host', () => {
    expect(serverOf(undefined, 80)).toEqual({})
    expect(serverOf('', 80)).toEqual({})
  })
})
