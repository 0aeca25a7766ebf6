/**
 * Documents written once under a key that says what they are: a second
 * insert of the same key (a retry, a redelivery, a race between writers)
 * is MongoDB's duplicate-key error, which reads as "already there".
 */
import type { Collection, Document, OptionalUnlessRequiredId } from 'mongodb';

export const DUPLICATE_KEY = 11000;

export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === DUPLICATE_KEY;
}

/** Inserts `document` unless its key is taken; true when this call inserted it. */
export async function insertOnce<T extends Document>(collection: Collection<T>, document: OptionalUnlessRequiredId<T>): Promise<boolean> {
  try {
    await collection.insertOne(document);
    return true;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return false;
  }
}
