// Every schema of the contracts compiles under Ajv's strict mode without a warning: a warning is
// printed as plain text amid the apps' JSON logs, at every start, once per route that uses the schema.
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import * as contracts from '../src/index.js'

const schemas: object[] = Object.values(contracts as Record<string, unknown>).filter(
  (value): value is object => typeof value === 'object' && value !== null && 'type' in value,
)

describe('the contract schemas', () => {
  it('compile in strict mode without a warning', () => {
    const warnings: unknown[][] = []
    const log = () => {}
    const ajv = new Ajv({
      validateFormats: false,
      logger: { log, error: log, warn: (...args: unknown[]) => warnings.push(args) },
    })
    expect(schemas.length).toBeGreaterThan(20)
    for (const schema of schemas) ajv.compile(schema)
    expect(warnings).toEqual([])
  })
})
