import { describe, expect, it } from 'vitest';
import {
  instagramWebhookSchema,
  parseInstagramWebhook,
  type InstagramSkipReason,
  type SkippedChange,
} from '../../../src/platforms/instagram/webhook-payload.js';
import { fixtureJson } from './fixtures.js';

const ACCOUNT = '17841400000000001';
const RECEIVED_AT = new Date('2027-03-05T20:00:00Z');

function parseFixture(name: string) {
  return parseInstagramWebhook(instagramWebhookSchema.parse(fixtureJson(`instagram/${name}`)), RECEIVED_AT);
}

const SKIP_CASES: Array<{ fixture: string; skipped: SkippedChange[] }> = [
  {
    fixture: 'own-comment.json',
    skipped: [{ reason: 'own_account_activity', field: 'comments', path: 'entry[0].changes[0]' }],
  },
  {
    fixture: 'mention-comment.json',
    skipped: [
      {
        reason: 'mention_needs_lookup',
        field: 'mentions',
        path: 'entry[0].changes[0]',
        lookup: { accountId: ACCOUNT, mediaId: '17918195224117851', commentId: '17894227972186120' },
      },
    ],
  },
  {
    fixture: 'mention-caption.json',
    skipped: [
      {
        reason: 'mention_needs_lookup',
        field: 'mentions',
        path: 'entry[0].changes[0]',
        lookup: { accountId: ACCOUNT, mediaId: '17918195224117852' },
      },
    ],
  },
  {
    fixture: 'story-insights.json',
    skipped: [{ reason: 'story_insights_ignored', field: 'story_insights', path: 'entry[0].changes[0]' }],
  },
  {
    fixture: 'messaging-skips.json',
    skipped: ([
      'message_echo',
      'message_deleted',
      'message_read',
      'message_reaction',
      'message_edit',
      'messaging_postback',
      'messaging_referral',
      'message_self_test',
      'messaging_handover',
      'messaging_optin',
      'unsupported_messaging',
    ] satisfies InstagramSkipReason[])
      .map((reason, index): SkippedChange => ({ reason, field: 'messaging', path: `entry[0].messaging[${index}]` }))
      .concat([{ reason: 'messaging_standby', field: 'standby', path: 'entry[0].standby[0]' }]),
  },
  { fixture: 'broken/unknown-object.json', skipped: [{ reason: 'unknown_object', path: 'object' }] },
  {
    fixture: 'broken/comment-missing-from.json',
    skipped: [{ reason: 'malformed_value', field: 'comments', path: 'entry[0].changes[0].value.from' }],
  },
  {
    fixture: 'broken/comment-wrong-types.json',
    skipped: [
      { reason: 'malformed_value', field: 'comments', path: 'entry[0].changes[0].value.from.id' },
      { reason: 'malformed_value', field: 'comments', path: 'entry[0].changes[1].value.text' },
      { reason: 'malformed_value', field: 'comments', path: 'entry[0].changes[2].value.id' },
      { reason: 'malformed_value', field: 'comments', path: 'entry[0].changes[3].value' },
    ],
  },
  {
    fixture: 'broken/mention-missing-media.json',
    skipped: [{ reason: 'malformed_value', field: 'mentions', path: 'entry[0].changes[0].value.media_id' }],
  },
  {
    fixture: 'broken/malformed-entries.json',
    skipped: [
      { reason: 'malformed_entry', path: 'entry[0]' },
      { reason: 'malformed_entry', path: 'entry[1].id' },
      { reason: 'malformed_entry', path: 'entry[2].id' },
      { reason: 'malformed_entry', path: 'entry[3].time' },
      { reason: 'empty_entry', path: 'entry[4]' },
      { reason: 'malformed_entry', path: 'entry[5].changes' },
      { reason: 'malformed_entry', path: 'entry[6].time' },
    ],
  },
  {
    fixture: 'broken/malformed-changes.json',
    skipped: [
      { reason: 'malformed_change', path: 'entry[0].changes[0]' },
      { reason: 'malformed_change', path: 'entry[0].changes[1].field' },
      { reason: 'malformed_change', path: 'entry[0].changes[2].field' },
      { reason: 'unsupported_field', field: 'messaging_handover', path: 'entry[0].changes[3]' },
      { reason: 'unsupported_field', field: 'a_field_meta_adds_next_year', path: 'entry[0].changes[4]' },
    ],
  },
  {
    fixture: 'broken/messaging-malformed.json',
    skipped: [
      { reason: 'malformed_messaging', field: 'messaging', path: 'entry[0].messaging[0].sender' },
      { reason: 'malformed_messaging', field: 'messaging', path: 'entry[0].messaging[1].message.mid' },
      { reason: 'malformed_messaging', field: 'messaging', path: 'entry[0].messaging[2].timestamp' },
      { reason: 'malformed_messaging', field: 'messaging', path: 'entry[0].messaging[3]' },
    ],
  },
];

describe('parseInstagramWebhook skips', () => {
  it.each(SKIP_CASES)('$fixture → counted skips, no events', ({ fixture, skipped }) => {
    const parsed = parseFixture(fixture);
    expect(parsed.events).toEqual([]);
    expect(parsed.skipped).toEqual(skipped);
  });

  it('rejects text longer than the canonical event allows, naming the field', () => {
    const body = {
      object: 'instagram',
      entry: [{ id: ACCOUNT, field: 'comments', value: { id: '1', from: { id: '2' }, text: 'ن'.repeat(5001) } }],
    };
    expect(parseInstagramWebhook(body, RECEIVED_AT).skipped).toEqual([
      { reason: 'malformed_value', field: 'comments', path: 'entry[0].value.text' },
    ]);
  });
});
