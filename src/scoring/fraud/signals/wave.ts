/**
 * The cheapest farm: a batch of throwaway accounts posting the same stock
 * praise on one post ("ما شاء الله القهوة", with tatweel, diacritics or emoji
 * varying). Each comment alone is what honest fans write all the time, so the
 * evidence is the crowd: how many accounts first seen within the hour wrote
 * that text (or the two or three the batch mixes) on this post, measured
 * against the post's own crowd in the same hour:
 *
 * - who else writes it: on a live video or under a brand's question, the
 *   fans the campaign already knows write the same words as the newcomers;
 *   under a farm, only the newcomers do;
 * - what the newcomers write: honest newcomers (an influencer's audience)
 *   mix their words; a farm's newcomers all write its few phrases;
 * - whether the post's crowd wrote it before the hour: an answer the post
 *   has been getting all along is the post's, not a wave's.
 */
import { FRAUD_WINDOWS } from '../windows.js';
import { counted } from '../wording.js';
import { ramp, reading, TEXT_KINDS, UNDO_KINDS, type Signal } from './signal.js';

/** A text counts as a wave's when at least this many newcomers wrote it in the hour. */
const WAVE_TEXT_MIN_NEWCOMERS = 3;
/** …and newcomers are at least this share of everyone who wrote it. */
const WAVE_TEXT_MIN_NEW_SHARE = 0.5;
/** The strength from which the wave's members' earlier awards go under review with it. */
const WAVE_RECOGNISED = 0.8;
/** The share of newcomers among the writers of the member's text at which the wave starts to count, and counts fully. */
const NEW_SHARE = { from: 0.6, to: 0.85 };
/** How many newcomers writing the wave's texts start the evidence, and make it full. */
const WAVE_SIZE = { from: 3, to: 8 };
/** A batch mixes at most this many phrases. */
const MAX_PHRASES = 3;
/** Before the hour, on the same post, this much use of the text makes it the post's own. */
const EARLIER_USE = { from: 2, to: 6 };

interface TextCrowd {
  /** Newcomers who wrote the text in the hour, with when they wrote it. */
  newcomers: Map<string, number>;
  /** Members seen before the hour who wrote it in the hour. */
  regulars: Set<string>;
}

export const stockWave: Signal = ({ event, memberId, history, at, text }) => {
  const mediaId = event.target.mediaId;
  const own = text?.waveKey;
  if (mediaId === undefined || own === undefined || !TEXT_KINDS.has(event.kind)) return undefined;
  const since = at - FRAUD_WINDOWS.waveWindowMs;
  const isNew = (member: string): boolean => (history.firstSeenAt.get(member) ?? Number.NEGATIVE_INFINITY) >= since;
  const memberIsNew = isNew(memberId);

  const crowds = new Map<string, TextCrowd>();
  const newcomers = new Set<string>();
  const earlierUse = new Set<string>();
  const note = (member: string, key: string, time: number): void => {
    const crowd = crowds.get(key) ?? { newcomers: new Map<string, number>(), regulars: new Set<string>() };
    crowds.set(key, crowd);
    if (isNew(member)) {
      newcomers.add(member);
      crowd.newcomers.set(member, Math.min(time, crowd.newcomers.get(member) ?? time));
    } else crowd.regulars.add(member);
  };
  note(memberId, own, at);
  // Newest first: the hour comes first, then the post's earlier crowd.
  for (const action of history.media) {
    if (UNDO_KINDS.has(action.kind) || !TEXT_KINDS.has(action.kind) || action.memberId === memberId) continue;
    const key = action.text?.waveKey;
    if (action.at < since) {
      if (key === own) earlierUse.add(action.memberId);
      continue;
    }
    if (key === undefined) {
      if (isNew(action.memberId)) newcomers.add(action.memberId);
      continue;
    }
    note(action.memberId, key, action.at);
  }

  const isWaveText = (crowd: TextCrowd): boolean =>
    crowd.newcomers.size >= WAVE_TEXT_MIN_NEWCOMERS && crowd.newcomers.size / (crowd.newcomers.size + crowd.regulars.size) >= WAVE_TEXT_MIN_NEW_SHARE;
  const ownCrowd = crowds.get(own);
  if (ownCrowd === undefined || !isWaveText(ownCrowd)) return undefined;
  // The batch's phrases: the member's text and the (at most) two other texts of the hour that
  // newcomers, not regulars, are writing most. A farm mixes a few; honest newcomers write dozens.
  const others = [...crowds]
    .filter(([key, crowd]) => key !== own && isWaveText(crowd))
    .sort(([, a], [, b]) => b.newcomers.size - a.newcomers.size)
    .slice(0, MAX_PHRASES - 1)
    .map(([, crowd]) => crowd);
  const phrases = [ownCrowd, ...others];
  const wave = new Map<string, number>();
  const regulars = new Set<string>();
  for (const crowd of phrases) {
    for (const [member, time] of crowd.newcomers) wave.set(member, Math.min(time, wave.get(member) ?? time));
    for (const member of crowd.regulars) regulars.add(member);
  }
  const size = wave.size;
  // Who else writes it is judged on the member's own text: another text of the hour, written by
  // other newcomers, adds to the wave's size but cannot make this text a newcomers' text.
  const newShare = ownCrowd.newcomers.size / (ownCrowd.newcomers.size + ownCrowd.regulars.size);
  const concentration = size / newcomers.size;
  const postsOwn = 1 - ramp(earlierUse.size, EARLIER_USE.from, EARLIER_USE.to);
  // A member the campaign knew before the hour writing with the wave is weaker evidence: it may be a bystander.
  const membership = memberIsNew ? 1 : 0.5;
  const value = ramp(size, WAVE_SIZE.from, WAVE_SIZE.to) * ramp(newShare, NEW_SHARE.from, NEW_SHARE.to) * ramp(concentration, 0.3, 0.6) * postsOwn * membership;

  const times = [...wave.values()];
  const spanSeconds = Math.max(1, Math.round((Math.max(...times) - Math.min(...times)) / 1_000));
  const span = spanSeconds < 120 ? counted(spanSeconds, 'second') : counted(Math.round(spanSeconds / 60), 'minute');
  const accounts = counted(size, 'account');
  const known = counted(ownCrowd.regulars.size, 'account');
  const same = phrases.length > 1 ? { en: `the same ${phrases.length} stock phrases`, ar: `العبارات الجاهزة نفسها (${phrases.length})` } : { en: 'the same stock praise', ar: 'عبارة المديح الجاهزة نفسها' };
  const dominant = [own, ...[...crowds].filter(([, crowd]) => others.includes(crowd)).map(([key]) => key)]
    .map((key) => ({ key, size: crowds.get(key)?.newcomers.size ?? 0 }))
    .sort((a, b) => b.size - a.size || (a.key < b.key ? -1 : 1))[0]?.key ?? own;
  // Only the writers of the member's own text go under review with it: the other texts of the
  // hour are each recognised (or not) by their own writers' verdicts.
  const members = [...ownCrowd.newcomers].filter(([member]) => member !== memberId).sort((a, b) => a[1] - b[1]).slice(0, FRAUD_WINDOWS.waveMembersLimit);
  const found = reading('stock_wave', value, {
    en: `${accounts.en} first seen this hour wrote ${same.en} on this post within ${span.en}; ${known.en} the campaign knew before wrote this text too`,
    ar: `${accounts.ar} ظهرت لأول مرة خلال هذه الساعة كتبت ${same.ar} على هذا المنشور خلال ${span.ar}؛ وكتب هذا النص أيضًا ${known.ar} تعرفها الحملة من قبل`,
  });
  if (found === undefined) return undefined;
  // Only a wave recognised at (near) full strength puts its members' awards under review: a
  // weak reading is a question about this member, not an answer about the crowd.
  const recognised = found.value >= WAVE_RECOGNISED;
  return { ...found, wave: { id: `${mediaId}|${dominant}`, mediaId, members: recognised ? members.map(([member]) => member) : [], from: Math.min(...times), to: at } };
};
