import { describe, expect, it } from 'vitest';
import type { FraudDecision } from '../../../src/scoring/fraud/index.js';
import { reviewTriggers, reviewWorkload, type ScoredAction } from '../../../src/fraud-eval/review.js';

const HOUR = 3_600_000;
const LOOKBACK = { hold: 24 * HOUR, reject: 7 * 24 * HOUR };

function action(memberId: string, hour: number, options: { label?: ScoredAction['label']; deletedAtHour?: number } = {}): ScoredAction {
  return {
    label: options.label ?? 'ring',
    memberId,
    at: hour * HOUR,
    ...(options.deletedAtHour === undefined ? {} : { deletedAt: options.deletedAtHour * HOUR }),
  };
}

describe('retroactive review in the evaluation', () => {
  it('puts a member\u2019s allowed events of the day before a hold under review, and nobody else\u2019s', () => {
    const actions = [action('a', 0), action('a', 10), action('b', 11), action('a', 20), action('a', 30)];
    const decisions: FraudDecision[] = ['allow', 'allow', 'allow', 'allow', 'hold'];
    expect(reviewTriggers(actions, decisions, LOOKBACK)).toEqual([undefined, 4, undefined, 4, undefined]);
  });

  it('a recognised wave puts its earlier members\u2019 events on the post since it began under review, and only those', () => {
    const onPost = (memberId: string, hour: number, mediaId = 'post'): ScoredAction => ({ ...action(memberId, hour, { label: 'stock_burst' }), mediaId });
    const wave = { id: 'post|stock', mediaId: 'post', members: ['a', 'b', 'c'], from: 1 * HOUR, to: 2 * HOUR };
    const actions = [onPost('a', 0.5), onPost('a', 1), onPost('b', 1.5, 'other'), onPost('b', 1.6), onPost('d', 1.7), { ...onPost('e', 2), wave }];
    const decisions: FraudDecision[] = ['allow', 'allow', 'allow', 'allow', 'allow', 'hold'];
    // a's comment before the wave began, b's on another post and d (not in the wave) stay as they were.
    expect(reviewTriggers(actions, decisions, LOOKBACK)).toEqual([undefined, 5, undefined, 5, undefined, undefined]);
    // An allowed event naming a wave puts nobody under review.
    expect(reviewTriggers(actions, ['allow', 'allow', 'allow', 'allow', 'allow', 'allow'], LOOKBACK)).toEqual(actions.map(() => undefined));
  });

  it('looks back a week for a rejection, including events an earlier hold left out', () => {
    const actions = [action('a', 0), action('a', 30), action('a', 40), action('a', 100)];
    const decisions: FraudDecision[] = ['allow', 'allow', 'hold', 'reject'];
    expect(reviewTriggers(actions, decisions, LOOKBACK)).toEqual([3, 2, undefined, undefined]);
  });

  it('leaves out comments deleted before the flag (their award is already taken back), and reviews an event once', () => {
    const actions = [action('a', 0, { deletedAtHour: 1 }), action('a', 2, { deletedAtHour: 5 }), action('a', 3), action('a', 4), action('a', 6)];
    const decisions: FraudDecision[] = ['allow', 'allow', 'allow', 'hold', 'hold'];
    expect(reviewTriggers(actions, decisions, LOOKBACK)).toEqual([undefined, 3, 3, undefined, undefined]);
  });

  it('counts a flag per held event, and per rejected event only when it put something under review', () => {
    const actions = [action('a', 0), action('a', 1), action('b', 2, { label: 'ordinary' }), action('b', 3, { label: 'ordinary' }), action('c', 4)];
    const decisions: FraudDecision[] = ['allow', 'reject', 'allow', 'hold', 'reject'];
    const triggers = reviewTriggers(actions, decisions, LOOKBACK);
    expect(reviewWorkload(actions, decisions, triggers)).toEqual({ flags: 2, heldEvents: 1, eventsToDecide: 3, honestEventsToDecide: 2 });
  });
});
