import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../src/config/campaign-schema.js';
import type { EngagementEvent } from '../../../src/domain/event.js';
import type { EntryDecision, MemberFact } from '../../../src/ledger/entry.js';
import { replayAdjustments, replayMember } from '../../../src/scoring/replay-diff.js';
import { appendEntries, campaignOf, comment, deletionOf, MemberLedger, play } from '../rules/fixtures.js';

const campaign = campaignOf({
  rules: [
    { id: 'comment', on: 'comment', points: 10, when: { min_text_length: 2 }, limits: { per_day: 2 } },
    { id: 'first_comment', on: 'comment', points: 20, first_time: true },
  ],
  tiers: [
    { id: 'bronze', min_earned: 0, multiplier: 1 },
    { id: 'silver', min_earned: 50, multiplier: 1.5 },
  ],
  streaks: { rule: 'comment', days: 3, bonus: 25 },
});

/** The same file with the comment rule raised to 12 points and capped at one a day. */
const edited: Campaign = { ...campaign, rules: campaign.rules.map((rule) => (rule.id === 'comment' ? { ...rule, points: 12, limits: { per_day: 1 } } : rule)) };

/** The ledger after writing the adjustments. */
function written(facts: readonly MemberFact[], adjustments: readonly EntryDecision[]): MemberFact[] {
  const after = appendEntries(facts, adjustments, new Date(day(20)));
  expect(after).toHaveLength(facts.length + adjustments.length);
  return after;
}

const day = (n: number, hour = 10): string => `2027-03-${String(n).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+03:00`;

describe('replayMember', () => {
  it('finds no difference when the events are re-scored under the file that scored them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ day: fc.integer({ min: 2, max: 12 }), hour: fc.integer({ min: 8, max: 22 }), text: fc.constantFrom('x', 'nice bread'), deleted: fc.boolean() }), { maxLength: 25 }),
        (drafts) => {
          const comments = drafts.map((draft) => comment(day(draft.day, draft.hour), { text: draft.text })).sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
          const deletions = comments.filter((_, index) => drafts[index]?.deleted).map((original) => deletionOf(original, new Date(original.occurredAt.getTime() + 3_600_000).toISOString()));
          const events: EngagementEvent[] = [...comments, ...deletions].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.eventKey.localeCompare(b.eventKey));
          const { facts } = play(campaign, events);
          const replay = replayMember({ memberId: 'instagram:u-1', campaign, events, facts });
          expect(replay.events).toEqual([]);
          expect(replay.now).toBe(replay.wouldBe);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('shows, event by event, what an edited file would give', () => {
    const events = [comment(day(3, 9)), comment(day(3, 11)), comment(day(4, 9))];
    const { facts } = play(campaign, events);
    const replay = replayMember({ memberId: 'instagram:u-1', campaign: edited, events, facts });
    expect(replay).toMatchObject({ now: 50, wouldBe: 44 });
    expect(replay.events.map((event) => [event.eventKey, event.now, event.wouldBe])).toEqual([
      [events[0]?.eventKey, 30, 32],
      [events[1]?.eventKey, 10, 0],
      [events[2]?.eventKey, 10, 12],
    ]);
  });

  it('keeps a review decision: a rejected award stays rejected when re-scored', () => {
    const events = [comment(day(3)), comment(day(4))];
    const rejected = play(campaign, events.slice(0, 1), { status: 'rejected' }).facts;
    const { facts } = play(campaign, events.slice(1), { facts: rejected });
    expect(replayMember({ memberId: 'instagram:u-1', campaign, events, facts }).events).toEqual([]);
  });

  it('keeps a reviewer\u2019s approval: a held award approved later is re-scored posted', () => {
    const [held, later] = [comment(day(3)), comment(day(4))];
    const ledger = new MemberLedger(campaign);
    ledger.score(held, 'held');
    for (const entry of ledger.facts.filter((candidate) => candidate.status === 'held')) ledger.settle(entry.seq, 'posted');
    ledger.score(later);
    const replay = replayMember({ memberId: 'instagram:u-1', campaign, events: [held, later], facts: ledger.facts });
    expect(replay.events).toEqual([]);
    expect(replay).toMatchObject({ now: 40, wouldBe: 40 });
  });
});

describe('replayAdjustments', () => {
  it('writes one adjust entry per differing event at its time, and none once applied', () => {
    const events = [comment(day(3, 9)), comment(day(3, 11))];
    const { facts } = play(campaign, events);
    const replay = replayMember({ memberId: 'instagram:u-1', campaign: edited, events, facts });
    const adjustments = replayAdjustments(replay, facts, 'v2-abc');
    expect(adjustments.map((entry) => [entry.eventKey, entry.ruleId, entry.kind, entry.points, entry.occurredAt])).toEqual([
      [events[0]?.eventKey, 'replay:v2-abc', 'adjust', 2, events[0]?.occurredAt],
      [events[1]?.eventKey, 'replay:v2-abc', 'adjust', -10, events[1]?.occurredAt],
    ]);
    expect(adjustments[1]?.reason).toEqual({
      code: 'REPLAY_ADJUSTED',
      text: { en: '10 points taken back: re-scored with campaign revision v2-abc', ar: 'خُصمت 10 نقاط بعد إعادة الاحتساب وفق نسخة الحملة v2-abc' },
    });
    expect(replayMember({ memberId: 'instagram:u-1', campaign: edited, events, facts: written(facts, adjustments) }).events).toEqual([]);
  });

  it('keys a second adjustment of the same revision apart from the first', () => {
    const events = [comment(day(3, 9))];
    const { facts } = play(campaign, events);
    const firstFix = replayAdjustments(replayMember({ memberId: 'instagram:u-1', campaign: edited, events, facts }), facts, 'v2-abc');
    const applied = written(facts, firstFix);
    const raised: Campaign = { ...edited, rules: edited.rules.map((rule) => (rule.id === 'comment' ? { ...rule, points: 15 } : rule)) };
    const secondFix = replayAdjustments(replayMember({ memberId: 'instagram:u-1', campaign: raised, events, facts: applied }), applied, 'v2-abc');
    expect(secondFix.map((entry) => [entry.ruleId, entry.points])).toEqual([['replay:v2-abc:2', 3]]);
  });
});
