import type { Destination } from '@shop/contracts'
import { ProblemError, problemType } from '@shop/service-kit'
import { DOMESTIC_COUNTRY, REMOTE_ZIP_PREFIXES } from './methods.js'

/** Where a parcel goes, as far as rates and delivery times care. */
export interface Zone {
  international: boolean
  /** A US ZIP code outside the contiguous states. */
  remote: boolean
}

const US_ZIP = /^\d{5}(-\d{4})?$/

/** Classifies a destination; a US destination needs a real ZIP code (12345 or 12345-6789). */
export function destinationZone(destination: Destination, field = '/destination/postalCode'): Zone {
  if (destination.country !== DOMESTIC_COUNTRY) return { international: true, remote: false }
  const zip = destination.postalCode.trim()
  if (!US_ZIP.test(zip))
    throw new ProblemError(400, `body${field} must be a US ZIP code such as 94103 or 94103-1234`, {
      title: 'Invalid request',
      type: problemType('invalid-request'),
      extensions: { errors: [{ in: 'body', path: field, message: 'must be a US ZIP code' }] },
    })
  return { international: false, remote: REMOTE_ZIP_PREFIXES.some((prefix) => zip.startsWith(prefix)) }
}
