import { describe, expect, it } from 'vitest';
import { MessageQueue, type Queued } from './live-listener.ts';

const message = (n: number): Queued => ({ line: { text: `m${n}` } as Queued['line'], peer: '127.0.0.1', peerPort: n, receivedAt: n });

describe('MessageQueue', () => {
  it('gives batches from the front in arrival order while messages keep arriving, across its reclaiming of taken space', () => {
    const q = new MessageQueue();
    const taken: number[] = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 7; i++) q.push(message(next++));
      const batch = q.front(Math.min(q.length, 5));
      taken.push(...batch.map((m) => m.peerPort));
      q.drop(batch.length);
    }
    expect(q.length).toBe(50 * 7 - taken.length);
    taken.push(...q.front(q.length).map((m) => m.peerPort));
    expect(taken).toEqual(Array.from({ length: next }, (_, i) => i));
    q.clear();
    expect(q.length).toBe(0);
  });
});
