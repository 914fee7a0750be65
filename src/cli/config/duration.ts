import { MAX_TIMER_MS } from '../../core/durations.js';

/** One or more `<number><unit>` parts: `500ms`, `2s`, `1.5s`, `1m30s`, `1h`. */
export const DURATION_PATTERN = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** What the user is told for any bad duration. */
export const DURATION_EXPECTED =
  'expected a duration such as 500ms, 2s, 1.5s, 1m or a number of milliseconds';

/**
 * Milliseconds from a config duration (a number is already milliseconds), or `undefined` when the value is not a
 * duration the timers can honour: negative, not finite, above 2^31-1 ms (Node would silently fire at once), or
 * text that is not `DURATION_PATTERN`.
 */
export function toMilliseconds(value: number | string): number | undefined {
  let ms: number;
  if (typeof value === 'number') {
    ms = value;
  } else {
    const text = value.trim();
    if (!DURATION_PATTERN.test(text)) return undefined;
    ms = 0;
    for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
      ms += Number(amount) * (UNIT_MS[unit ?? 'ms'] ?? 1);
    }
    // 1.0005s is 1000.5 ms: keep whole milliseconds so the printed config reads back the same.
    ms = Math.round(ms);
  }
  return Number.isFinite(ms) && ms >= 0 && ms <= MAX_TIMER_MS ? ms : undefined;
}
