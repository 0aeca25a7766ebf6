import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventKeyOf } from '../../../src/domain/event.js';
import type { LedgerEntry } from '../../../src/ledger/entry.js';
import { ledgerEntryId } from '../../../src/ledger/ledger-store.js';
import { referrerKeyOf, referrerReversalTask, referrerTask } from '../../../src/scoring/referrer-task.js';
import { recordVersusLedger } from '../../helpers/member-records.js';
import { runNuqta } from '../../helpers/nuqta-cli.js';
import { eventually, startTestNuqta, TEST_SECRETS, type TestNuqta } from '../../helpers/test-nuqta.js';
import { getJson, scored } from '../ledger/ledger-helpers.js';

const CAMPAIGN = 'qahwa-friends';
const ACCOUNT = '17841400000000051';
let app: TestNuqta;

interface Purchase {
  order: string;
  buyer: string;
  username?: string;
  amount?: number;
  code?: string;
  customerRef?: string;
  shippingRef?: string;
}

async function call(method: 'GET' | 'POST', path: string, key: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

const purchaseEvent = (purchase: Purchase) => ({
  platform: 'instagram', kind: 'purchase', platformEventId: purchase.order,
  actor: { platformUserId: purchase.buyer, ...(purchase.username ? { username: purchase.username } : {}) },
  target: { accountId: ACCOUNT },
  occurredAt: new Date().toISOString(),
  order: {
    amount: purchase.amount ?? 120, currency: 'SAR',
    ...(purchase.code ? { code: purchase.code } : {}),
    ...(purchase.customerRef ? { customerRef: purchase.customerRef } : {}),
    ...(purchase.shippingRef ? { shippingRef: purchase.shippingRef } : {}),
  },
});

/** Sends the orders (each as often as asked) and waits until every one is decided. */
async function purchased(purchases: readonly Purchase[], times = 1): Promise<string[]> {
  for (let round = 0; round < times; round += 1) {
    const sent = await call('POST', '/v1/events', TEST_SECRETS.ingestKey, { events: purchases.map(purchaseEvent) });
    expect(sent.status).toBe(202);
  }
  const keys = purchases.map((purchase) => eventKeyOf('instagram', 'purchase', purchase.order));
  await eventually(async () => ((await Promise.all(keys.map((key) => app.nuqta.decisions.get(CAMPAIGN, key)))).every(Boolean) ? true : undefined), 30_000, 'the orders to be decided');
  return keys;
}

async function referrerDecided(orderKey: string, referrerId: string): Promise<void> {
  const key = referrerKeyOf(CAMPAIGN, { order: orderKey, referrer: { memberId: referrerId } });
  await eventually(async () => (await app.nuqta.decisions.get(CAMPAIGN, key)) ?? undefined, 30_000, 'the referrer\'s award');
}

async function member(memberId: string): Promise<{ balance: number; tier: { id: string }; pending: { points: number } }> {
  return (await getJson<any>(`${app.url}/v1/campaigns/${CAMPAIGN}/members/${memberId}`, { authorization: `Bearer ${TEST_SECRETS.readerKey}` })).body;
}

async function refusalOf(orderKey: string): Promise<string | undefined> {
  return (await app.nuqta.decisions.get(CAMPAIGN, orderKey))?.nonAwards.map((nonAward) => nonAward.reason.code).find((code) => code.startsWith('REFERRAL_') || code === 'ORDER_REFUNDED');
}

const admin = TEST_SECRETS.adminKey;
let saraCode = '';

beforeAll(async () => {
  app = await startTestNuqta('referrals', { env: { NUQTA_CAMPAIGNS: 'test/fixtures/campaigns/referrals' } });
  // Sara takes part in the campaign: she can have a code to share.
  await scored(app, [{ user: '801', id: 'rf-801-1', username: 'sara.q', account: ACCOUNT }], CAMPAIGN);
});
afterAll(async () => {
  await app?.cleanup();
});

describe('codes', () => {
  it('gives a member their own code and deep link, the same one every time', async () => {
    const made = await call('POST', `/v1/campaigns/${CAMPAIGN}/members/instagram:801/referral-code`, admin, {});
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ program: 'bring-a-friend', codes: 'member', ownerId: 'instagram:801', maxUses: 20, maxUsesPerMember: 1, uses: 0 });
    expect(made.body.code).toMatch(/^SARAQ-[A-HJKMNP-Z2-9]{4}$/);
    expect(made.body.link).toBe(`https://qahwa.example.sa/r/${made.body.code}`);
    saraCode = made.body.code;
    const again = await call('POST', `/v1/campaigns/${CAMPAIGN}/members/instagram:801/referral-code`, admin);
    expect(again.status).toBe(200);
    expect(again.body.code).toBe(saraCode);
    const stranger = await call('POST', `/v1/campaigns/${CAMPAIGN}/members/instagram:899/referral-code`, admin, {});
    expect(stranger.body.error).toMatchObject({ code: 'NUQTA_MEMBER_NOT_FOUND' });
  });

  it('shows the member their code, what it earns, and its link on their own page, in both languages', async () => {
    const link = await call('POST', `/v1/campaigns/${CAMPAIGN}/members/instagram:801/link`, admin, {});
    const english = await (await fetch(`${app.url}/me/${link.body.token}?lang=en`)).text();
    expect(english).toContain(`<bdi dir="ltr">${saraCode}</bdi>`);
    expect(english).toContain('Share your code: your friend earns 200 points and you earn 200 points when they order with it. On their first order.');
    expect(english).toContain(`href="https://qahwa.example.sa/r/${saraCode}"`);
    const arabic = await (await fetch(`${app.url}/me/${link.body.token}`)).text();
    expect(arabic).toContain('شارك رمزك: يكسب صديقك ٢٠٠ نقطة وتكسب أنت ٢٠٠ نقطة عندما يطلب به.');
  });

  it('makes influencer codes with dates and limits, and refuses a taken or malformed one', async () => {
    const made = await call('POST', `/v1/campaigns/${CAMPAIGN}/referral-codes`, admin, { code: 'noura10', program: 'influencers', influencer: { name: 'Noura', handle: '@noura.style' }, maxUses: 1 });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ code: 'NOURA10', codes: 'influencer', influencer: { name: 'Noura', handle: '@noura.style' }, maxUses: 1, link: 'https://qahwa.example.sa/?coupon=NOURA10' });
    const past = await call('POST', `/v1/campaigns/${CAMPAIGN}/referral-codes`, admin, { code: 'RAMADAN25', program: 'influencers', influencer: { name: 'Noura' }, validFrom: '2026-02-18T00:00:00+03:00', validUntil: '2026-03-20T00:00:00+03:00' });
    expect(past.status).toBe(201);
    expect((await call('POST', `/v1/campaigns/${CAMPAIGN}/referral-codes`, admin, { code: 'NOURA10', program: 'influencers', influencer: { name: 'Faisal' } })).body.error)
      .toEqual({ code: 'NUQTA_CONFLICT', message: `code NOURA10 is already taken in campaign "${CAMPAIGN}"` });
    const bad = await call('POST', `/v1/campaigns/${CAMPAIGN}/referral-codes`, admin, { code: 'no spaces', program: 'influencers', influencer: { name: 'X' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('code');
    expect((await call('POST', `/v1/campaigns/${CAMPAIGN}/referral-codes`, admin, { code: 'FRIEND-1', program: 'bring-a-friend' })).body.error.message)
      .toBe('program "bring-a-friend" is for member codes: name the member (memberId)');
  });

  it('refuses a purchase without its order, and an order on another kind, naming the field', async () => {
    const missing = await call('POST', '/v1/events', TEST_SECRETS.ingestKey, { events: [{ ...purchaseEvent({ order: 'x-1', buyer: '809' }), order: undefined }] });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe('invalid request body: body/events/0/order is required for a purchase');
    const misplaced = await call('POST', '/v1/events', TEST_SECRETS.ingestKey, { events: [{ ...purchaseEvent({ order: 'x-2', buyer: '809' }), kind: 'comment' }] });
    expect(misplaced.body.error.message).toContain('is only for kind purchase');
  });
});

describe('a friend\'s first paid order', () => {
  it('awards the friend and the member once, even when the shop sends the order three times', async () => {
    const [order] = await purchased([{ order: 'ord-1001', buyer: '802', username: 'huda.m', code: saraCode.toLowerCase(), customerRef: 'cust-huda' }], 3);
    await referrerDecided(order ?? '', 'instagram:801');
    expect((await member('instagram:802')).balance).toBe(200);
    const sara = await member('instagram:801');
    expect(sara.balance).toBe(210);
    expect(sara.tier.id).toBe('gold');
    const entries = await app.nuqta.ledger.entriesAfter(CAMPAIGN, 'instagram:801', 0);
    expect(entries.filter((entry) => entry.ruleId === 'referrer:bring-a-friend')).toEqual([
      expect.objectContaining({ points: 200, status: 'posted', reason: expect.objectContaining({ code: 'REFERRER_BONUS', text: expect.objectContaining({ en: `@huda.m ordered with your code ${saraCode}: 200 points` }) }) }),
    ]);
    expect(await recordVersusLedger(app.nuqta, CAMPAIGN, 'instagram:801')).toEqual([]);
    expect(await recordVersusLedger(app.nuqta, CAMPAIGN, 'instagram:802')).toEqual([]);
  });

  it('awards nothing for the friend\'s second order, nor for one that is not the buyer\'s first', async () => {
    const [second] = await purchased([{ order: 'ord-1002', buyer: '802', code: saraCode }]);
    expect(await refusalOf(second ?? '')).toBe('REFERRAL_MEMBER_LIMIT');
    const [, later] = await purchased([{ order: 'ord-2001', buyer: '803' }, { order: 'ord-2002', buyer: '803', code: saraCode }]);
    expect(await refusalOf(later ?? '')).toBe('REFERRAL_NOT_FIRST_ORDER');
    expect((await member('instagram:802')).balance).toBe(200);
    expect((await member('instagram:801')).balance).toBe(210);
  });

  it('awards nothing, with the reason, for an expired or used-up code, the buyer\'s own code, or a small order', async () => {
    // NOURA10 may redeem one order: the first decided takes it.
    const [influenced] = await purchased([{ order: 'ord-3002', buyer: '805', code: 'NOURA10' }]);
    const [expired, exhausted, own, small] = await purchased([
      { order: 'ord-3001', buyer: '804', code: 'RAMADAN25' },
      { order: 'ord-3003', buyer: '806', code: 'NOURA10' },
      { order: 'ord-3004', buyer: '801', code: saraCode },
      { order: 'ord-3005', buyer: '807', code: saraCode, amount: 20 },
    ]);
    expect(await refusalOf(expired ?? '')).toBe('REFERRAL_CODE_NOT_VALID');
    const decision = await app.nuqta.decisions.get(CAMPAIGN, expired ?? '');
    expect(decision?.nonAwards[0]?.reason.text.en).toBe('Code RAMADAN25 had expired (2026-03-19T21:00:00.000Z)');
    expect(await refusalOf(influenced ?? '')).toBeUndefined();
    expect((await member('instagram:805')).balance).toBe(150);
    expect(await refusalOf(exhausted ?? '')).toBe('REFERRAL_CODE_EXHAUSTED');
    expect(await refusalOf(own ?? '')).toBe('REFERRAL_OWN_CODE');
    expect(await refusalOf(small ?? '')).toBe('REFERRAL_BELOW_MINIMUM');
    expect((await member('instagram:801')).balance).toBe(210);
  });
});

describe('a code\'s limit under load', () => {
  it('redeems exactly its limit when buyers in every partition race for it', async () => {
    const made = await call('POST', `/v1/campaigns/${CAMPAIGN}/referral-codes`, admin, { code: 'FLASH3', program: 'influencers', influencer: { name: 'Flash sale' }, maxUses: 3 });
    expect(made.status).toBe(201);
    const keys = await purchased(Array.from({ length: 16 }, (_, index) => ({ order: `ord-flash-${index}`, buyer: `9${String(index).padStart(2, '0')}`, code: 'FLASH3' })));
    const refusals = await Promise.all(keys.map(refusalOf));
    expect(refusals.filter((code) => code === undefined)).toHaveLength(3);
    expect(refusals.filter((code) => code === 'REFERRAL_CODE_EXHAUSTED')).toHaveLength(13);
  });
});

describe('self-referral and code farms', () => {
  it('holds an order made as the code owner\'s own shop customer, and the owner\'s award with it', async () => {
    // Sara's own order tells nuqta her shop customer id.
    await purchased([{ order: 'ord-4001', buyer: '801', customerRef: 'cust-sara' }]);
    const [order] = await purchased([{ order: 'ord-4002', buyer: '808', username: 'sara.second', code: saraCode, customerRef: 'cust-sara' }]);
    await referrerDecided(order ?? '', 'instagram:801');
    const buyer = await member('instagram:808');
    expect(buyer.balance).toBe(0);
    expect(buyer.pending.points).toBe(200);
    expect((await member('instagram:801')).balance).toBe(210);
    const flags = await call('GET', `/v1/review/flags?campaign=${CAMPAIGN}&reason=self_referral`, TEST_SECRETS.reviewerKey);
    expect(flags.body.flags.map((flag: { memberId: string }) => flag.memberId).sort()).toEqual(['instagram:801', 'instagram:808']);
  });

  it('reports held points from the ledger: a reviewer\'s approval moves them to issued', async () => {
    const sara = (): Promise<{ points: { issued: number; held: number } }> =>
      call('GET', `/v1/campaigns/${CAMPAIGN}/referrals/report`, admin).then((report) => report.body.codes.find((code: { code: string }) => code.code === saraCode));
    const before = await sara();
    expect(before.points).toMatchObject({ held: 400 });
    // A reviewer finds the second account is the owner's partner, and approves the order and the award.
    const flags = (await call('GET', `/v1/review/flags?campaign=${CAMPAIGN}&reason=self_referral`, TEST_SECRETS.reviewerKey)).body.flags as { id: string }[];
    for (const flag of flags) {
      const decided = await call('POST', `/v1/review/flags/${encodeURIComponent(flag.id)}/decision`, TEST_SECRETS.reviewerKey, { decision: 'approve', note: 'partner at home' });
      expect(decided.status).toBe(200);
    }
    await eventually(async () => ((await sara()).points.held === 0 ? true : undefined), 30_000, 'the approvals in the report');
    expect((await sara()).points).toEqual({ issued: before.points.issued + 400, held: 0 });
    expect((await member('instagram:808')).balance).toBe(200);
  });

  it('holds orders that pour through one member code to one address once a third account joins', async () => {
    const verdicts = [];
    for (const [order, buyer] of [['ord-5001', '811'], ['ord-5002', '812'], ['ord-5003', '813']] as const) {
      const [key] = await purchased([{ order, buyer, code: saraCode, shippingRef: 'addr-9' }]);
      verdicts.push((await app.nuqta.decisions.get(CAMPAIGN, key ?? ''))?.fraud);
    }
    // Two friends at one address may well both be Sara's friends; a third account there is a farm.
    expect(verdicts.map((verdict) => verdict?.decision)).toEqual(['allow', 'allow', 'hold']);
    expect(verdicts[2]?.signals[0]).toMatchObject({
      code: 'referral_farm', value: 0.8,
      text: { en: `Code ${saraCode} was used this week by 2 accounts more as the same shop customer or to the same address` },
    });
  });
});

describe('attribution', () => {
  it('reports uses, buyers, first-time buyers, revenue and points per code and influencer', async () => {
    const report = await call('GET', `/v1/campaigns/${CAMPAIGN}/referrals/report`, admin);
    expect(report.status).toBe(200);
    const sara = report.body.codes.find((row: { code: string }) => row.code === saraCode);
    // Huda's first order, 803's second order and 807's small one (uses that earned nothing), Sara's second account (held),
    // and the three accounts at one address (the third held).
    expect(sara).toMatchObject({
      program: 'bring-a-friend', ownerId: 'instagram:801', uses: 7, buyers: 7, firstTimeBuyers: 6,
      revenue: [{ currency: 'SAR', amount: 740 }],
      points: { issued: 1600, held: 400 },
      refused: { REFERRAL_MEMBER_LIMIT: 1, REFERRAL_NOT_FIRST_ORDER: 1, REFERRAL_OWN_CODE: 1, REFERRAL_BELOW_MINIMUM: 1 },
    });
    expect(report.body.influencers.filter((row: { influencer: { name: string } }) => row.influencer.name === 'Noura')).toEqual([expect.objectContaining({
      influencer: { name: 'Noura', handle: '@noura.style' }, codes: ['NOURA10', 'RAMADAN25'], uses: 1, buyers: 1, firstTimeBuyers: 1,
      revenue: [{ currency: 'SAR', amount: 120 }], points: { issued: 150, held: 0 },
      refused: { REFERRAL_CODE_EXHAUSTED: 1, REFERRAL_CODE_NOT_VALID: 1 },
    })]);
    const listed = await call('GET', `/v1/campaigns/${CAMPAIGN}/referral-codes`, admin);
    expect(listed.body.codes.map((code: { code: string; uses: number }) => [code.code, code.uses])).toEqual([[saraCode, 7], ['NOURA10', 1], ['RAMADAN25', 0], ['FLASH3', 3]]);
  });
});

describe('nuqta referrals', () => {
  it('makes influencer codes from a CSV, refusing a bad file with its file, line and field', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'nuqta-referrals-'));
    const bad = path.join(folder, 'bad.csv');
    await writeFile(bad, 'code,program,influencer,handle,max_uses\nFAISAL15,influencers,Faisal,@faisal.eats,100\nbad code,influencers,,@x,zero\n');
    const refused = await runNuqta(app.config, ['referrals', 'import', '--campaign', CAMPAIGN, bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${bad}:3 code: must be 3 to 32 letters, digits, "-" or "_"`);
    expect(refused.stderr).toContain(`${bad}:3 max_uses: must be a whole number above 0`);
    expect(await app.nuqta.referralCodes.get(CAMPAIGN, 'FAISAL15')).toBeUndefined();
    const good = path.join(folder, 'good.csv');
    await writeFile(good, 'code,program,influencer,handle,max_uses,valid_until\nFAISAL15,influencers,Faisal,@faisal.eats,100,2028-06-30T23:59:59+03:00\nNOURA10,influencers,Noura,@noura.style,1,\n');
    const made = await runNuqta(app.config, ['referrals', 'import', '--campaign', CAMPAIGN, good]);
    expect(made.stdout).toContain(`${CAMPAIGN}: 1 code(s) made, 1 already there`);
    expect(await app.nuqta.referralCodes.get(CAMPAIGN, 'FAISAL15')).toMatchObject({ influencer: { name: 'Faisal', handle: '@faisal.eats' }, maxUses: 100, validUntil: new Date('2028-06-30T20:59:59Z') });
  });

  it('ends a code early: an order after that earns nothing, and says why', async () => {
    const [before] = await purchased([{ order: 'ord-6001', buyer: '821', code: 'FAISAL15' }]);
    expect(await refusalOf(before ?? '')).toBeUndefined();
    const ended = await runNuqta(app.config, ['referrals', 'end', '--campaign', CAMPAIGN, 'faisal15']);
    expect(ended.stdout).toMatch(/^FAISAL15: works until 20\d\d-/);
    const [after] = await purchased([{ order: 'ord-6002', buyer: '822', code: 'FAISAL15' }]);
    expect(await refusalOf(after ?? '')).toBe('REFERRAL_CODE_NOT_VALID');
    expect((await call('POST', `/v1/campaigns/${CAMPAIGN}/referral-codes/NOPE99/end`, admin)).body.error.code).toBe('NUQTA_NOT_FOUND');
    const again = await call('POST', `/v1/campaigns/${CAMPAIGN}/referral-codes/FAISAL15/end`, admin);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ code: 'FAISAL15', uses: 1 });
    expect(Date.parse(again.body.validUntil)).toBeLessThan(Date.now());
  });

  it('prints a member\'s own code and link, the list with uses, and the report', async () => {
    const code = await runNuqta(app.config, ['referrals', 'member-code', '--campaign', CAMPAIGN, '@sara.q']);
    expect(code.stdout.trim().split('\n')).toEqual([saraCode, `https://qahwa.example.sa/r/${saraCode}`]);
    const list = await runNuqta(app.config, ['referrals', 'list', '--campaign', CAMPAIGN]);
    expect(list.stdout).toContain(`${saraCode}\tbring-a-friend\tmember instagram:801\t7/20 use(s)`);
    const report = await runNuqta(app.config, ['referrals', 'report', '--campaign', CAMPAIGN]);
    expect(report.stdout).toContain(`${saraCode}\t7 use(s)\t7 buyer(s)\t6 first-time\t740 SAR\t1600 points issued\t400 held`);
    expect(report.stdout).toContain('influencer Noura (NOURA10, RAMADAN25)\t1 use(s)\t1 buyer(s)\t1 first-time\t120 SAR\t150 points issued\t0 held');
  });
});

describe('a commit cut short after the friend\'s bonus', () => {
  it('is finished when the order comes back: the member still earns once, and the order is in the report', async () => {
    const at = new Date();
    const orderKey = eventKeyOf('instagram', 'purchase', 'ord-7001');
    const buyer = 'instagram:831';
    const sara = (await member('instagram:801')).balance;
    // The worker had counted the order, written its attribution record and the friend's bonus, then died:
    // no decision, no member record, and the member's award never queued.
    await app.nuqta.referralCounters.count({ campaignId: CAMPAIGN, orderKey, buyerId: buyer, at }, { code: saraCode, ownerId: 'instagram:801', maxUses: 20, maxUsesPerMember: 1, windowMs: 0 });
    const referral = { code: saraCode, program: 'bring-a-friend', order: orderKey, referrer: { memberId: 'instagram:801', points: 200 } };
    await app.nuqta.referralOrders.record({
      campaignId: CAMPAIGN, orderKey, orderId: 'ord-7001', code: saraCode, program: 'bring-a-friend', ownerId: 'instagram:801', buyerId: buyer,
      amount: 120, currency: 'SAR', firstOrder: true, outcome: 'REFERRAL_BONUS', points: { buyer: 200, referrer: 200 }, at,
    });
    const bonus: LedgerEntry = {
      campaignId: CAMPAIGN, memberId: buyer, seq: 1, eventKey: orderKey, ruleId: 'referral:bring-a-friend', kind: 'bonus', points: 200, status: 'posted',
      reason: { code: 'REFERRAL_BONUS', text: { en: `Order with code ${saraCode}: 200 points (referral program bring-a-friend)`, ar: '…' } },
      explain: { conditions: [], limits: [], referral }, campaignRevision: app.nuqta.campaigns.get(CAMPAIGN).revision, occurredAt: at, by: 'system', createdAt: at,
    };
    await app.nuqta.db.collection('ledger').insertOne({ _id: ledgerEntryId(CAMPAIGN, buyer, 1), ...bonus } as never);

    // The shop's retry brings the order back: recovered, decided once, and the member's award queued from the bonus.
    await purchased([{ order: 'ord-7001', buyer: '831', code: saraCode }], 2);
    expect((await app.nuqta.decisions.get(CAMPAIGN, orderKey))?.recovered).toBe(true);
    await referrerDecided(orderKey, 'instagram:801');
    expect((await member(buyer)).balance).toBe(200);
    expect((await member('instagram:801')).balance).toBe(sara + 200);
    const awards = (await app.nuqta.ledger.entriesAfter(CAMPAIGN, 'instagram:801', 0)).filter((entry) => (entry.explain.referral as { order?: string } | undefined)?.order === orderKey);
    expect(awards.map((entry) => [entry.ruleId, entry.points])).toEqual([['referrer:bring-a-friend', 200]]);
    expect(await recordVersusLedger(app.nuqta, CAMPAIGN, buyer)).toEqual([]);
    expect(await recordVersusLedger(app.nuqta, CAMPAIGN, 'instagram:801')).toEqual([]);
    const row = (await call('GET', `/v1/campaigns/${CAMPAIGN}/referrals/report`, admin)).body.codes.find((code: { code: string }) => code.code === saraCode);
    expect(row).toMatchObject({ uses: 8, buyers: 8 });
  });
});

describe('a refunded order', () => {
  // A referrer of their own: Sara's code has been used by many accounts today, which holds its orders.
  let maha = '';
  beforeAll(async () => {
    await scored(app, [{ user: '851', id: 'rf-851-1', username: 'maha.k', account: ACCOUNT }], CAMPAIGN);
    maha = (await call('POST', `/v1/campaigns/${CAMPAIGN}/members/instagram:851/referral-code`, admin, {})).body.code;
  });

  async function refunded(order: string, buyer: string, times = 1): Promise<string> {
    const event = { platform: 'instagram', kind: 'order_refunded', platformEventId: order, actor: { platformUserId: buyer }, target: { accountId: ACCOUNT }, occurredAt: new Date().toISOString() };
    for (let round = 0; round < times; round += 1) expect((await call('POST', '/v1/events', TEST_SECRETS.ingestKey, { events: [event] })).status).toBe(202);
    const key = eventKeyOf('instagram', 'order_refunded', order);
    await eventually(async () => (await app.nuqta.decisions.get(CAMPAIGN, key)) ?? undefined, 30_000, 'the refund to be decided');
    return key;
  }

  it('takes back what it earned, the referrer\'s award too, once, and leaves the report\'s figures', async () => {
    const before = (await call('GET', `/v1/campaigns/${CAMPAIGN}/referrals/report`, admin)).body.codes.find((code: { code: string }) => code.code === maha);
    const [order] = await purchased([{ order: 'ord-8001', buyer: '841', username: 'quick.refund', code: maha }]);
    await referrerDecided(order ?? '', 'instagram:851');
    const referrer = (await member('instagram:851')).balance;
    expect(referrer).toBe(210);
    expect((await member('instagram:841')).balance).toBe(200);
    const refund = await refunded('ord-8001', '841', 2);
    const decision = await app.nuqta.decisions.get(CAMPAIGN, refund);
    const [reversal] = await app.nuqta.ledger.entries(CAMPAIGN, 'instagram:841', decision?.entrySeqs ?? []);
    expect(reversal).toMatchObject({ kind: 'reverse', points: -200, ruleId: 'reverse:referral:bring-a-friend', reason: { code: 'REVERSED_REFUNDED', text: { en: 'Order refunded: 200 points taken back (rule referral:bring-a-friend)' } } });
    expect((await member('instagram:841')).balance).toBe(0);
    await eventually(async () => ((await member('instagram:851')).balance === 10 ? true : undefined), 30_000, 'Maha\'s award taken back');
    const taken = (await app.nuqta.ledger.entriesAfter(CAMPAIGN, 'instagram:851', 0)).filter((entry) => entry.ruleId.startsWith('reverse:') || entry.ruleId.startsWith('tier:'));
    // The award had made her gold; taking it back makes her a member again.
    expect(taken.map((entry) => [entry.ruleId, entry.points])).toEqual([['tier:gold', 0], ['reverse:referrer:bring-a-friend', -200], ['tier:member', 0]]);
    expect(await recordVersusLedger(app.nuqta, CAMPAIGN, 'instagram:851')).toEqual([]);
    const after = (await call('GET', `/v1/campaigns/${CAMPAIGN}/referrals/report`, admin)).body.codes.find((code: { code: string }) => code.code === maha);
    expect(before).toMatchObject({ uses: 0, refunded: 0 });
    expect(after).toMatchObject({ uses: 0, buyers: 0, revenue: [], points: { issued: 0, held: 0 }, refunded: 1 });
  });

  it('refunded before the order is scored: the order earns nothing, and nobody else does', async () => {
    const refund = await refunded('ord-8002', '842');
    expect((await app.nuqta.decisions.get(CAMPAIGN, refund))?.entrySeqs).toHaveLength(1);
    const [order] = await purchased([{ order: 'ord-8002', buyer: '842', code: maha }]);
    expect(await refusalOf(order ?? '')).toBe('ORDER_REFUNDED');
    expect((await member('instagram:842')).balance).toBe(0);
    expect((await member('instagram:851')).balance).toBe(10);
  });

  it('taken back before the referrer\'s award was written: the award never comes', async () => {
    const order = eventKeyOf('instagram', 'purchase', 'ord-8003');
    const key = referrerKeyOf(CAMPAIGN, { order, referrer: { memberId: 'instagram:851' } });
    await app.nuqta.queue.enqueueMemberTasks([referrerReversalTask(CAMPAIGN, { order, referrerId: 'instagram:851', program: 'bring-a-friend' })]);
    const decided = await eventually(async () => (await app.nuqta.decisions.get(CAMPAIGN, key)) ?? undefined, 30_000, 'the award\'s key decided as refunded');
    expect(decided.nonAwards[0]?.reason.code).toBe('ORDER_REFUNDED');
    const award = referrerTask(CAMPAIGN, {
      referral: { code: maha, program: 'bring-a-friend', order, referrer: { memberId: 'instagram:851', points: 200 } },
      buyer: { memberId: 'instagram:843' }, occurredAt: new Date(), status: 'posted',
    });
    await app.nuqta.queue.enqueueMemberTasks([award]);
    const job = await eventually(async () => {
      const found = await app.nuqta.queue.partitions.map((queue) => queue.getJob(award.taskId)).reduce(async (first, next) => (await first) ?? next);
      return found && (await found.isCompleted()) ? found : undefined;
    }, 30_000, 'the award task to run');
    expect(job.returnvalue).toBe('decided before');
    expect((await member('instagram:851')).balance).toBe(10);
  });
});
