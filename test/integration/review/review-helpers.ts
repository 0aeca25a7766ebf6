/** Shared by the review and privacy tests: the test campaign, events from its followers, and API calls. */
import { eventually, TEST_SECRETS, type TestNuqta } from '../../helpers/test-nuqta.js';

export const REVIEW_CAMPAIGNS = 'test/integration/review/campaigns';
export const CAMPAIGN = 'review-cafe';
export const ACCOUNT = '17841400000000777';

const HOUR = 3_600_000;

export interface CommentSpec {
  commentId: string;
  userId: string;
  username: string;
  text: string;
  /** A brand-new account with an empty profile; otherwise an established one. */
  fresh?: boolean;
  mediaId?: string;
  at?: Date;
}

export function commentEvent(spec: CommentSpec) {
  const at = spec.at ?? new Date();
  const profile = spec.fresh
    ? { accountCreatedAt: new Date(at.getTime() - HOUR).toISOString(), followersCount: 0, mediaCount: 0, hasDefaultAvatar: true }
    : { accountCreatedAt: new Date(at.getTime() - 700 * 24 * HOUR).toISOString(), followersCount: 420, followingCount: 310, mediaCount: 85, hasDefaultAvatar: false };
  return {
    platform: 'instagram',
    kind: 'comment',
    verified: true,
    platformEventId: spec.commentId,
    actor: { platformUserId: spec.userId, username: spec.username, profile },
    target: { accountId: ACCOUNT, mediaId: spec.mediaId ?? 'media-review-1', commentId: spec.commentId },
    text: spec.text,
    occurredAt: at.toISOString(),
  };
}

export interface Reply {
  status: number;
  // Tests read replies loosely and assert on their shape.
  body: Record<string, unknown> & { error?: { code: string } };
}

export async function call(app: TestNuqta, method: string, path: string, options: { key?: string; body?: unknown } = {}): Promise<Reply> {
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.key === undefined ? {} : { authorization: `Bearer ${options.key}` }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text.length > 0 ? (JSON.parse(text) as Reply['body']) : {} };
}

export async function sendComments(app: TestNuqta, specs: readonly CommentSpec[]): Promise<void> {
  const reply = await call(app, 'POST', '/v1/events', { key: TEST_SECRETS.ingestKey, body: { events: specs.map(commentEvent) } });
  if (reply.status !== 202) throw new Error(`events refused: ${reply.status} ${JSON.stringify(reply.body)}`);
  await drained(app);
}

/** Waits until every partition is idle. */
export async function drained(app: TestNuqta): Promise<void> {
  await eventually(async () => {
    const depth = await app.nuqta.queue.depth();
    return (depth.waiting ?? 0) + (depth.active ?? 0) + (depth.delayed ?? 0) === 0 ? true : undefined;
  }, 20_000, 'the ingest queue to drain');
}

export function flagIdOf(commentId: string): string {
  return `${CAMPAIGN}|instagram:comment:${commentId}`;
}

export async function leaderboard(app: TestNuqta): Promise<[string, number][]> {
  const reply = await call(app, 'GET', `/v1/campaigns/${CAMPAIGN}/leaderboard?window=all`, { key: TEST_SECRETS.readerKey });
  const entries = reply.body.entries as { memberId: string; points: number }[];
  return entries.map((entry) => [entry.memberId, entry.points]);
}

export async function ledgerOf(app: TestNuqta, memberId: string): Promise<[string, number, string][]> {
  const entries = await app.nuqta.ledger.entriesAfter(CAMPAIGN, memberId, 0);
  return entries.map((entry) => [entry.ruleId, entry.points, entry.status]);
}
