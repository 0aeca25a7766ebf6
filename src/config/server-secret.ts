/**
 * The server's own secret: it keys the audit fingerprints of API keys (a
 * reviewer who sees an admin's fingerprint cannot test guesses offline) and
 * every other keyed hash nuqta keeps. `NUQTA_SECRET` gives it; without it,
 * the first process makes one and keeps it in the database, so every API and
 * worker process, now and after a restart, uses the same.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from 'mongodb';

const SECRET_ID = 'server-secret';

interface SecretDocument {
  _id: string;
  value: string;
}

export async function serverSecretOf(db: Db, configured: string | undefined): Promise<Buffer> {
  if (configured !== undefined) return Buffer.from(configured, 'utf8');
  const settings = db.collection<SecretDocument>('settings');
  const kept = await settings.findOne({ _id: SECRET_ID });
  if (kept) return Buffer.from(kept.value, 'base64');
  const made = randomBytes(32).toString('base64');
  // Two processes starting together: the first insert wins and both read it back.
  await settings.insertOne({ _id: SECRET_ID, value: made }).catch(() => undefined);
  const stored = await settings.findOne({ _id: SECRET_ID });
  if (!stored) throw new Error('the server secret could not be stored');
  return Buffer.from(stored.value, 'base64');
}
