import { describe, expect, it } from 'vitest';
import type { AlertDto } from '../../shared/ipc/contract.ts';
import { attackTag, groupAlerts } from './group.ts';

let nextId = 1;
function alert(over: { rule: string; level: AlertDto['rule']['level']; ip?: string; count?: number; status?: AlertDto['status'] }): AlertDto {
  return {
    id: nextId++,
    rule: { id: over.rule, version: null, kind: 'detection', title: `Rule ${over.rule}`, level: over.level, author: null, tags: [] },
    entity: over.ip ? { type: 'ip', value: over.ip } : { type: 'none', value: '' },
    first: 1000, last: 2000, firstEventId: 1, count: over.count ?? 1, status: over.status ?? 'open', note: null,
    why: null, createdAt: 0, updatedAt: 0,
  };
}

describe('groupAlerts', () => {
  const alerts = [
    alert({ rule: 'a', level: 'medium', ip: '10.0.0.1', count: 3 }),
    alert({ rule: 'b', level: 'critical', ip: '10.0.0.2' }),
    alert({ rule: 'a', level: 'medium', ip: '10.0.0.2', count: 5, status: 'confirmed' }),
    alert({ rule: 'c', level: 'low' }),
  ];

  it('by rule: counts of alerts, open ones and events, most severe group first', () => {
    const groups = groupAlerts(alerts, 'rule');
    expect(groups.map((g) => [g.label, g.alerts.length, g.open, g.events])).toEqual([
      ['Rule b', 1, 1, 1], ['Rule a', 2, 1, 8], ['Rule c', 1, 1, 1],
    ]);
    // Within a group, the alert with the most events first.
    expect(groups[1]?.alerts.map((a) => a.count)).toEqual([5, 3]);
  });

  it('by level: in order of severity', () => {
    expect(groupAlerts(alerts, 'level').map((g) => g.label)).toEqual(['critical', 'medium', 'low']);
  });

  it('by entity: one group per value, its worst level, and one for alerts without an entity', () => {
    const groups = groupAlerts(alerts, 'entity');
    expect(groups.map((g) => [g.label, g.level, g.alerts.length])).toEqual([
      ['10.0.0.2', 'critical', 2], ['10.0.0.1', 'medium', 1], ['no entity', 'low', 1],
    ]);
  });
});

describe('attackTag', () => {
  it('shows techniques as IDs and tactics as words', () => {
    expect(attackTag('attack.t1110.001')).toEqual({ kind: 'technique', text: 'T1110.001' });
    expect(attackTag('attack.credential-access')).toEqual({ kind: 'tactic', text: 'Credential Access' });
    expect(attackTag('attack.initial_access')).toEqual({ kind: 'tactic', text: 'Initial Access' });
    expect(attackTag('cve.2021-44228')).toEqual({ kind: 'other', text: 'cve.2021-44228' });
  });
});
