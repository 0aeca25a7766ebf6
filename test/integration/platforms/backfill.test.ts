import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackfill, type BackfillProgress } from '../../../src/platforms/backfill.js';
import { commentWebhook, postInstagramWebhook } from '../../helpers/instagram.js';
import { brandPlan, commentSpecs, IG_ACCOUNT, settledEntries, startBrandWorld, type BrandWorld } from './brand-world.js';

const BUSY = '17900000000000201';
const QUIET = '17900000000000202';
const ref = { platform: 'instagram', accountId: IG_ACCOUNT } as const;
const at = new Date(Date.now() - 60_000);
// 80 comments a minute apart, 5 to 84 minutes old; a reply on the newest; 10 on a quiet post.
const busy = commentSpecs('instagram', BUSY, '186000000000', 80, 5);
const plan = brandPlan(at, { instagram: [BUSY, QUIET] }, [
  ...busy,
  { platform: 'instagram', id: '18610000000000001', mediaId: BUSY, minutesAgo: 2, parentId: busy[0]?.id ?? '', text: 'وأنا كمان' },
  ...commentSpecs('instagram', QUIET, '186200000000', 10, 30),
]);
// Since an hour ago: comments 5–59 minutes old on the busy post (55), all 10 on the quiet one, and the reply.
const since = new Date(at.getTime() - 60 * 60_000);

let world: BrandWorld;

beforeAll(async () => {
  world = await startBrandWorld('backfill', plan);
  await world.connect('instagram', 'instagram_login');
});
afterAll(async () => {
  await world?.cleanup();
});

describe('nuqta backfill', () => {
  it('reads comments since the date, stops and continues where it stopped, and awards each comment once', async () => {
    const webhooked = busy[3];
    const author = plan.engagements.find((e) => e.kind === 'comment' && e.commentId === webhooked?.id);
    if (author?.kind !== 'comment' || webhooked === undefined) throw new Error('fixture');
    const body = commentWebhook([{ commentId: webhooked.id, userId: author.author.id, username: author.author.username, text: author.text, mediaId: BUSY }]);
    expect((await postInstagramWebhook(world.app.url, body)).status).toBe(200);

    const stop = new AbortController();
    const progress: BackfillProgress[] = [];
    const first = await runBackfill(world.deps(), ref, since, {
      signal: stop.signal,
      onProgress: (step) => {
        progress.push(step);
        if (step.comments > 0) stop.abort();
      },
    });
    // Newest media first (the quiet post, by id): stopped after its one page.
    expect(first).toMatchObject({ outcome: 'interrupted', events: 10, media: 2 });
    expect(progress.at(-1)).toMatchObject({ media: 0, mediaTotal: 2, comments: 10, commentsTotal: 91 });

    const second = await runBackfill(world.deps(), ref, since);
    expect(second).toMatchObject({ outcome: 'done', events: 55 + 1 + 10, media: 2 });
    // Each comment page once across both runs; replies of the busy post's recent comments; none for the quiet post.
    expect(world.emulator.requestCount({ endpoint: 'instagram.comments' })).toBe(3);
    expect(world.emulator.requestCount({ endpoint: 'instagram.replies' })).toBe(55);

    const entries = await settledEntries(world.app, 65, (entry) => entry.ruleId === 'comment');
    const keys = entries.map((entry) => entry.eventKey);
    expect(keys).toHaveLength(65);
    expect(new Set(keys).size).toBe(65);
    expect(keys).toContain(`instagram:comment:${webhooked.id}`);
    // Older than `since`: not read into events.
    expect(await world.app.nuqta.events.get(`instagram:comment:${busy[79]?.id ?? ''}`)).toBeNull();
    expect(await world.app.nuqta.events.get('instagram:reply:18610000000000001')).not.toBeNull();

    const calls = world.emulator.requestCount();
    expect(await runBackfill(world.deps(), ref, since)).toMatchObject({ outcome: 'done', events: 66 });
    expect(world.emulator.requestCount()).toBe(calls);
  }, 60_000);
});
