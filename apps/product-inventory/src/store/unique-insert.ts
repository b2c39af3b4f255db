import { isDuplicateKeyError } from '@shop/service-kit'
import type { Collection, Filter, MongoBulkWriteError, OptionalUnlessRequiredId } from 'mongodb'

/**
 * Inserts the document unless one with its `_id` exists, and answers the stored one: the write-once
 * primitive every record of this service rests on (atomic on FerretDB and MongoDB alike).
 */
export async function insertOrGet<Document extends { _id: string }>(
  collection: Collection<Document>,
  document: Document,
): Promise<{ document: Document; inserted: boolean }> {
  try {
    await collection.insertOne(document as OptionalUnlessRequiredId<Document>)
    return { document, inserted: true }
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error
    const stored = await collection.findOne({ _id: document._id } as Filter<Document>)
    if (!stored)
      throw new Error(`${collection.collectionName} ${document._id} exists and cannot be read`, {
        cause: error,
      })
    return { document: stored as Document, inserted: false }
  }
}

/** True when a bulk insert failed only because some documents exist already. */
export function onlyDuplicates(error: unknown): boolean {
  const writeErrors = (error as Partial<MongoBulkWriteError>).writeErrors
  if (!writeErrors) return isDuplicateKeyError(error)
  const list = Array.isArray(writeErrors) ? writeErrors : [writeErrors]
  return list.every((writeError) => writeError.code === 11000)
}
