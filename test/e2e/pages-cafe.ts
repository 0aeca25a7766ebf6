/** The followers of the page tests' café: twelve established members with 1 to 9 comments each, and two brand-new accounts whose comments are held. */
import { TEST_SECRETS, type TestNuqta } from '../helpers/test-nuqta.js';
import { call, commentEvent } from '../integration/review/review-helpers.js';

export const PAGES_CAMPAIGNS = 'test/e2e/pages-campaigns';
export const PAGES_CAMPAIGN = 'pages-cafe';
const ACCOUNT = '17841400000000888';
const HOUR = 3_600_000;

/** Username and comments of each member, strongest first; the two on 7 and the two on 2 tie. */
const MEMBERS: readonly [string, number][] = [
  ['sara.q', 9], ['omar.b', 8], ['huda.m', 7], ['faisal.t', 7], ['reem.a', 6], ['khalid.s', 5],
  ['noura.z', 4], ['layla.k', 3], ['majed.f', 2], ['dana.h', 2], ['yousef.r', 1], ['amal.n', 1],
];

const userIdOf = (index: number): string => `178414999000${String(index + 1).padStart(5, '0')}`;

export const SARA_ID = userIdOf(0);
export const LAYLA = { username: 'layla.k', userId: userIdOf(7) };
export const FRESH = { username: 'fresh.face', userId: '17841499911111111', commentId: 'pg-fresh-1' };
export const FRESH_TOO = { username: 'another.new.face', userId: '17841499922222222', commentId: 'pg-fresh-2' };

const WORDS = [
  'cardamom', 'latte', 'saffron', 'pistachio', 'morning', 'terrace', 'barista', 'espresso', 'dates', 'friday',
  'sunset', 'quiet', 'corner', 'friendly', 'warm', 'cinnamon', 'roast', 'qahwa', 'brunch', 'crispy',
  'smooth', 'velvet', 'golden', 'breeze', 'cozy', 'music', 'reading', 'window', 'cheerful', 'garden',
];

/** A comment of its own: five words no other comment shares in the same order. */
function textOf(member: number, comment: number): string {
  const at = (step: number): string => WORDS[(member * 7 + comment * 11 + step * 13) % WORDS.length] ?? '';
  return `${at(0)} ${at(1)} ${at(2)} ${at(3)} ${at(4)} visit ${member + 1}.${comment + 1}`;
}

export async function sendPagesCafe(app: TestNuqta): Promise<void> {
  const now = Date.now();
  const events = MEMBERS.flatMap(([username, comments], member) => Array.from({ length: comments }, (_, comment) => ({
    ...commentEvent({
      commentId: `pg-${member}-${comment}`,
      userId: userIdOf(member),
      username,
      text: textOf(member, comment),
      mediaId: comment % 3 === 2 ? 'media-pages-2' : 'media-pages-1',
      at: new Date(now - (comment + 1) * HOUR - member * 60_000),
    }),
    target: { accountId: ACCOUNT, mediaId: comment % 3 === 2 ? 'media-pages-2' : 'media-pages-1', commentId: `pg-${member}-${comment}` },
  })));
  const fresh = commentEvent({ commentId: FRESH.commentId, userId: FRESH.userId, username: FRESH.username, text: 'First visit here, the saffron cake looks lovely', fresh: true, at: new Date(now - 30 * 60_000) });
  const freshToo = commentEvent({ commentId: FRESH_TOO.commentId, userId: FRESH_TOO.userId, username: FRESH_TOO.username, text: 'Never been, is the terrace open at night', fresh: true, at: new Date(now - 20 * 60_000) });
  events.push(
    { ...fresh, target: { accountId: ACCOUNT, mediaId: 'media-pages-1', commentId: FRESH.commentId } },
    { ...freshToo, target: { accountId: ACCOUNT, mediaId: 'media-pages-2', commentId: FRESH_TOO.commentId } },
  );
  const reply = await call(app, 'POST', '/v1/events', { key: TEST_SECRETS.ingestKey, body: { events } });
  if (reply.status !== 202) throw new Error(`events refused: ${reply.status} ${JSON.stringify(reply.body)}`);
}
