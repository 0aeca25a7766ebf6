import { describe, expect, it } from 'vitest';
import { counted as fraudCounted } from '../../../src/scoring/fraud/wording.js';
import { pointsText } from '../../../src/domain/wording.js';

describe('counted nouns: one Arabic agreement for reasons and fraud signals', () => {
  it.each<[number, string, string]>([
    [1, '1 point', 'نقطة واحدة'],
    [2, '2 points', 'نقطتان'],
    [3, '3 points', '3 نقاط'],
    [10, '10 points', '10 نقاط'],
    [11, '11 points', '11 نقطة'],
    [99, '99 points', '99 نقطة'],
    [100, '100 points', '100 نقطة'],
    [103, '103 points', '103 نقاط'],
    [111, '111 points', '111 نقطة'],
    [-3, '-3 points', '-3 نقاط'],
  ])('%i', (count, en, ar) => {
    expect(pointsText(count)).toEqual({ en, ar });
  });

  it('words the fraud scorer\u2019s nouns the same way', () => {
    expect(fraudCounted(0, 'account')).toEqual({ en: '0 accounts', ar: '0 حساب' });
    expect(fraudCounted(4, 'account')).toEqual({ en: '4 accounts', ar: '4 حسابات' });
    expect(fraudCounted(40, 'account')).toEqual({ en: '40 accounts', ar: '40 حسابًا' });
    expect(fraudCounted(2, 'minute')).toEqual({ en: '2 minutes', ar: 'دقيقتان' });
  });
});
