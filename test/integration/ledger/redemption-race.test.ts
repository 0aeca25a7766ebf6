/**
 * Redemptions racing the scoring of the same member's comments. The member
 * has points; then more comments arrive in small deliveries while the API
 * takes redemptions for them: distinct ones, one key sent four times at once
 * and again after it was answered, and a limited reward retried. Small
 * batches make the member's partition decide comments and redemptions in
 * turns. Afterwards each redemption that was granted is in the ledger once, a
 * key is never spent twice, every answer to a key is the first one, the
 * balance never went below zero and the member's record equals the ledger.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceDelta, earnedDelta } from '../../../src/domain/ledger.js';
import { redemptionEventKey } from '../../../src/scoring/redemption.js';
import { memberEntries, memberState, recordVersusLedger } from '../../helpers/member-records.js';
import { startTestNuqta, TEST_SECRETS, type TestNuqta } from '../../helpers/test-nuqta.js';
import { BAKERY, drained, LEDGER_CAMPAIGNS, scored, sendComments, type Comment } from './ledger-helpers.js';
import { runNuqta } from './worker-processes.js';

const USER = '5501';
const MEMBER = `instagram:${USER}`;
/** Comments scored before the race, and during it (in deliveries of a few). */
const EARLIER = 8;
const DURING = 48;
const DELIVERY = 4;
const COSTS: Record<string, number> = { cake: 60, croissant: 20 };

let app: TestNuqta;

interface Answer {
  key: string;
  rewardId: string;
  status: number;
  replayed: boolean;
  body: { entry?: { seq: number; eventKey: string; points: number }; balance?: number; error?: { code: string } };
}

async function redeem(rewardId: string, key: string): Promise<Answer> {
  const response = await fetch(`${app.url}/v1/campaigns/${BAKERY}/members/${encodeURIComponent(MEMBER)}/redemptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key, authorization: `Bearer ${TEST_SECRETS.redeemKey}` },
    body: JSON.stringify({ rewardId }),
  });
  return { key, rewardId, status: response.status, replayed: response.headers.get('idempotent-replayed') === 'true', body: (await response.json()) as Answer['body'] };
}

const comments = (count: number, from: number): Comment[] => Array.from({ length: count }, (_, index) => ({ user: USER, id: `race-${USER}-${from + index}` }));
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  // Batches of 4: the member's comments take many batches, and redemptions fall between and inside them.
  app = await startTestNuqta('redemption_race', { env: { NUQTA_CAMPAIGNS: LEDGER_CAMPAIGNS, NUQTA_BATCH_SIZE: '4' } });
  await scored(app, comments(EARLIER, 0));
});
afterAll(async () => {
  await app?.cleanup();
});

describe('redemptions while the member\'s comments are being scored', () => {
  it('spends each granted redemption once, never twice for one key, never below zero, and keeps the record true to the ledger', { timeout: 60_000 }, async () => {
    const before = await memberState(app.nuqta, BAKERY, MEMBER);
    expect(before?.balance).toBeGreaterThan(0);

    // Comments arrive a few at a time while the redemptions are posted.
    const sending = (async () => {
      const keys: string[] = [];
      for (let from = 0; from < DURING; from += DELIVERY) {
        keys.push(...(await sendComments(app, comments(DELIVERY, EARLIER + from))));
        await pause(60);
      }
      return keys;
    })();
    // More cakes than the points coming in pay for at first: some are refused for want of points.
    const distinct = Array.from({ length: 12 }, (_, index) => `cake-${String.fromCharCode(97 + index)}`);
    const posting = (async () => {
      const answers: Promise<Answer>[] = [];
      for (const [index, key] of distinct.entries()) {
        answers.push(redeem('cake', key));
        // The first key four times at once, a limited reward twice at once, while comments are scored.
        if (index === 0) answers.push(redeem('cake', key), redeem('cake', key), redeem('cake', key));
        if (index === 2) answers.push(redeem('croissant', 'croissant-a'), redeem('croissant', 'croissant-a'));
        await pause(25);
      }
      return Promise.all(answers);
    })();
    const [eventKeys, raced] = await Promise.all([sending, posting]);
    await drained(app);
    // Retried after they were answered: the first answer comes back, marked as replayed.
    const retried = await Promise.all([redeem('cake', 'cake-a'), redeem('croissant', 'croissant-a'), redeem('cake', 'cake-l')]);
    expect(retried.every((answer) => answer.replayed)).toBe(true);
    const answers = [...raced, ...retried];

    // Every request answered 201 or 409, and every answer to one key is the same.
    expect(answers.filter((answer) => answer.status !== 201 && answer.status !== 409)).toEqual([]);
    const byKey = new Map<string, Answer[]>();
    for (const answer of answers) byKey.set(answer.key, [...(byKey.get(answer.key) ?? []), answer]);
    for (const [key, same] of byKey) {
      expect(new Set(same.map((answer) => JSON.stringify([answer.status, answer.body]))).size, `answers to ${key}`).toBe(1);
    }
    const refusals = answers.filter((answer) => answer.status === 409).map((answer) => answer.body.error?.code);
    expect(refusals.filter((code) => code !== 'NUQTA_INSUFFICIENT_POINTS' && code !== 'NUQTA_OUT_OF_STOCK')).toEqual([]);

    // Each granted key is in the ledger once, at the seq its answer named; a refused key not at all.
    const entries = await memberEntries(app.nuqta, BAKERY, MEMBER);
    const redeems = entries.filter((entry) => entry.kind === 'redeem');
    const granted = [...byKey].filter(([, same]) => same[0]?.status === 201);
    expect(granted.length).toBeGreaterThan(1);
    expect(granted.length).toBeLessThan(byKey.size);
    expect(redeems.map((entry) => entry.eventKey).sort()).toEqual(granted.map(([key]) => redemptionEventKey(MEMBER, key)).sort());
    for (const [key, [first]] of granted) {
      const entry = redeems.find((candidate) => candidate.eventKey === redemptionEventKey(MEMBER, key));
      expect(first?.body.entry?.seq).toBe(entry?.seq);
      expect(entry?.points).toBe(-(COSTS[first?.rewardId ?? ''] ?? Number.NaN));
    }
    expect(new Set(entries.map((entry) => `${entry.eventKey}|${entry.ruleId}`)).size).toBe(entries.length);

    // Redemptions were decided between the comments, not before or after all of them.
    const raceEarnSeqs = entries.filter((entry) => entry.kind === 'earn' && eventKeys.includes(entry.eventKey)).map((entry) => entry.seq);
    expect(raceEarnSeqs).toHaveLength(DURING);
    const [firstEarn, lastEarn] = [Math.min(...raceEarnSeqs), Math.max(...raceEarnSeqs)];
    expect(redeems.filter((entry) => entry.seq > firstEarn && entry.seq < lastEarn).length).toBeGreaterThan(0);

    // The balance never went below zero, and each redemption saw the balance the ledger had before it.
    let balance = 0;
    const seen: { seq: number; before: unknown; balance: number }[] = [];
    for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
      if (entry.kind === 'redeem') seen.push({ seq: entry.seq, before: (entry.explain.balance as { before?: number } | undefined)?.before, balance });
      balance += balanceDelta(entry);
      expect(balance, `balance after seq ${entry.seq}`).toBeGreaterThanOrEqual(0);
    }
    expect(seen.filter((redemption) => redemption.before !== redemption.balance)).toEqual([]);
    const order = [...entries].sort((a, b) => a.seq - b.seq).slice(EARLIER).map((entry) => (entry.kind === 'redeem' ? 'R' : entry.kind === 'earn' ? 'e' : '.')).join('');
    console.log(`ledger after the first ${EARLIER} comments (e: earn, R: redeem): ${order}; lowest balance before a redemption ${Math.min(...seen.map((redemption) => redemption.balance))}`);
    for (const [, [first]] of granted) {
      const entry = redeems.find((candidate) => candidate.seq === first?.body.entry?.seq);
      expect(first?.body.balance).toBe((entry?.explain.balance as { after?: number } | undefined)?.after);
    }

    // Balance = earned − redeemed, from the ledger; the record agrees.
    const earned = entries.reduce((total, entry) => total + earnedDelta(entry), 0);
    const redeemed = granted.reduce((total, [, [first]]) => total + (COSTS[first?.rewardId ?? ''] ?? Number.NaN), 0);
    expect(balance).toBe(earned - redeemed);
    expect(await memberState(app.nuqta, BAKERY, MEMBER)).toMatchObject({ balance: earned - redeemed, earned, seq: entries.length });
    expect(await recordVersusLedger(app.nuqta, BAKERY, MEMBER)).toEqual([]);

    const verify = await runNuqta(app.config, 'verify', '--campaign', BAKERY);
    expect(verify.stdout).toContain(`${BAKERY}: member records, leaderboards and stock match the ledger`);
    expect(verify.code).toBe(0);
  });
});
