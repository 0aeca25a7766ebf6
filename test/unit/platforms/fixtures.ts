import { readFileSync } from 'node:fs';

const FIXTURES = new URL('../../fixtures/', import.meta.url);

/** The exact bytes of a fixture, as a platform would send them (signatures are over these). */
export function fixtureBytes(path: string): Buffer {
  return readFileSync(new URL(path, FIXTURES));
}

export function fixtureJson(path: string): unknown {
  return JSON.parse(fixtureBytes(path).toString('utf8'));
}
