import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENT_KINDS, PLATFORMS } from '../../../src/domain/event.js';
import {
  CAPABILITY_MATRIX,
  capabilityList,
  capabilityOf,
  renderCapabilityTable,
} from '../../../src/platforms/capabilities.js';
import { capabilitySchema } from '../../../src/platforms/capability.js';
import { instagramWebhookSchema, parseInstagramWebhook } from '../../../src/platforms/instagram/webhook-payload.js';
import { parseTikTokWebhook } from '../../../src/platforms/tiktok/webhook-payload.js';
import { fixtureJson } from './fixtures.js';

const RECEIVED_AT = new Date('2027-03-06T08:16:00Z');

function webhookEventsFromFixtures() {
  const names = (platform: string) =>
    readdirSync(new URL(`../../fixtures/${platform}/`, import.meta.url)).filter((name) => name.endsWith('.json'));
  return [
    ...names('instagram').flatMap(
      (name) => parseInstagramWebhook(instagramWebhookSchema.parse(fixtureJson(`instagram/${name}`)), RECEIVED_AT).events,
    ),
    ...names('tiktok').flatMap((name) => parseTikTokWebhook(fixtureJson(`tiktok/${name}`), RECEIVED_AT).events),
  ];
}

describe('capability matrix', () => {
  it('covers every platform × event kind, each entry valid', () => {
    const list = capabilityList();
    expect(list.map(({ platform, kind }) => `${platform}:${kind}`)).toEqual(
      PLATFORMS.flatMap((platform) => EVENT_KINDS.map((kind) => `${platform}:${kind}`)),
    );
    for (const capability of list) expect(capabilitySchema.parse(capability)).toEqual(capability);
  });

  it('lets every action in through POST /v1/events, and only platform-attested ones through webhooks', () => {
    for (const capability of capabilityList()) {
      expect(capability.arrival).toContain('api');
      if (capability.arrival.includes('webhook')) expect(capability.verified).toBe(true);
    }
  });

  it('declares as verified webhook actions exactly what the webhook parsers emit from the fixtures', () => {
    const emitted = new Set(webhookEventsFromFixtures().map((event) => `${event.platform}:${event.kind}`));
    const declared = new Set(
      capabilityList()
        .filter((capability) => capability.arrival.includes('webhook'))
        .map(({ platform, kind }) => `${platform}:${kind}`),
    );
    // Instagram mentions arrive by webhook too, but as lookups the poller completes; TikTok hashtag
    // posts are derived at delivery from a caption mention that carries a campaign hashtag.
    expect(emitted).toEqual(new Set([...declared].filter((key) => key !== 'instagram:mention' && key !== 'tiktok:hashtag_post')));
  });

  it('credits no one for actions the platforms only count', () => {
    for (const platform of PLATFORMS) {
      for (const kind of ['like', 'share', 'save', 'follow', 'unfollow'] as const) {
        expect(capabilityOf(platform, kind)).toMatchObject({ verified: false, arrival: ['api'] });
      }
    }
  });

  it('records the documented Instagram hashtag budget and window', () => {
    expect(capabilityOf('instagram', 'hashtag_post').limits).toEqual(
      expect.arrayContaining([
        { what: 'unique hashtags per account', value: 30, unit: 'per 7 days' },
        { what: '`recent_media` window', value: 24, unit: 'hours' },
      ]),
    );
  });

  it('hands out copies, so a caller cannot change the matrix', () => {
    capabilityOf('tiktok', 'comment').limits.pop();
    expect(capabilityOf('tiktok', 'comment').limits).toEqual([...CAPABILITY_MATRIX.tiktok.comment.limits]);
  });
});

describe('renderCapabilityTable', () => {
  const table = renderCapabilityTable();
  const rows = table.split('\n');

  it('has a header, a separator and one row per platform × kind', () => {
    expect(rows[0]).toBe('| Platform | Action | Verified | Arrives by | Limits | Note |');
    expect(rows[1]).toBe('| --- | --- | --- | --- | --- | --- |');
    expect(rows).toHaveLength(2 + PLATFORMS.length * EVENT_KINDS.length);
  });

  it('renders each capability in its row', () => {
    expect(rows).toContain(
      '| instagram | like | no | api | — | Only like counts per media; who liked is never exposed. |',
    );
    const tiktokMention = rows.find((row) => row.startsWith('| tiktok | mention |'));
    expect(tiktokMention).toContain('| yes | webhook, api | webhook latency: 2–3 hours; webhook retries: 72 hours |');
  });

  it('escapes pipes so a note cannot break the table', () => {
    const [capability] = capabilityList();
    if (capability === undefined) throw new Error('the matrix is empty');
    const rendered = renderCapabilityTable([{ ...capability, note: 'a | b' }]);
    expect(rendered.split('\n')[2]).toMatch(/ a \\\| b \|$/);
  });
});
