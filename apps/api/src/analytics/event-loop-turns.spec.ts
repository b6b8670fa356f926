import { ownTurnOfTheLoop } from './event-loop-turns';

describe('ownTurnOfTheLoop', () => {
  it('lets work queued during one turn run before the next turn', async () => {
    const order: string[] = [];
    const first = ownTurnOfTheLoop().then(() => {
      order.push('first series');
      // What another request queues while the first series is being completed.
      setImmediate(() => order.push('another request'));
    });
    const second = ownTurnOfTheLoop().then(() => order.push('second series'));
    await Promise.all([first, second]);
    await new Promise((resolve) => setImmediate(resolve));
    // Two plain setImmediate() calls would both have run before the other request: first, second, other.
    expect(order).toEqual(['first series', 'another request', 'second series']);
  });

  it('hands out turns in the order they were asked for', async () => {
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4].map((index) => ownTurnOfTheLoop().then(() => order.push(index))));
    expect(order).toEqual([1, 2, 3, 4]);
  });
});
