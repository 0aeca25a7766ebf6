import { describe, expect, it } from 'vitest';
import type { EngagementEvent } from '../../../src/domain/event.js';
import { memberIdOf } from '../../../src/domain/event.js';
import { eventOf, MINUTE, T0, valueOf, verdictFor } from './fixtures.js';

const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** One comment per account on one post, `gapMs` apart, ending just before T0; each account first seen at its comment, or long ago when `known`. */
function crowd(options: { prefix: string; count: number; gapMs: number; texts: readonly string[]; known: boolean }): {
  events: EngagementEvent[];
  firstSeen: Map<string, Date>;
} {
  const events: EngagementEvent[] = [];
  const firstSeen = new Map<string, Date>();
  for (let i = 0; i < options.count; i += 1) {
    const at = T0 - (options.count - i) * options.gapMs;
    const user = `${options.prefix}-${i}`;
    events.push(eventOf({ user, mediaId: 'live', at, text: options.texts[i % options.texts.length] ?? '' }));
    firstSeen.set(memberIdOf('instagram', user), new Date(options.known ? at - 5 * DAY : at));
  }
  return { events, firstSeen };
}

const FARM_COPIES = ['ما شاء الله القهوة 😍', 'ماشاءالله القهوه', 'ما شاء الـــله القهوةةة', 'مَا شَاء الله القهوة 🔥'];

function waveValue(parts: readonly ReturnType<typeof crowd>[], scored: { user: string; text: string; knownSince?: number }): { value: number; text: string } {
  const prior = parts.flatMap((part) => part.events);
  const firstSeenAt = new Map(parts.flatMap((part) => [...part.firstSeen]));
  firstSeenAt.set(memberIdOf('instagram', scored.user), new Date(scored.knownSince ?? T0));
  const verdict = verdictFor(eventOf({ user: scored.user, mediaId: 'live', at: T0, text: scored.text }), { prior, firstSeenAt });
  return { value: valueOf(verdict, 'stock_wave'), text: verdict.signals.find((signal) => signal.code === 'stock_wave')?.text.en ?? '' };
}

describe('stock_wave', () => {
  it('a batch of fresh accounts posting one stock praise seconds apart is held, with a reason a reviewer can check', () => {
    const farm = crowd({ prefix: 'bot', count: 27, gapMs: 1_500, texts: FARM_COPIES, known: false });
    const { value, text } = waveValue([farm], { user: 'bot-last', text: 'ما شاء الله القهوة ❤️' });
    expect(value).toBe(1);
    expect(text).toBe('28 accounts first seen this hour wrote the same stock praise on this post within 41 seconds; 0 accounts the campaign knew before wrote this text too');
  });

  it('the same batch spread over 50 minutes, or mixing three phrases, is still a wave', () => {
    const staggered = crowd({ prefix: 'bot', count: 25, gapMs: 2 * MINUTE, texts: FARM_COPIES, known: false });
    expect(waveValue([staggered], { user: 'bot-last', text: 'ما شاء الله القهوة' }).value).toBe(1);
    const mixed = crowd({ prefix: 'bot', count: 27, gapMs: 3_000, texts: ['ما شاء الله القهوة', 'تبارك الرحمن القهوة', 'الله يبارك القهوه 😍'], known: false });
    const { value, text } = waveValue([mixed], { user: 'bot-last', text: 'تبارك الرحمن القهوة' });
    expect(value).toBe(1);
    expect(text).toContain('the same 3 stock phrases');
  });

  it('a live video: fans the campaign knows write the same praise as the newcomers, so nothing fires', () => {
    const fans = crowd({ prefix: 'fan', count: 150, gapMs: 4_000, texts: FARM_COPIES, known: true });
    const newcomers = crowd({ prefix: 'new', count: 40, gapMs: 15_000, texts: FARM_COPIES, known: false });
    expect(waveValue([fans, newcomers], { user: 'new-last', text: 'ما شاء الله القهوة' }).value).toBe(0);
  });

  it('newcomers who mix their words (an influencer’s audience) are no wave', () => {
    const texts = ['جميل', 'Love it', 'رهيب', 'wow', 'يجنن', 'كفو', 'حلو', 'Nice', 'ابداع', 'روعة', 'فخم', 'خطير'];
    const audience = crowd({ prefix: 'new', count: 48, gapMs: 10_000, texts, known: false });
    expect(waveValue([audience], { user: 'new-last', text: 'جميل' }).value).toBe(0);
  });

  it('an answer the post has been getting all along is the post’s, not a wave’s', () => {
    const earlier = crowd({ prefix: 'early', count: 10, gapMs: 10 * MINUTE, texts: ['لاتيه'], known: true });
    const shifted = { ...earlier, events: earlier.events.map((event) => ({ ...event, occurredAt: new Date(event.occurredAt.getTime() - 2 * HOUR) })) };
    const newcomers = crowd({ prefix: 'new', count: 20, gapMs: 30_000, texts: ['لاتيه'], known: false });
    expect(waveValue([newcomers], { user: 'new-last', text: 'لاتيه' }).value).toBe(1);
    expect(waveValue([shifted, newcomers], { user: 'new-last', text: 'لاتيه' }).value).toBe(0);
  });

  it('a member the campaign knew before the hour, inside a wave, counts half: it may be a bystander', () => {
    const farm = crowd({ prefix: 'bot', count: 27, gapMs: 1_500, texts: FARM_COPIES, known: false });
    expect(waveValue([farm], { user: 'aged', text: 'ما شاء الله القهوة', knownSince: T0 - 3 * DAY }).value).toBe(0.5);
  });

  it('long, specific texts are left to the copy signals', () => {
    const long = 'والله أفضل قهوة جربتها في حياتي أنصح الجميع يجربونها';
    const farm = crowd({ prefix: 'bot', count: 27, gapMs: 1_500, texts: [long], known: false });
    expect(waveValue([farm], { user: 'bot-last', text: long }).value).toBe(0);
  });
});
