/**
 * The hot path reads the document store only by exact `_id`. On FerretDB's
 * SQLite back end that is an index search only with the fix that
 * scripts/services.sh applies to the build; without it every look-up scans
 * the table. The query plan says which, so this test fails if the fix is lost.
 */
import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropTestData, testConfig } from '../helpers/test-nuqta.js';

const config = testConfig('store-keys');
let mongo: MongoClient;
let db: Db;

beforeAll(async () => {
  mongo = new MongoClient(config.MONGODB_URI);
  await mongo.connect();
  db = mongo.db();
  await db.collection<{ _id: string; n: number }>('ledger').insertMany(Array.from({ length: 50 }, (_, n) => ({ _id: `c|instagram:${n}|0000000001`, n })));
});
afterAll(async () => {
  await mongo?.close();
  await dropTestData(config);
});

/** The plan as text: FerretDB/SQLite's `EXPLAIN QUERY PLAN` rows, or MongoDB's winning plan. */
async function planOf(filter: Record<string, unknown>): Promise<string> {
  const explained = await db.command({ explain: { find: 'ledger', filter } });
  return JSON.stringify(explained.queryPlanner);
}

describe('exact _id look-ups', () => {
  it('search the _id index instead of scanning the collection', async () => {
    const plan = await planOf({ _id: 'c|instagram:7|0000000001' });
    // SQLite: "SEARCH <table> USING INDEX <table>__id_"; MongoDB 7: IDHACK / EXPRESS_IDHACK.
    expect(plan).toMatch(/USING INDEX \S+__id_|IDHACK/);
    expect(plan).not.toMatch(/detail=SCAN/);
  });

  it('find the document they name', async () => {
    const found = await db.collection<{ _id: string; n: number }>('ledger').findOne({ _id: 'c|instagram:49|0000000001' });
    expect(found?.n).toBe(49);
  });
});
