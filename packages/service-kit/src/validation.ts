import AjvCompiler from '@fastify/ajv-compiler'
import type { FastifyServerOptions } from 'fastify'

type ValidatorFactory = ReturnType<typeof AjvCompiler>

// Fastify's defaults otherwise (useDefaults, ajv-formats); extra members are refused, not silently dropped.
const ajvOptions = { removeAdditional: false, allErrors: true } as const

/**
 * Request validation as the contract reads: a JSON body must already have the declared types, so
 * `{"quantity": null}`, `"3"`, `true` or `[2]` are refused rather than turned into numbers; query
 * strings, path parameters and headers are text by nature, so there numbers and booleans are coerced.
 * (Fastify's one Ajv instance coerces every part, bodies included.)
 */
export function validationOptions(): Pick<FastifyServerOptions, 'schemaController'> {
  const fromPool: ValidatorFactory = AjvCompiler()
  return {
    schemaController: {
      compilersFactory: {
        buildValidator(externalSchemas) {
          const lenient = fromPool(externalSchemas, {
            customOptions: { ...ajvOptions, coerceTypes: 'array' },
          })
          const strict = fromPool(externalSchemas, { customOptions: { ...ajvOptions, coerceTypes: false } })
          return (route) => (route.httpPart === 'body' ? strict : lenient)(route)
        },
      },
    },
  }
}
