/**
 * The stage a synthetic population plays on: one brand account, its posts
 * over the campaign, and a recorder that turns actions into canonical,
 * labelled engagement events.
 */
import { toEngagementEvent, type EngagementEvent, type EventKind } from '../domain/event.js';
import type { SyntheticAccount } from './accounts.js';
import type { Rng } from './rng.js';

export const FRAUD_STYLES = [
  'fresh_accounts',
  'comment_pod',
  'copy_paste',
  'burst_bot',
  'ring',
  'recomment_farm',
  'stock_burst',
  'stock_staggered',
  'stock_aged_mix',
  'stock_phrase_mix',
] as const;
export type FraudStyle = (typeof FRAUD_STYLES)[number];
export type Label = 'ordinary' | FraudStyle;

export interface LabelledEvent {
  event: EngagementEvent;
  label: Label;
}

export interface Post {
  mediaId: string;
  publishedAt: number;
}

export interface World {
  rng: Rng;
  accountId: string;
  startsAt: number;
  endsAt: number;
  posts: readonly Post[];
  /** Rough size of the honest audience; fraud volumes scale with it. */
  audience: number;
}

const MINUTE = 60_000;
const DAY = 1_440 * MINUTE;

/** Two posts a day, around lunch and in the evening (campaign time zone already in `startsAt`). */
export function postsFor(rng: Rng, startsAt: number, days: number): Post[] {
  const posts: Post[] = [];
  for (let day = 0; day < days; day += 1) {
    for (const hour of [13, 20]) {
      posts.push({ mediaId: `m${day}${hour}`, publishedAt: startsAt + day * DAY + (hour + rng.between(-1, 1.5)) * 60 * MINUTE });
    }
  }
  return posts;
}

export interface ActionInput {
  kind: EventKind;
  at: number;
  mediaId?: string | undefined;
  /** For replies: the comment replied to; for deletions: the comment removed. */
  commentId?: string | undefined;
  text?: string | undefined;
}

export class Recorder {
  readonly events: LabelledEvent[] = [];
  private sequence = 0;

  constructor(
    private readonly world: World,
    private readonly label: Label,
  ) {}

  /** Records an action inside the campaign; returns the new comment's id (for replies and deletions), or undefined when out of range. */
  act(account: SyntheticAccount, input: ActionInput): string | undefined {
    if (input.at < this.world.startsAt || input.at >= this.world.endsAt) return undefined;
    this.sequence += 1;
    const platformEventId = `${this.label}-${this.sequence}`;
    const at = new Date(Math.round(input.at));
    const event = toEngagementEvent({
      platform: 'instagram',
      kind: input.kind,
      actor: {
        platformUserId: account.platformUserId,
        username: account.username,
        ...(account.profile === undefined ? {} : { profile: account.profile }),
      },
      target: {
        accountId: this.world.accountId,
        ...(input.mediaId === undefined ? {} : { mediaId: input.mediaId }),
        ...(input.commentId === undefined ? {} : { commentId: input.commentId }),
      },
      text: input.text,
      occurredAt: at,
      receivedAt: new Date(at.getTime() + this.world.rng.int(200, 20_000)),
      source: 'webhook',
      verified: true,
      platformEventId,
    });
    this.events.push({ event, label: this.label });
    return platformEventId;
  }
}

export const minutes = (count: number): number => count * MINUTE;
export const days = (count: number): number => count * DAY;
