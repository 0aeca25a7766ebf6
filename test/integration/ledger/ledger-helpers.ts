/**
 * Helpers for the ledger and member API tests: comments sent the way a
 * brand's own source sends them (POST /v1/events), waiting for scoring, and
 * member tasks (expiry, repair) run by the test nuqta's partition consumers.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { sweepExpiry } from '../../../src/scoring/expiry-job.js';
import { REPAIR_TASK } from '../../../src/scoring/repair-task.js';
import { runDone, type RunTotals } from '../../../src/scoring/task-runs.js';
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

/**
 * One expiry sweep of the campaign as of `asOf`: an expire task per member,
 * run in the members' partitions; resolves with the run's totals
 * (`tasks` done, `entries` written, `points` expired).
 */
export async function expirySweep(app: TestNuqta, asOf: Date, campaignId = BAKERY): Promise<RunTotals> {
  const runId = randomBytes(8).toString('hex');
  const queued = await sweepExpiry(app.nuqta, app.nuqta.campaigns.get(campaignId), asOf, runId);
  return runDone(app.nuqta.redis, app.config.NUQTA_QUEUE_PREFIX, runId, queued, () => undefined);
}

/**
 * Rebuilds members' records from the ledger the way `nuqta verify --repair`
 * does: a repair task per member in their partition; waits for them all.
 */
export async function repairThroughPartitions(app: TestNuqta, campaignId: string, memberIds: readonly string[]): Promise<RunTotals> {
  if (memberIds.length === 0) return {};
  const runId = randomBytes(8).toString('hex');
  await app.nuqta.queue.enqueueMemberTasks(memberIds.map((memberId, index) => ({
    task: { kind: REPAIR_TASK, campaignId, memberId, payload: { runId } },
    taskId: `repair-${runId}-${index}`,
  })), { removeOnComplete: true });
  return runDone(app.nuqta.redis, app.config.NUQTA_QUEUE_PREFIX, runId, memberIds.length, () => undefined);
}
