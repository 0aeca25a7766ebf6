import { describe, expect, it } from 'vitest';
import type { ActorProfile } from '../../../src/domain/event.js';
import { usernamePattern } from '../../../src/scoring/fraud/username.js';
import { eventOf, T0, valueOf, verdictFor } from './fixtures.js';

const DAY = 86_400_000;
const daysAgo = (days: number): Date => new Date(T0 - days * DAY);
const established: ActorProfile = { accountCreatedAt: daysAgo(900), followersCount: 340, followingCount: 410, mediaCount: 85, hasDefaultAvatar: false };

const valueFor = (code: string, profile: ActorProfile | undefined, username?: string): number =>
  valueOf(
    verdictFor(eventOf({ ...(profile === undefined ? {} : { profile }), ...(username === undefined ? {} : { username }) })),
    code,
  );

describe('new_account', () => {
  it.each([
    ['created today', daysAgo(0), 1],
    ['3 days old', daysAgo(3), 1],
    ['16 days old', daysAgo(16.5), 0.519],
    ['30 days old', daysAgo(30), 0],
    ['years old', daysAgo(900), 0],
    ['created after the action (bad data)', new Date(T0 + DAY), 0],
  ])('%s → %s', (_name, accountCreatedAt, expected) => {
    expect(valueFor('new_account', { accountCreatedAt })).toBeCloseTo(expected, 2);
  });
});

describe('thin_profile', () => {
  it.each<[string, ActorProfile, number]>([
    ['default picture, no posts, 3 followers', { hasDefaultAvatar: true, mediaCount: 0, followersCount: 3 }, 1],
    ['default picture only', { hasDefaultAvatar: true, mediaCount: 12, followersCount: 300 }, 0.333],
    ['two facts known, both empty', { mediaCount: 0, followersCount: 2 }, 0.667],
    ['a full profile', established, 0],
  ])('%s → %s', (_name, profile, expected) => {
    expect(valueFor('thin_profile', profile)).toBeCloseTo(expected, 2);
  });
});

describe('follow_ratio', () => {
  it.each<[string, ActorProfile, number]>([
    ['follows 3000, 10 followers', { followingCount: 3_000, followersCount: 10 }, 1],
    ['follows 900, 40 followers (a lurker)', { followingCount: 900, followersCount: 40 }, 0],
    ['follows 400, 300 followers', { followingCount: 400, followersCount: 300 }, 0],
    ['follows 1200 after 2 days', { followingCount: 1_200, followersCount: 300, accountCreatedAt: daysAgo(2) }, 1],
    ['follows 80 after 1 day (a person setting up)', { followingCount: 80, followersCount: 3, accountCreatedAt: daysAgo(1) }, 0],
  ])('%s → %s', (_name, profile, expected) => {
    expect(valueFor('follow_ratio', profile)).toBeCloseTo(expected, 2);
  });
});

describe('username_pattern', () => {
  it.each([
    ['sara.alotaibi', undefined],
    ['m7md_1990', undefined],
    ['3bdullah', undefined],
    ['noura_92', undefined],
    ['dxb_foodie', undefined],
    ['mhmd.k', undefined],
    ['user83920193', 'default_handle'],
    ['noura9612682', 'digit_run'],
    ['ahmed12345', 'digit_run'],
    ['xk7q2m9v', 'serial'],
    ['qwrtzplk', 'consonant_cluster'],
  ])('%s → %s', (username, expected) => {
    expect(usernamePattern(username)?.pattern).toBe(expected);
  });

  it('a five-digit run counts half: birth years and phone fragments are common', () => {
    expect(valueFor('username_pattern', undefined, 'ahmed12345')).toBe(0.5);
    expect(valueFor('username_pattern', undefined, 'user83920193')).toBe(1);
  });
});

describe('unknown is never guilt', () => {
  it('no profile and a chosen username: no account signal at all', () => {
    const verdict = verdictFor(eventOf({ username: 'sara.alotaibi' }));
    expect(verdict.signals).toEqual([]);
    expect(verdict).toMatchObject({ score: 0, decision: 'allow' });
  });

  it('a profile with every field missing adds nothing', () => {
    expect(verdictFor(eventOf({ profile: {} })).score).toBe(0);
  });

  it('every account fact at its worst is enough to reject', () => {
    const verdict = verdictFor(
      eventOf({
        username: 'user83920193',
        profile: { accountCreatedAt: daysAgo(0), followersCount: 0, followingCount: 4_000, mediaCount: 0, hasDefaultAvatar: true },
      }),
    );
    expect(verdict.decision).toBe('reject');
    expect(verdict.signals.map((signal) => signal.code).sort()).toEqual(['follow_ratio', 'new_account', 'thin_profile', 'username_pattern']);
  });

  it('an honest new account writing a stock comment is allowed', () => {
    const verdict = verdictFor(
      eventOf({
        text: 'جميل 😍',
        profile: { accountCreatedAt: daysAgo(5), followersCount: 12, followingCount: 70, mediaCount: 0, hasDefaultAvatar: true },
      }),
    );
    expect(verdict.decision).toBe('allow');
  });
});
