/**
 * Honest followers. What makes them realistic is what makes fraud detection
 * hard: loyal fans who comment within minutes of every post, friends who tag
 * each other and answer together, lively threads, short stock comments
 * ("🔥🔥", "جميل"), the odd typo fixed by deleting and commenting again,
 * brand-new accounts, a post shared by an influencer that brings a wave
 * of first-time commenters, and the crowds that write the same thing at once:
 * a live video where hundreds of fans post the same blessing within minutes,
 * and a brand's question that its fans answer with the same word.
 */
import type { AccountFactory, AccountShape, SyntheticAccount } from './accounts.js';
import type { Rng } from './rng.js';
import { stockCopy, stockPhrases } from './fraud-words.js';
import { brandAnswer, entryComment, genericComment, replyText, specificComment, type Language } from './words.js';
import { days, minutes, Recorder, type LabelledEvent, type Post, type World } from './world.js';

interface Follower {
  account: SyntheticAccount;
  activeFrom: number;
  /** Chance of commenting on any one post. */
  engagement: number;
  /** Share of comments written in the first minutes after a post. */
  eagerness: number;
  language: Language;
  genericShare: number;
  chattiness: number;
  friends: SyntheticAccount[];
}

const STORY_TEXTS = ['☕️ صباح الخير', '@nuqtacafe ❤️', 'my daily dose ☕️', 'قهوة اليوم'];

function pickShape(rng: Rng): AccountShape {
  const roll = rng.next();
  return roll < 0.75 ? 'established' : roll < 0.92 ? 'lurker' : 'new';
}

function pickLanguage(rng: Rng): Language {
  const roll = rng.next();
  return roll < 0.65 ? 'ar' : roll < 0.9 ? 'en' : 'mixed';
}

function follower(world: World, accounts: AccountFactory, activeFrom: number, superfan: boolean): Follower {
  const { rng } = world;
  return {
    account: accounts.make(pickShape(rng), activeFrom, 0.6),
    activeFrom,
    engagement: superfan ? rng.between(0.5, 0.85) : Math.min(0.4, rng.logNormal(0.06, 0.8)),
    eagerness: superfan ? 0.5 : 0.2,
    language: pickLanguage(rng),
    genericShare: rng.between(0.15, 0.6),
    chattiness: rng.between(0, 0.25),
    friends: [],
  };
}

function commentText(rng: Rng, fan: Follower, friend: string): string {
  if (rng.chance(0.04)) return entryComment(rng);
  return rng.chance(fan.genericShare) ? genericComment(rng, fan.language) : specificComment(rng, fan.language, friend);
}

function commentOn(world: World, record: Recorder, fan: Follower, post: Post, at: number, handles: readonly string[]): void {
  const { rng } = world;
  const tagging = fan.friends.length > 0 && rng.chance(0.3);
  const friend = tagging ? rng.pick(fan.friends).username : rng.pick(handles);
  const text = tagging ? `${specificComment(rng, fan.language, friend)} @${friend}` : commentText(rng, fan, friend);
  const commentId = record.act(fan.account, { kind: 'comment', at, mediaId: post.mediaId, text });
  if (commentId === undefined) return;
  let last = at;
  if (tagging) {
    for (const mate of fan.friends) {
      if (!rng.chance(0.6)) continue;
      const replyAt = at + rng.exponential(minutes(5)) + 15_000;
      record.act(mate, { kind: 'reply', at: replyAt, mediaId: post.mediaId, commentId, text: replyText(rng) });
      last = Math.max(last, replyAt);
    }
  }
  if (rng.chance(fan.chattiness)) {
    for (let reply = rng.int(1, 4); reply > 0; reply -= 1) {
      last += rng.exponential(minutes(3)) + 20_000;
      const reply = rng.chance(0.5) ? replyText(rng) : commentText(rng, fan, friend);
      record.act(fan.account, { kind: 'reply', at: last, mediaId: post.mediaId, commentId, text: reply });
    }
  }
  if (rng.chance(0.03)) {
    // A typo fixed: delete, then post again.
    const deletedAt = at + rng.between(30_000, minutes(3));
    record.act(fan.account, { kind: 'comment_deleted', at: deletedAt, mediaId: post.mediaId, commentId });
    record.act(fan.account, { kind: 'comment', at: deletedAt + rng.between(20_000, minutes(2)), mediaId: post.mediaId, text });
  }
  if (rng.chance(0.05)) {
    const secondAt = at + rng.exponential(minutes(20)) + minutes(1);
    record.act(fan.account, { kind: 'comment', at: secondAt, mediaId: post.mediaId, text: commentText(rng, fan, friend) });
  }
}

function delayAfterPost(rng: Rng, fan: Follower): number {
  if (rng.chance(fan.eagerness)) return rng.exponential(minutes(12)) + 20_000;
  return Math.min(days(3), rng.logNormal(minutes(180), 1));
}

/** Some friends come as groups of three who tag each other. */
function groupFriends(rng: Rng, fans: readonly Follower[]): void {
  const members = rng.shuffle(fans).slice(0, Math.floor(fans.length * 0.25));
  for (let i = 0; i + 3 <= members.length; i += 3) {
    const group = members.slice(i, i + 3);
    for (const fan of group) fan.friends = group.filter((other) => other !== fan).map((other) => other.account);
  }
}

/** An influencer shares one post: first-time commenters arrive within minutes, some on brand-new accounts. */
function influencerWave(world: World, accounts: AccountFactory, record: Recorder, handles: readonly string[]): Follower[] {
  const { rng, posts } = world;
  const candidates = posts.filter((post) => post.publishedAt >= world.startsAt + days(3));
  if (candidates.length === 0) return [];
  const post = rng.pick(candidates);
  const sharedAt = post.publishedAt + rng.between(minutes(60), minutes(300));
  const arrivals = Math.round(world.audience * rng.between(0.07, 0.12));
  const newcomers: Follower[] = [];
  for (let i = 0; i < arrivals; i += 1) {
    const fan = follower(world, accounts, sharedAt, false);
    if (rng.chance(0.2)) fan.account = accounts.make('new', sharedAt, 0.6);
    fan.genericShare = 0.55;
    const at = sharedAt + rng.exponential(minutes(10));
    const text = rng.chance(0.2) ? `${entryComment(rng)} @${rng.pick(handles)}` : commentText(rng, fan, rng.pick(handles));
    record.act(fan.account, { kind: 'comment', at, mediaId: post.mediaId, text });
    fan.engagement = 0.04;
    fan.activeFrom = at + minutes(60);
    newcomers.push(fan);
  }
  return newcomers;
}

/**
 * Fans who are not yet part of the campaign, drawn in by a moment (a live
 * video, a question): first seen on that post, like a farm's accounts, but
 * ordinary people with ordinary accounts.
 */
function drawnIn(world: World, accounts: AccountFactory, at: number, share: number): Follower[] {
  return Array.from({ length: Math.round(world.audience * share) }, () => follower(world, accounts, at, false));
}

/** The fans who commented or mentioned the brand before `at`: the campaign knows them. */
function knownBefore(record: Recorder, at: number): Set<string> {
  return new Set(record.events.filter(({ event }) => event.occurredAt.getTime() < at).map(({ event }) => event.actor.platformUserId));
}

/**
 * A live video (or a giveaway post): within minutes, many of the fans the
 * campaign knows, some quiet followers writing for the first time, and a
 * crowd of people drawn in by the moment write the same stock blessing about
 * the product on screen, each with their own emoji and spelling.
 */
function liveCrowd(world: World, accounts: AccountFactory, record: Recorder, fans: readonly Follower[]): void {
  const { rng } = world;
  const post = rng.pick(world.posts.filter((candidate) => candidate.publishedAt >= world.startsAt + days(2)));
  const liveAt = post.publishedAt + rng.between(minutes(30), minutes(240));
  const [phrase = 'ما شاء الله'] = stockPhrases(rng, 1);
  const known = knownBefore(record, liveAt);
  const joining = fans.filter((fan) => fan.activeFrom <= liveAt && rng.chance(known.has(fan.account.platformUserId) ? 0.45 : 0.1));
  for (const fan of [...joining, ...drawnIn(world, accounts, liveAt, rng.between(0.05, 0.12))]) {
    const at = liveAt + Math.min(minutes(40), rng.exponential(minutes(6)));
    const text = rng.chance(0.65) ? stockCopy(rng, phrase) : commentText(rng, fan, fan.account.username);
    record.act(fan.account, { kind: 'comment', at, mediaId: post.mediaId, text });
  }
}

/** The brand asks "which drink do you want back?": its fans answer within hours, most with the same word. */
function brandQuestion(world: World, accounts: AccountFactory, record: Recorder, fans: readonly Follower[]): void {
  const { rng } = world;
  const post = rng.pick(world.posts.filter((candidate) => candidate.publishedAt >= world.startsAt + days(1)));
  const known = knownBefore(record, post.publishedAt);
  const joining = fans.filter((fan) => fan.activeFrom <= post.publishedAt && rng.chance(known.has(fan.account.platformUserId) ? 0.35 : 0.05));
  for (const fan of [...joining, ...drawnIn(world, accounts, post.publishedAt, rng.between(0.02, 0.05))]) {
    const at = post.publishedAt + Math.min(days(1), rng.exponential(minutes(50)) + 30_000);
    record.act(fan.account, { kind: 'comment', at, mediaId: post.mediaId, text: brandAnswer(rng, fan.language) });
  }
}

export function ordinaryFollowers(world: World, accounts: AccountFactory): LabelledEvent[] {
  const { rng } = world;
  const record = new Recorder(world, 'ordinary');
  const fans = Array.from({ length: world.audience }, () => {
    const activeFrom = rng.chance(0.8) ? world.startsAt : rng.between(world.startsAt, world.endsAt);
    return follower(world, accounts, activeFrom, rng.chance(0.04));
  });
  groupFriends(rng, fans);
  const handles = fans.map((fan) => fan.account.username);
  fans.push(...influencerWave(world, accounts, record, handles));
  for (const post of world.posts) {
    for (const fan of fans) {
      if (fan.activeFrom > post.publishedAt || !rng.chance(fan.engagement)) continue;
      commentOn(world, record, fan, post, post.publishedAt + delayAfterPost(rng, fan), handles);
    }
  }
  // After the regular posts, so each crowd knows who the campaign has seen before it.
  liveCrowd(world, accounts, record, fans);
  brandQuestion(world, accounts, record, fans);
  for (let day = world.startsAt; day < world.endsAt; day += days(1)) {
    for (const fan of fans) {
      if (fan.activeFrom <= day && rng.chance(0.01)) {
        const at = day + rng.between(minutes(480), minutes(1_400));
        record.act(fan.account, { kind: 'story_mention', at, text: rng.pick(STORY_TEXTS) });
      }
    }
  }
  return record.events;
}
