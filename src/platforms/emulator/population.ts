/**
 * A seeded population of followers: Gulf names in Arabic or English, the
 * handles and ids each platform would give them, and how active each one is.
 * Pure: the same options always give the same population.
 */
import {
  EXPAT_FAMILY_NAMES,
  EXPAT_GIVEN_NAMES,
  FAMILY_NAMES,
  GIVEN_NAMES,
  type FollowerLocale,
  type TransliteratedName,
} from './corpus.js';
import { createRandom, type Random } from './random.js';

export interface InstagramIdentity {
  /** Instagram user ids are 17-digit strings. */
  id: string;
  username: string;
}

export interface TikTokIdentity {
  /** App-scoped id (64 hex), `user_id` in the business API. */
  userId: string;
  /** Stable across TikTok APIs, `unique_identifier` in the business API. */
  uniqueIdentifier: string;
  username: string;
  displayName: string;
}

export interface Follower {
  index: number;
  locale: FollowerLocale;
  displayName: string;
  instagram: InstagramIdentity;
  tiktok: TikTokIdentity;
  /** Relative activity weight, Pareto distributed: a few followers are very active, most comment now and then. */
  activity: number;
}

export interface Population {
  seed: number;
  followers: readonly Follower[];
}

export interface PopulationOptions {
  seed: number;
  size: number;
  /** Share of followers who write in Arabic (default 0.65). */
  arabicShare?: number;
}

/** Pareto shape near the 80/20 rule. */
const ACTIVITY_SHAPE = 1.2;

export function createPopulation(options: PopulationOptions): Population {
  if (!Number.isInteger(options.size) || options.size < 1) throw new RangeError('population size must be a positive integer');
  const random = createRandom(options.seed).fork('population');
  const arabicShare = options.arabicShare ?? 0.65;
  const takenHandles = { instagram: new Set<string>(), tiktok: new Set<string>() };
  const takenIds = new Set<string>();
  const followers: Follower[] = [];
  for (let index = 0; index < options.size; index += 1) {
    const locale: FollowerLocale = random.chance(arabicShare) ? 'ar' : 'en';
    const name = nameFor(locale, random);
    const instagramHandle = uniqueHandle(handleFrom(name.latin, random), takenHandles.instagram, random);
    // Most people keep one handle across apps; some had theirs taken on TikTok.
    const tiktokBase = random.chance(0.7) ? instagramHandle : handleFrom(name.latin, random);
    followers.push({
      index,
      locale,
      displayName: name.display,
      instagram: { id: uniqueId(() => `1784${random.digits(13)}`, takenIds), username: instagramHandle },
      tiktok: {
        userId: uniqueId(() => random.hex(64), takenIds),
        uniqueIdentifier: uniqueId(() => random.base64(64), takenIds),
        username: uniqueHandle(tiktokBase, takenHandles.tiktok, random),
        displayName: name.display,
      },
      activity: Math.min(options.size, (1 - random.next()) ** (-1 / ACTIVITY_SHAPE)),
    });
  }
  return { seed: options.seed, followers };
}

interface FollowerName {
  display: string;
  /** Given and family name in Latin letters, for handles. */
  latin: { given: string; family: string };
}

function nameFor(locale: FollowerLocale, random: Random): FollowerName {
  if (locale === 'ar') {
    const given = random.pick(GIVEN_NAMES);
    const family = random.pick(FAMILY_NAMES);
    return { display: `${given.ar} ${family.ar}`, latin: latinOf(given, family) };
  }
  if (random.chance(0.7)) {
    const given = random.pick(GIVEN_NAMES);
    const family = random.pick(FAMILY_NAMES);
    return { display: `${given.en} ${family.en}`, latin: latinOf(given, family) };
  }
  const given = random.pick(EXPAT_GIVEN_NAMES);
  const family = random.pick(EXPAT_FAMILY_NAMES);
  return { display: `${given} ${family}`, latin: { given, family } };
}

function latinOf(given: TransliteratedName, family: TransliteratedName): FollowerName['latin'] {
  return { given: given.en, family: family.en };
}

/** Handles as people pick them: `noura.alotaibi`, `faisal_harbi92`, `its_reem`, `dosari.khalid`. */
function handleFrom(latin: FollowerName['latin'], random: Random): string {
  const given = latin.given.toLowerCase();
  const family = latin.family.toLowerCase().replace(/[^a-z]/g, '');
  const shortFamily = family.replace(/^al/, '');
  const patterns = [
    () => `${given}.${family}`,
    () => `${given}_${shortFamily}${random.int(1, 99)}`,
    () => `${given}${family}`,
    () => `its_${given}`,
    () => `${shortFamily}.${given}`,
    () => `${given}.${random.int(1985, 2008)}`,
    () => `${given[0] ?? 'x'}.${shortFamily}`,
  ];
  return random.pick(patterns)().slice(0, 30);
}

function uniqueHandle(base: string, taken: Set<string>, random: Random): string {
  let handle = base;
  while (taken.has(handle)) handle = `${base.slice(0, 26)}${random.int(1, 999)}`;
  taken.add(handle);
  return handle;
}

function uniqueId(draw: () => string, taken: Set<string>): string {
  let id = draw();
  while (taken.has(id)) id = draw();
  taken.add(id);
  return id;
}
