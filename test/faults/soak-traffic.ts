/**
 * A soak run's traffic: a seeded emulated campaign (population and activity
 * plan from the platform emulator) turned into the signed webhook deliveries
 * the platforms would make, then bent by the fault plan: duplicated,
 * reordered, delayed and replayed deliveries, the same comments reported a
 * second time through POST /v1/events, deletions after the comments earned.
 */
import { eventKeyOf, type EventKind } from '../../src/domain/event.js';
import { planActivity } from '../../src/platforms/emulator/activity-plan.js';
import type { PlannedComment, PlannedDeletion, PlannedEngagement, PlannedReply } from '../../src/platforms/emulator/planned-engagement.js';
import { createPopulation } from '../../src/platforms/emulator/population.js';
import { createRandom, type Random } from '../../src/platforms/emulator/random.js';
import { instagramDeliveries, tiktokDelivery, type WebhookDelivery } from '../../src/platforms/emulator/webhook-payloads.js';
import type { FaultPlan } from './fault-plan.js';

export const SOAK_CAMPAIGN = 'soak-souq';
const IG_ACCOUNT = '17841400000000077';
const TT_BUSINESS = 'bc-soak-souq';
/** Instagram changes per delivery: small, so a delivery is one of many to duplicate or reorder. */
const IG_BATCH = 4;

export interface SoakSecrets {
  instagramAppSecret: string;
  tiktokClientSecret: string;
}

/** A delivery and the events it announces. */
export interface SoakDelivery {
  delivery: WebhookDelivery;
  eventKeys: string[];
}

export interface EchoedComment {
  eventKey: string;
  /** The body of a POST /v1/events item. */
  input: Record<string, unknown>;
}

export interface SoakTraffic {
  /** In the order they are sent before the first drain (duplicates included). */
  main: SoakDelivery[];
  /** Held back until `main` is sent. */
  delayed: SoakDelivery[];
  /** Sent after the first drain: replays of earlier deliveries and deletions of comments that earned. */
  late: SoakDelivery[];
  echoes: EchoedComment[];
  /** Members with comments, most active first: who redeems. */
  activeMembers: string[];
  /** Every event some delivery or echo announces. */
  eventKeys: Set<string>;
}

type Announced = PlannedComment | PlannedReply | PlannedDeletion;

function keyOf(engagement: Announced): string {
  return eventKeyOf(engagement.platform, engagement.kind as EventKind, engagement.commentId);
}

function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = [...items];
  for (let index = out.length - 1; index > 0; index -= 1) {
    const other = random.int(0, index);
    [out[index], out[other]] = [out[other] as T, out[index] as T];
  }
  return out;
}

/** Who the platform names as the author: TikTok names commenters by their unique identifier. */
function authorIdOf(engagement: Announced): string {
  return engagement.platform === 'tiktok' ? engagement.author.uniqueIdentifier ?? engagement.author.id : engagement.author.id;
}

/** A fresh account posting the same short comment again and again within minutes: what the fraud scorer holds. */
function burstOf(seed: number, random: Random): PlannedComment[] {
  const author = { id: `1784199${random.digits(10)}`, username: `promo_${random.hex(6)}`, displayName: 'Promo' };
  const start = new Date('2026-11-03T12:00:00+03:00').getTime() + random.int(0, 3_600) * 1000;
  return Array.from({ length: 6 }, (_, index) => ({
    kind: 'comment', platform: 'instagram', at: new Date(start + index * 20_000), followerIndex: -1, accountId: IG_ACCOUNT,
    mediaId: '17900000000000771', commentId: `1790${seed}${random.digits(8)}${index}`, text: 'nice', author,
  }));
}

function echoOf(comment: PlannedComment | PlannedReply): EchoedComment {
  return {
    eventKey: keyOf(comment),
    input: {
      platform: comment.platform,
      kind: comment.kind,
      actor: { platformUserId: authorIdOf(comment), username: comment.author.username },
      target: { accountId: comment.accountId, mediaId: comment.mediaId, commentId: comment.commentId },
      text: comment.text,
      occurredAt: comment.at.toISOString(),
      platformEventId: comment.commentId,
      verified: true,
    },
  };
}

export function soakTraffic(plan: FaultPlan, secrets: SoakSecrets, size: { followers: number; engagements: number }): SoakTraffic {
  const random = createRandom(plan.seed).fork('traffic');
  const population = createPopulation({ seed: plan.seed, size: size.followers });
  const activity = planActivity(population, {
    instagram: [{ accountId: IG_ACCOUNT, username: 'soak.souq', mediaIds: ['17900000000000771', '17900000000000772'] }],
    tiktok: [{ businessId: TT_BUSINESS, username: 'soaksouq', videoIds: ['7300000000000000771'] }],
  }, {
    seed: plan.seed,
    from: new Date('2026-11-01T08:00:00+03:00'),
    to: new Date('2026-11-06T22:00:00+03:00'),
    engagements: size.engagements,
    mix: { reply: 0.15, hashtagPost: 0, deletion: plan.deleteAfterEarning ? 0.06 : 0, mention: 0 },
    tiktokShare: 0.4,
  });
  const announced = activity.engagements.filter((engagement: PlannedEngagement): engagement is Announced =>
    engagement.kind === 'comment' || engagement.kind === 'reply' || (engagement.kind === 'comment_deleted' && engagement.platform === 'tiktok'));
  const deletions = announced.filter((engagement) => engagement.kind === 'comment_deleted');
  const said = [
    ...announced.filter((engagement): engagement is PlannedComment | PlannedReply => engagement.kind !== 'comment_deleted'),
    ...burstOf(plan.seed, random.fork('burst')),
  ];

  const tiktokSecrets = { tiktokClientSecret: secrets.tiktokClientSecret, tiktokClientKey: 'soak-client-key' };
  const deliveries: SoakDelivery[] = [];
  const instagram = said.filter((engagement) => engagement.platform === 'instagram');
  instagramDeliveries(instagram.map((engagement) => ({ ...engagement, platform: 'instagram' as const })), secrets.instagramAppSecret, IG_BATCH)
    .forEach((delivery, index) => deliveries.push({ delivery, eventKeys: instagram.slice(index * IG_BATCH, (index + 1) * IG_BATCH).map(keyOf) }));
  for (const engagement of said.filter((item) => item.platform === 'tiktok')) {
    deliveries.push({ delivery: tiktokDelivery({ ...engagement, platform: 'tiktok' }, tiktokSecrets), eventKeys: [keyOf(engagement)] });
  }
  // In time order unless reordered; TikTok and Instagram deliveries interleave either way.
  const ordered = plan.reorder ? shuffled(deliveries, random) : deliveries;
  const delayed = ordered.filter(() => random.chance(plan.delayShare));
  const onTime = ordered.filter((delivery) => !delayed.includes(delivery));
  const main: SoakDelivery[] = [];
  for (const delivery of onTime) {
    main.push(delivery);
    if (random.chance(plan.duplicateShare)) main.splice(random.int(Math.max(0, main.length - 6), main.length), 0, delivery);
  }
  const late = [
    ...deliveries.filter(() => random.chance(plan.replayShare)),
    ...deletions.map((deletion) => ({ delivery: tiktokDelivery({ ...deletion, platform: 'tiktok' }, tiktokSecrets), eventKeys: [keyOf(deletion)] })),
  ];
  const echoes = said.filter(() => random.chance(plan.echoShare)).map(echoOf);
  const commentsOf = new Map<string, number>();
  for (const engagement of said) {
    const member = `${engagement.platform}:${authorIdOf(engagement)}`;
    commentsOf.set(member, (commentsOf.get(member) ?? 0) + 1);
  }
  const activeMembers = [...commentsOf].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([member]) => member);
  return {
    main, delayed, late, echoes, activeMembers,
    eventKeys: new Set([...deliveries.flatMap((delivery) => delivery.eventKeys), ...late.flatMap((delivery) => delivery.eventKeys)]),
  };
}
