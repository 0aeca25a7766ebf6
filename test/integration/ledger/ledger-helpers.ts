/**
 * Helpers for the ledger and member API tests: comments sent the way a
 * brand's own source sends them (POST /v1/events), and waiting for scoring.
 */
import { expect } from 'vitest';
import { eventually, TEST_SECRETS, type TestNuqta } from '../../helpers/test-nuqta.js';

export const LEDGER_CAMPAIGNS = 'test/fixtures/campaigns/ledger';
export const BAKERY = 'corner-bakery';
export const BAKERY_ACCOUNT = '17841400000000031';
export const CLUB_ACCOUNT = '17841400000000032';

export interface Comment {
  user: string;
  id: string;
  text?: string;
  username?: string;
  account?: string;
  at?: Date;
}

export async function sendComments(app: TestNuqta, comments: readonly Comment[]): Promise<string[]> {
  const response = await fetch(`${app.url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_SECRETS.ingestKey}` },
    body: JSON.stringify({
      events: comments.map((comment) => ({
        platform: 'instagram',
        kind: 'comment',
        verified: true,
        platformEventId: comment.id,
        actor: { platformUserId: comment.user, ...(comment.username ? { username: comment.username } : {}) },
        target: { accountId: comment.account ?? BAKERY_ACCOUNT, mediaId: 'media-1', commentId: comment.id },
        text: comment.text ?? `fresh bread ${comment.id}`,
        occurredAt: (comment.at ?? new Date()).toISOString(),
      })),
    }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { eventKeys: string[] }).eventKeys;
}

/** Waits until every queued job (events and member tasks) is done. */
export async function drained(app: TestNuqta): Promise<void> {
  await eventually(async () => {
    const depth = await app.nuqta.queue.depth();
    return (depth.waiting ?? 0) + (depth.active ?? 0) + (depth.delayed ?? 0) + (depth.prioritized ?? 0) === 0 ? true : undefined;
  }, 30_000, 'the ingest queue to drain');
}

/** Sends the comments and waits until they are scored. */
export async function scored(app: TestNuqta, comments: readonly Comment[], campaignId = BAKERY): Promise<string[]> {
  const keys = await sendComments(app, comments);
  await eventually(async () => {
    const decided = await Promise.all(keys.map((key) => app.nuqta.decisions.get(campaignId, key)));
    return decided.every((decision) => decision !== null) ? true : undefined;
  }, 30_000, 'the comments to be scored');
  return keys;
}

export async function getJson<T>(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(url, { headers });
  return { status: response.status, body: (await response.json()) as T };
}
