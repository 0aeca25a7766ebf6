/**
 * Ten styles of fraud, each recorded with its own label. Volumes scale with
 * the honest audience so a bigger population keeps the same mix.
 */
import type { AccountFactory, SyntheticAccount } from './accounts.js';
import { burstFiller, COPY_TEMPLATES, freshFiller, pastedCopy, podPraise, stockCopy, stockPhrases } from './fraud-words.js';
import { genericComment, specificComment } from './words.js';
import { minutes, Recorder, type FraudStyle, type LabelledEvent, type Post, type World } from './world.js';

type StyleScript = (world: World, accounts: AccountFactory, record: Recorder) => void;

const scaled = (world: World, count: number): number => Math.max(1, Math.round((count * world.audience) / 600));
const crew = (size: number, make: () => SyntheticAccount): SyntheticAccount[] => Array.from({ length: size }, make);
const later = (world: World, from: number): Post[] => world.posts.filter((post) => post.publishedAt > from);

/** Accounts made a day or two ago land together on one post, then keep commenting on later posts for the prize. */
const freshAccounts: StyleScript = (world, accounts, record) => {
  const { rng } = world;
  for (let wave = scaled(world, 2); wave > 0; wave -= 1) {
    const post = rng.pick(world.posts);
    const waveAt = post.publishedAt + rng.between(minutes(10), minutes(360));
    const bots = crew(rng.int(12, 25), () => accounts.make('fresh_bot', waveAt, 0.75));
    for (const bot of bots) {
      const text = (): string => (rng.chance(0.6) ? freshFiller(rng) : genericComment(rng, rng.chance(0.7) ? 'ar' : 'en'));
      record.act(bot, { kind: 'comment', at: waveAt + rng.exponential(minutes(4)), mediaId: post.mediaId, text: text() });
      const appetite = rng.between(0.3, 0.7);
      for (const next of later(world, waveAt).filter(() => rng.chance(appetite))) {
        record.act(bot, { kind: 'comment', at: next.publishedAt + rng.logNormal(minutes(40), 1), mediaId: next.mediaId, text: text() });
      }
    }
  }
};

/** Real people in an engagement group: after the group's call, everyone praises the post within minutes. */
const commentPod: StyleScript = (world, accounts, record) => {
  const { rng } = world;
  for (let pod = scaled(world, 2); pod > 0; pod -= 1) {
    const members = crew(rng.int(7, 10), () => accounts.make('established', world.startsAt, 0.6));
    const turnout = rng.between(0.6, 0.8);
    for (const post of world.posts) {
      if (!rng.chance(turnout)) continue;
      const callAt = post.publishedAt + rng.between(minutes(5), minutes(90));
      for (const member of members) {
        if (!rng.chance(0.9)) continue;
        const mate = rng.chance(0.3) ? rng.pick(members).username : undefined;
        const at = callAt + rng.between(0, minutes(10));
        record.act(member, { kind: 'comment', at, mediaId: post.mediaId, text: podPraise(rng, mate) });
      }
    }
  }
};

/** One operator pastes one long Arabic comment from many accounts, edited a little each time. */
const copyPaste: StyleScript = (world, accounts, record) => {
  const { rng } = world;
  const templates = rng.shuffle(COPY_TEMPLATES);
  for (let operator = Math.min(templates.length, scaled(world, 3)); operator > 0; operator -= 1) {
    const template = templates[operator - 1] ?? COPY_TEMPLATES[0];
    const fleet = crew(rng.int(8, 15), () => accounts.make(rng.chance(0.6) ? 'aged_bot' : 'fresh_bot', world.startsAt, 0.6));
    for (const post of rng.shuffle(world.posts).slice(0, rng.int(3, 6))) {
      const startAt = post.publishedAt + rng.between(0, minutes(180));
      for (const account of fleet) {
        if (!rng.chance(0.85)) continue;
        const at = startAt + rng.between(0, minutes(120));
        record.act(account, { kind: 'comment', at, mediaId: post.mediaId, text: pastedCopy(rng, template) });
      }
    }
  }
};

/** A script fires dozens of comments in a few minutes across recent posts. */
const burstBot: StyleScript = (world, accounts, record) => {
  const { rng } = world;
  for (let bot = scaled(world, 4); bot > 0; bot -= 1) {
    const account = accounts.make('aged_bot', world.startsAt, 0.5);
    for (let burst = rng.int(1, 3); burst > 0; burst -= 1) {
      const startAt = rng.pick(world.posts).publishedAt + rng.between(0, minutes(1_440));
      const recent = world.posts.filter((post) => post.publishedAt <= startAt).slice(-rng.int(1, 4));
      const actions = rng.int(10, 25);
      const span = rng.between(minutes(3), minutes(8));
      let lastComment: string | undefined;
      for (let i = 0; i < actions; i += 1) {
        const post = rng.pick(recent);
        const at = startAt + (span * i) / actions + rng.between(0, 5_000);
        const reply = lastComment !== undefined && rng.chance(0.15);
        const id = record.act(account, {
          kind: reply ? 'reply' : 'comment',
          at,
          mediaId: post.mediaId,
          commentId: reply ? lastComment : undefined,
          text: burstFiller(rng),
        });
        if (!reply) lastComment = id;
      }
    }
  }
};

/** Accounts run by one hand: a leader comments, the others follow within seconds, on nearly every post, each in its own words. */
const ring: StyleScript = (world, accounts, record) => {
  const { rng } = world;
  for (let group = scaled(world, 1); group > 0; group -= 1) {
    const members = crew(rng.int(6, 8), () => accounts.make(rng.chance(0.5) ? 'aged_bot' : 'established', world.startsAt, 0.6));
    const turnout = rng.between(0.7, 0.9);
    for (const post of world.posts) {
      if (!rng.chance(turnout)) continue;
      const leaderAt = post.publishedAt + rng.between(minutes(2), minutes(120));
      for (const [index, member] of rng.shuffle(members).entries()) {
        const at = index === 0 ? leaderAt : leaderAt + rng.between(5_000, 150_000);
        const text = specificComment(rng, rng.chance(0.7) ? 'ar' : 'en', rng.pick(members).username);
        record.act(member, { kind: 'comment', at, mediaId: post.mediaId, text });
      }
    }
  }
};

/** Comment, delete, comment again: each new comment is a fresh chance at first-comment bonuses. */
const recommentFarm: StyleScript = (world, accounts, record) => {
  const { rng } = world;
  for (let farmer = scaled(world, 4); farmer > 0; farmer -= 1) {
    const account = accounts.make('established', world.startsAt, 0.6);
    for (const post of rng.shuffle(world.posts).slice(0, rng.int(3, 6))) {
      let at = post.publishedAt + rng.between(minutes(5), minutes(60));
      const text = (): string => (rng.chance(0.5) ? specificComment(rng, 'ar', 'nuqtacafe') : genericComment(rng, 'ar'));
      let commentId = record.act(account, { kind: 'comment', at, mediaId: post.mediaId, text: text() });
      for (let cycle = rng.int(2, 5); cycle > 0 && commentId !== undefined; cycle -= 1) {
        at += rng.between(minutes(1), minutes(5));
        record.act(account, { kind: 'comment_deleted', at, mediaId: post.mediaId, commentId });
        at += rng.between(10_000, 60_000);
        commentId = record.act(account, { kind: 'comment', at, mediaId: post.mediaId, text: text() });
      }
    }
  }
};

/**
 * The cheapest farm: a batch of throwaway accounts, made for the occasion,
 * each posting one stock praise on one post. The four variants differ in how
 * the batch arrives (seconds apart, or spread over 10–60 minutes), who is in
 * it (only fresh accounts, or a few aged accounts reused in every batch), and
 * what they write (one phrase, or two or three mixed).
 */
interface StockFarm {
  /** How long the whole batch takes to arrive. */
  span: (world: World) => number;
  /** How many stock phrases one batch mixes (fewest, most). */
  phrases: readonly [number, number];
  /** Aged accounts the farm keeps and puts into every batch. */
  aged: number;
}

function stockFarm(farm: StockFarm): StyleScript {
  return (world, accounts, record) => {
    const { rng } = world;
    const aged = crew(farm.aged, () => accounts.make('aged_bot', world.startsAt, 0.6));
    for (let wave = scaled(world, 2); wave > 0; wave -= 1) {
      const post = rng.pick(world.posts.filter((candidate) => candidate.publishedAt + minutes(400) < world.endsAt));
      const startAt = post.publishedAt + rng.between(minutes(5), minutes(300));
      const span = farm.span(world);
      const phrases = stockPhrases(rng, rng.int(...farm.phrases));
      const fresh = crew(rng.int(18, 32), () => accounts.make('fresh_bot', startAt, 0.6));
      for (const account of [...fresh, ...aged]) {
        const at = startAt + rng.between(0, span);
        record.act(account, { kind: 'comment', at, mediaId: post.mediaId, text: stockCopy(rng, rng.pick(phrases)) });
      }
    }
  };
}

const SCRIPTS: Record<FraudStyle, StyleScript> = {
  fresh_accounts: freshAccounts,
  comment_pod: commentPod,
  copy_paste: copyPaste,
  burst_bot: burstBot,
  ring,
  recomment_farm: recommentFarm,
  stock_burst: stockFarm({ span: ({ rng }) => rng.between(20_000, 90_000), phrases: [1, 1], aged: 0 }),
  stock_staggered: stockFarm({ span: ({ rng }) => rng.between(minutes(10), minutes(60)), phrases: [1, 1], aged: 0 }),
  stock_aged_mix: stockFarm({ span: ({ rng }) => rng.between(20_000, 120_000), phrases: [1, 1], aged: 4 }),
  stock_phrase_mix: stockFarm({ span: ({ rng }) => rng.between(30_000, minutes(5)), phrases: [2, 3], aged: 0 }),
};

export function fraudulentActivity(world: World, accounts: AccountFactory, style: FraudStyle): LabelledEvent[] {
  const record = new Recorder(world, style);
  SCRIPTS[style](world, accounts, record);
  return record.events;
}
