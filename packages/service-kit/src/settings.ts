import AjvCompiler from '@fastify/ajv-compiler'
import type { TSchema } from '@shop/contracts/typebox'

/** The first thing wrong with some settings, as Ajv words it. */
export interface SettingsIssue {
  keyword: string
  /** `/PORT`, `/0/errorStatus`; empty for the object itself (a missing property). */
  instancePath: string
  message: string
  params: Record<string, unknown>
}

/**
 * A check of settings (the environment's variables, the FAULTS rules) against their TypeBox schema,
 * made with Fastify's own Ajv (@fastify/ajv-compiler), loaded anyway. It fills in the defaults and, when asked, converts text
 * to the numbers declared, in place, and answers the first issue or undefined. (TypeBox's own `Value`
 * module cost every app about 3 MiB of memory and a tenth of a second of start-up, for a few calls.)
 */
export function settingsValidator(
  schema: TSchema,
  options: { coerceTypes: boolean },
): (settings: unknown) => SettingsIssue | undefined {
  const compile = AjvCompiler()(
    {},
    { customOptions: { coerceTypes: options.coerceTypes, removeAdditional: false, strict: false } },
  )
  const validate = compile({ schema, method: '', url: '', httpPart: '' })
  return (settings) => {
    if (validate(settings)) return undefined
    const error = validate.errors![0]!
    return {
      keyword: error.keyword,
      instancePath: error.instancePath,
      message: error.message ?? 'is invalid',
      params: error.params as Record<string, unknown>,
    }
  }
}
