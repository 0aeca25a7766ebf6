/** What the member wrote: copies of other members' texts, and stock comments. */
import { textSimilarity, type TextFeatures } from '../text.js';
import { counted } from '../wording.js';
import { ramp, reading, TEXT_KINDS, type Signal, type SignalContext } from './signal.js';

/** Close enough that one text is an edit of the other (a word swapped, a word added). */
const NEAR_COPY_SIMILARITY = 0.7;

/**
 * How many copies by other members the signal ignores, and how many take it
 * to full strength. Independent people do type the same short things; the
 * longer the text, the less likely that is, so long texts need fewer copies.
 * A question is what many followers ask on their own ("how many points for
 * the free coffee?"), so the first two copies of one are no evidence, and it
 * takes a fleet to reach full strength.
 */
function copyRange(text: TextFeatures | undefined): { from: number; to: number } {
  const to = Math.min(5, Math.max(2, 10 - (text?.contentWords ?? 0)));
  return text?.question === true ? { from: QUESTION_COPIES_IGNORED, to: to + QUESTION_COPIES_IGNORED + 1 } : { from: 0, to };
}

const QUESTION_COPIES_IGNORED = 2;

/** Other members whose recent text matches this one. */
function copiers(context: SignalContext, matches: (similarity: number) => boolean): number {
  const text = context.text;
  if (text === undefined || !text.comparable || !TEXT_KINDS.has(context.event.kind)) return 0;
  const members = new Set<string>();
  for (const action of context.history.texts) {
    if (action.memberId === context.memberId || action.text === undefined || !action.text.comparable) continue;
    if (matches(textSimilarity(text, action.text))) members.add(action.memberId);
  }
  return members.size;
}

export const duplicateText: Signal = (context) => {
  const others = copiers(context, (similarity) => similarity === 1);
  const accounts = counted(others, 'account');
  const { from, to } = copyRange(context.text);
  return reading('duplicate_text', ramp(others, from, to), {
    en: `The same text was posted by ${accounts.en} in the last 24 hours`,
    ar: `النص نفسه نشره ${accounts.ar} خلال آخر 24 ساعة`,
  });
};

export const nearDuplicateText: Signal = (context) => {
  const others = copiers(context, (similarity) => similarity >= NEAR_COPY_SIMILARITY && similarity < 1);
  const accounts = counted(others, 'account');
  const { from, to } = copyRange(context.text);
  return reading('near_duplicate_text', ramp(others, from, to + 1), {
    en: `Nearly the same text was posted by ${accounts.en} in the last 24 hours`,
    ar: `نص شبه مطابق لما نشره ${accounts.ar} خلال آخر 24 ساعة`,
  });
};

/** Weak on purpose: honest followers write "🔥🔥" and "جميل" all the time. */
export const genericComment: Signal = ({ event, text }) =>
  text !== undefined && text.generic && TEXT_KINDS.has(event.kind)
    ? reading('generic_comment', 1, {
        en: 'Generic comment: only emoji or stock words such as "nice"',
        ar: 'تعليق عام: رموز تعبيرية أو كلمات عامة مثل «جميل» فقط',
      })
    : undefined;
