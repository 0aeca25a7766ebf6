/**
 * Synthetic accounts: a username and, when the brand knows it, a profile.
 * Honest shapes overlap with fraudulent ones on purpose (lurkers follow many
 * and post little, some people keep the platform's default handle, new
 * accounts are often empty), so the account signals alone cannot separate them.
 */
import type { ActorProfile } from '../domain/event.js';
import type { Rng } from './rng.js';

export type AccountShape = 'established' | 'lurker' | 'new' | 'fresh_bot' | 'aged_bot';

export interface SyntheticAccount {
  platformUserId: string;
  username: string;
  profile: ActorProfile | undefined;
}

const FIRST = [
  'sara', 'noura', 'reem', 'hessa', 'lulu', 'maha', 'dana', 'fatma', 'aisha', 'mariam', 'shahad', 'joud', 'ghala', 'rawan', 'abeer',
  'ahmed', 'mohammed', 'm7md', 'abdullah', '3bdullah', 'fahad', 'khalid', 'saud', 'faisal', 'turki', 'nasser', 'omar', 'yousef',
  'hamad', 'salem', 'ali', 'hussain', 'majed', 'bader', 'sultan', 'nawaf', 'rakan', 'ziyad',
];
const FAMILY = ['alotaibi', 'alharbi', 'alqahtani', 'alshamrani', 'alghamdi', 'aldosari', 'almutairi', 'alzahrani', 'alshehri', 'alenezi', 'alkuwari', 'almansoori', 'albalushi', 'alhashimi'];
const HOBBY = ['foodie', 'coffee', 'photos', 'travels', 'ksa', 'dxb', 'q8', 'art', 'fit', 'eats'];

const DAY_MS = 86_400_000;

function chosenUsername(rng: Rng): string {
  const first = rng.pick(FIRST);
  const year = String(rng.int(1985, 2008));
  const patterns = [
    () => `${first}.${rng.pick(FAMILY)}`,
    () => `${first}_${rng.pick(FAMILY)}`,
    () => `${first}${year.slice(2)}`,
    () => `${first}_${year}`,
    () => `abu_${rng.pick(FIRST)}`,
    () => `${first}.${rng.pick(HOBBY)}`,
    () => `${rng.pick(HOBBY)}_${first}`,
    () => `the.${first}`,
    () => `${first}${rng.pick(FAMILY).slice(2, 3)}${rng.int(1, 99)}`,
  ];
  return rng.pick(patterns)();
}

function generatedUsername(rng: Rng): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const patterns = [
    () => `user${rng.int(100_000_000, 999_999_999)}`,
    () => Array.from({ length: rng.int(7, 10) }, () => alphabet[rng.int(0, alphabet.length - 1)]).join(''),
    () => `${rng.pick(FIRST)}${rng.int(10_000, 9_999_999)}`,
  ];
  return rng.pick(patterns)();
}

function username(rng: Rng, shape: AccountShape): string {
  if (shape === 'fresh_bot') return rng.chance(0.6) ? generatedUsername(rng) : chosenUsername(rng);
  if (shape === 'aged_bot') return rng.chance(0.3) ? generatedUsername(rng) : chosenUsername(rng);
  // Some honest people never change the platform's default handle.
  if (rng.chance(0.03)) return `user${rng.int(10_000_000, 999_999_999)}`;
  return chosenUsername(rng);
}

const count = (value: number): number => Math.max(0, Math.round(value));

function profile(rng: Rng, shape: AccountShape, at: number): ActorProfile {
  switch (shape) {
    case 'established':
      return {
        accountCreatedAt: new Date(at - Math.exp(rng.between(Math.log(60), Math.log(4_000))) * DAY_MS),
        followersCount: count(rng.logNormal(300, 1.1)),
        followingCount: count(rng.logNormal(450, 0.7)),
        mediaCount: count(rng.logNormal(80, 1.2)),
        hasDefaultAvatar: rng.chance(0.03),
      };
    case 'lurker':
      return {
        accountCreatedAt: new Date(at - rng.between(90, 3_000) * DAY_MS),
        followersCount: count(rng.logNormal(40, 0.9)),
        followingCount: count(rng.logNormal(900, 0.5)),
        mediaCount: count(rng.logNormal(3, 1.2)),
        hasDefaultAvatar: rng.chance(0.15),
      };
    case 'new':
      return {
        accountCreatedAt: new Date(at - rng.between(0, 30) * DAY_MS),
        followersCount: count(rng.logNormal(15, 1)),
        followingCount: count(rng.logNormal(80, 0.8)),
        mediaCount: count(rng.logNormal(1, 1)),
        hasDefaultAvatar: rng.chance(0.35),
      };
    case 'fresh_bot':
      return {
        accountCreatedAt: new Date(at - rng.between(0, 2.5) * DAY_MS),
        followersCount: count(rng.between(0, 15)),
        followingCount: count(rng.chance(0.75) ? rng.between(800, 5_000) : rng.between(30, 300)),
        mediaCount: rng.chance(0.8) ? 0 : 1,
        hasDefaultAvatar: rng.chance(0.8),
      };
    case 'aged_bot':
      return {
        accountCreatedAt: new Date(at - rng.between(60, 700) * DAY_MS),
        followersCount: count(rng.logNormal(80, 1)),
        followingCount: count(rng.logNormal(1_200, 0.6)),
        mediaCount: count(rng.logNormal(8, 1)),
        hasDefaultAvatar: rng.chance(0.25),
      };
  }
}

export interface AccountFactory {
  make(shape: AccountShape, at: number, profileKnown: number): SyntheticAccount;
}

/** `profileKnown`: the share of accounts whose profile the brand could look up. */
export function accountFactory(rng: Rng): AccountFactory {
  let next = 0;
  const used = new Set<string>();
  return {
    make(shape, at, profileKnown) {
      next += 1;
      let handle = username(rng, shape);
      while (used.has(handle)) handle = `${handle}${rng.int(0, 9)}`;
      used.add(handle);
      return {
        platformUserId: `1784${String(next).padStart(11, '0')}`,
        username: handle,
        profile: rng.chance(profileKnown) ? profile(rng, shape, at) : undefined,
      };
    },
  };
}
