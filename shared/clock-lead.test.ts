import { describe, expect, it } from 'vitest';
import { aheadWarning, formatLead } from './clock-lead.ts';

describe('clock lead', () => {
  it('reads a lead in the unit a person would say', () => {
    expect(formatLead(2 * 60_000 + 1)).toBe('2 min');
    expect(formatLead(59 * 60_000 + 29_000)).toBe('59 min');
    expect(formatLead(3_600_000 - 400)).toBe('1 h');
    expect(formatLead(5_400_000)).toBe('1 h 30 min');
    expect(formatLead(47 * 3_600_000)).toBe('47 h');
    expect(formatLead(3 * 86_400_000)).toBe('3 days');
  });

  it('says how many, how far ahead, and what to check, in the singular for one', () => {
    expect(aheadWarning(412, 7_199_000)).toBe(
      "412 messages are stamped up to 2 h ahead of this machine's clock: check the sender's clock or the listener's time zone; their correlations wait until the clock reaches them",
    );
    expect(aheadWarning(1, 180_000)).toMatch(/^1 message is stamped up to 3 min ahead .*; its correlations wait until the clock reaches it$/);
    expect(aheadWarning(12_345, 180_000)).toMatch(/^12,345 messages are/);
  });
});
