import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ActorProfile } from '../../../src/domain/event.js';
import { CLEARABLE_FRAUD_SIGNALS, DEFAULT_FRAUD_WEIGHTS, FRAUD_SIGNAL_CODES, decisionFor, fraudListsFor, scoreOf } from '../../../src/scoring/fraud/index.js';
import { campaignWith, eventOf, MINUTE, T0, verdictFor } from './fixtures.js';

const DAY = 86_400_000;

describe('lists', () => {
  const campaign = campaignWith({ staff: ['@Cafe_Ahmed'], blocked: ['instagram:u-bad', '@spam.king'] });
  const lists = fraudListsFor(campaign, ['@shared_block']);

  it.each([
    ['blocked by member id', { user: 'u-bad' }, 'blocked_member'],
    ['blocked by username, any case', { username: 'Spam.King' }, 'blocked_member'],
    ['blocked on the shared list', { username: 'shared_block' }, 'blocked_member'],
    ['brand staff, excluded from the campaign', { username: 'cafe_ahmed' }, 'staff_member'],
  ])('%s → reject with %s', (_name, spec, code) => {
    const verdict = verdictFor(eventOf(spec), { campaign, lists });
    expect(verdict.decision).toBe('reject');
    expect(verdict.signals[0]?.code).toBe(code);
  });

  it('a campaign that lets staff take part sets the staff weight to 0', () => {
    const open = campaignWith({ staff: ['@cafe_ahmed'], weights: { staff_member: 0 } });
    expect(verdictFor(eventOf({ username: 'cafe_ahmed' }), { campaign: open, lists: fraudListsFor(open) }).decision).toBe('allow');
  });

  it('nobody on a list: nothing', () => {
    expect(verdictFor(eventOf({ username: 'sara.alotaibi' }), { campaign, lists }).signals).toEqual([]);
  });
});

describe('score and decision', () => {
  it('the score is the sum of weight × value, capped at 1, and the strongest reason comes first', () => {
    const prior = Array.from({ length: 7 }, (_, i) => eventOf({ at: T0 - 5 * MINUTE + i * 30_000, mediaId: `m${i}` }));
    const verdict = verdictFor(eventOf({ text: '🔥🔥', username: 'user83920193' }), { prior });
    const sum = verdict.signals.reduce((total, signal) => total + signal.weight * signal.value, 0);
    expect(verdict.score).toBeCloseTo(Math.min(1, sum), 3);
    const contributions = verdict.signals.map((signal) => signal.weight * signal.value);
    expect(contributions).toEqual([...contributions].sort((a, b) => b - a));
    expect(verdict.signals[0]?.code).toBe('member_burst');
  });

  it.each([
    [0.49, 'allow'],
    [0.5, 'hold'],
    [0.84, 'hold'],
    [0.85, 'reject'],
    [1, 'reject'],
  ] as const)('with the default thresholds %s → %s', (score, decision) => {
    expect(decisionFor(score, campaignWith().fraud)).toBe(decision);
  });

  it('campaign thresholds and weights apply', () => {
    const strict = campaignWith({ hold_at: 0.05, reject_at: 0.5, weights: { generic_comment: 0.5 } });
    expect(verdictFor(eventOf({ text: '🔥🔥' }), { campaign: strict })).toMatchObject({ score: 0.5, decision: 'reject' });
    expect(verdictFor(eventOf({ text: '🔥🔥' }))).toMatchObject({ score: 0.08, decision: 'allow' });
  });

  it('scoreOf caps at 1', () => {
    expect(scoreOf([{ weight: 1, value: 1 }, { weight: 0.7, value: 1 }])).toBe(1);
    expect(scoreOf([])).toBe(0);
  });

  it('every code has a default weight between 0 and 1', () => {
    for (const code of FRAUD_SIGNAL_CODES) {
      expect(DEFAULT_FRAUD_WEIGHTS[code]).toBeGreaterThan(0);
      expect(DEFAULT_FRAUD_WEIGHTS[code]).toBeLessThanOrEqual(1);
    }
  });

  it('every reason reads in English and in Arabic', () => {
    const lists = { staff: new Set(['@cafe_ahmed']), blocked: new Set(['@cafe_ahmed']) };
    const prior = [
      ...Array.from({ length: 8 }, (_, i) => eventOf({ at: T0 - 5 * MINUTE + i * 20_000 })),
      eventOf({ kind: 'comment_deleted', at: T0 - MINUTE }),
    ];
    const verdict = verdictFor(
      eventOf({
        username: 'cafe_ahmed',
        text: '😍',
        profile: { accountCreatedAt: new Date(T0 - DAY), followersCount: 1, followingCount: 3_000, mediaCount: 0, hasDefaultAvatar: true },
      }),
      { prior, lists },
    );
    expect(verdict.signals.length).toBeGreaterThanOrEqual(8);
    for (const signal of verdict.signals) {
      expect(signal.text.en).toMatch(/^[\x20-\x7E]+$/);
      expect(signal.text.ar).toMatch(/[\u0600-\u06FF]/);
    }
  });
});

describe('clearance by a reviewer’s approval', () => {
  const emptyNewProfile: ActorProfile = { accountCreatedAt: new Date(T0 - DAY), followersCount: 1, mediaCount: 0, hasDefaultAvatar: true };

  it('cleared account-level reasons count for nothing, and the verdict says which fired', () => {
    const event = eventOf({ username: 'user83920193', text: '😍', profile: emptyNewProfile });
    const before = verdictFor(event);
    expect(before.decision).toBe('hold');
    const after = verdictFor(event, { cleared: new Set(['new_account', 'thin_profile', 'username_pattern', 'generic_comment']) });
    expect(after).toMatchObject({ score: 0, decision: 'allow', signals: [], cleared: ['new_account', 'thin_profile', 'username_pattern', 'generic_comment'] });
  });

  it('acts and lists are judged anew: a burst, a copy or a block still counts when cleared', () => {
    const prior = Array.from({ length: 7 }, (_, i) => eventOf({ at: T0 - 5 * MINUTE + i * 30_000, mediaId: `m${i}` }));
    const cleared = new Set(['member_burst', 'blocked_member'] as const);
    const campaign = campaignWith({ blocked: ['instagram:u-1'] });
    const verdict = verdictFor(eventOf(), { prior, cleared, campaign, lists: fraudListsFor(campaign) });
    expect(verdict.signals.map((signal) => signal.code)).toEqual(['blocked_member', 'member_burst']);
    expect(verdict.cleared).toBeUndefined();
  });

  it('only clearable codes can be cleared', () => {
    expect([...CLEARABLE_FRAUD_SIGNALS].sort()).toEqual(['arrival_cohort', 'co_engagement_ring', 'follow_ratio', 'generic_comment', 'new_account', 'thin_profile', 'username_pattern']);
  });
});

describe('time', () => {
  it('a future-dated event is judged at now: it cannot make an account look older', () => {
    const profile = { accountCreatedAt: new Date(T0 - DAY) };
    const event = eventOf({ profile, at: T0 + 60 * DAY });
    expect(verdictFor(event, { now: new Date(T0) }).signals[0]?.code).toBe('new_account');
  });

  it('the same input gives the same verdict', () => {
    const event = eventOf({ text: '🔥🔥' });
    expect(verdictFor(event)).toEqual(verdictFor(event));
  });
});

describe('unknown is never guilt (property)', () => {
  const profileArbitrary = fc.record(
    {
      accountCreatedAt: fc.date({ min: new Date(T0 - 3_000 * DAY), max: new Date(T0) }),
      followersCount: fc.nat(5_000),
      followingCount: fc.nat(8_000),
      mediaCount: fc.nat(500),
      hasDefaultAvatar: fc.boolean(),
    },
    { requiredKeys: [] },
  );

  it('forgetting any profile fact never raises the score', () => {
    fc.assert(
      fc.property(profileArbitrary, fc.constantFrom(...(['accountCreatedAt', 'followersCount', 'followingCount', 'mediaCount', 'hasDefaultAvatar'] as const)), (profile, field) => {
        const known = verdictFor(eventOf({ profile })).score;
        const less: ActorProfile = { ...profile };
        delete less[field];
        expect(verdictFor(eventOf({ profile: less })).score).toBeLessThanOrEqual(known);
        expect(verdictFor(eventOf({})).score).toBeLessThanOrEqual(known);
      }),
      { numRuns: 200 },
    );
  });
});
