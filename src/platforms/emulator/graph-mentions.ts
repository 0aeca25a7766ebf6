/**
 * `mentioned_comment` and `mentioned_media`: fields of the brand's IG User
 * node that read, by the id a `mentions` webhook gave, a comment or a post in
 * which another user @mentioned the brand:
 * `GET /{ig-user-id}?fields=mentioned_comment.comment_id(ID){id,text,timestamp}`,
 * `GET /{ig-user-id}?fields=mentioned_media.media_id(ID){id,caption,username}`.
 */
import type { EmulatedWorld } from './emulated-world.js';
import { fieldNames, graphErrors, pick, topLevelFields, type GraphError } from './graph-http.js';
import { DEFAULT_FIELDS, mentionedCommentObject, mentionedMediaObject } from './graph-objects.js';
import type { EmulatedEndpoint } from './request-counter.js';

/** Each field's modifier, endpoint, and the fields given when none are asked for. */
const MENTION_FIELDS = {
  mentioned_comment: { modifier: 'comment_id', endpoint: 'instagram.mentioned_comment', defaults: DEFAULT_FIELDS.comment },
  mentioned_media: { modifier: 'media_id', endpoint: 'instagram.mentioned_media', defaults: DEFAULT_FIELDS.media },
} as const satisfies Record<string, { modifier: string; endpoint: EmulatedEndpoint; defaults: readonly string[] }>;

export type MentionField = keyof typeof MENTION_FIELDS;

interface MentionRequest {
  field: MentionField;
  /** `comment_id(…)` / `media_id(…)` as written; undefined when the modifier is missing. */
  modifier: { name: string; id: string } | undefined;
  subfields: string | undefined;
}

const MENTION_REQUEST = /^(mentioned_comment|mentioned_media)(?:\.(\w+)\(([^()]*)\))?(?:\{([\s\S]*)\})?$/;

function mentionRequestsOf(fields: string | undefined): MentionRequest[] {
  const requests: MentionRequest[] = [];
  for (const field of topLevelFields(fields ?? '')) {
    const match = MENTION_REQUEST.exec(field);
    if (match === null) continue;
    const [, name, modifier, id, subfields] = match;
    requests.push({
      field: name as MentionField,
      modifier: modifier === undefined ? undefined : { name: modifier, id: (id ?? '').trim() },
      subfields,
    });
  }
  return requests;
}

/** The first mention field a node read asks for; undefined for a plain node read. */
export function mentionFieldOf(fields: string | undefined): MentionField | undefined {
  return mentionRequestsOf(fields)[0]?.field;
}

/** The endpoint a node read asking for a mention counts as. */
export function mentionEndpoint(field: MentionField): EmulatedEndpoint {
  return MENTION_FIELDS[field].endpoint;
}

export type MentionAnswer = { ok: true; fields: Record<string, unknown> } | { ok: false; error: GraphError };

/** Every mention field asked for, read as the account sees them; one that cannot be read fails the whole call. */
export function readMentions(fields: string | undefined, accountId: string, world: EmulatedWorld, now: Date): MentionAnswer {
  const answered: Record<string, unknown> = {};
  for (const request of mentionRequestsOf(fields)) {
    const { modifier: expected, defaults } = MENTION_FIELDS[request.field];
    if (request.modifier === undefined || request.modifier.name !== expected || request.modifier.id === '') {
      return { ok: false, error: graphErrors.invalidParameter(`${request.field} requires the ${expected} modifier, e.g. ${request.field}.${expected}(ID)`) };
    }
    const { id } = request.modifier;
    const mention = request.field === 'mentioned_comment' ? world.mentionInComment(accountId, id, now) : world.mentionInCaption(accountId, id, now);
    // An id that mentions another account, or nobody, reads as an object this account cannot load.
    if (mention === undefined) return { ok: false, error: graphErrors.unsupportedRequest('GET', id) };
    const object = request.field === 'mentioned_comment' ? mentionedCommentObject(mention) : mentionedMediaObject(mention);
    answered[request.field] = pick(object, fieldNames(request.subfields, defaults));
  }
  return { ok: true, fields: answered };
}
