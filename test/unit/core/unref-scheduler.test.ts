import { expect } from 'chai';
import { firstValueFrom, interval, take, timer, toArray } from 'rxjs';
import { unrefScheduler } from '../../../src/core/unref-scheduler.js';

describe('unrefScheduler', () => {
  it('runs timers and intervals like the async scheduler', async () => {
    expect(await firstValueFrom(interval(5, unrefScheduler).pipe(take(3), toArray()))).to.deep.equal([
      0, 1, 2,
    ]);
    expect(await firstValueFrom(timer(5, unrefScheduler))).to.equal(0);
  });

  it('cancels work that is unsubscribed before it runs', async () => {
    let ran = false;
    const subscription = unrefScheduler.schedule(() => (ran = true), 5);
    subscription.unsubscribe();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ran).to.equal(false);
  });
});
