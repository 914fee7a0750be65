import { expect } from 'chai';
import { lastValueFrom, take, toArray } from 'rxjs';
import { EventLog } from '../../../src/process/event-log.js';

describe('EventLog', () => {
  it('replays the first event and the most recent ones, within its capacity', async () => {
    const log = new EventLog<number>(3);
    for (let i = 1; i <= 10; i += 1) log.emit(i);
    log.complete();
    expect(await lastValueFrom(log.events$.pipe(toArray()))).to.deep.equal([1, 8, 9, 10]);
  });

  it('continues live after the replay, without a gap or a duplicate', () => {
    const log = new EventLog<string>(10);
    log.emit('a');
    log.emit('b');
    const seen: string[] = [];
    log.events$.subscribe((e) => seen.push(e));
    log.emit('c');
    expect(seen).to.deep.equal(['a', 'b', 'c']);
  });

  it('completes late subscribers and ignores events after completion', async () => {
    const log = new EventLog<string>(10);
    log.emit('a');
    log.complete();
    log.emit('ignored');
    expect(await lastValueFrom(log.events$.pipe(toArray()))).to.deep.equal(['a']);
  });

  it('stops replaying to a subscriber that unsubscribes mid-replay', async () => {
    const log = new EventLog<number>(10);
    for (let i = 0; i < 5; i += 1) log.emit(i);
    expect(await lastValueFrom(log.events$.pipe(take(2), toArray()))).to.deep.equal([0, 1]);
  });
});
