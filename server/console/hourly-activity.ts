// The overview's activity chart data: slates served and swipes per UTC hour over the last 48 hours,
// with the hours nothing happened filled with zeros (the SQL only returns hours that had rows).
import type { ActivityHour } from '../../shared/schemas/console.js';

export const ACTIVITY_HOURS = 48;
const HOUR_MS = 3_600_000;

export interface HourCount {
  /** Start of the hour (any timestamp within it is accepted). */
  hour: Date | string;
  count: number;
}

/** The start of the first hour shown, for the query: the window ends with the hour `now` is in. */
export function activityWindowStart(now: Date, hours: number = ACTIVITY_HOURS): Date {
  return new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - (hours - 1) * HOUR_MS);
}

/** One entry per hour, oldest first, ending with the current hour; counts outside the window are ignored. */
export function zeroFilledActivity(
  slates: HourCount[],
  swipes: HourCount[],
  now: Date,
  hours: number = ACTIVITY_HOURS,
): ActivityHour[] {
  const start = activityWindowStart(now, hours).getTime();
  const series = Array.from({ length: hours }, (_, index) => ({
    hour: new Date(start + index * HOUR_MS).toISOString(),
    slates: 0,
    swipes: 0,
  }));
  const add = (counts: HourCount[], key: 'slates' | 'swipes') => {
    for (const { hour, count } of counts) {
      const index = Math.floor((new Date(hour).getTime() - start) / HOUR_MS);
      const entry = series[index];
      if (entry) entry[key] += count;
    }
  };
  add(slates, 'slates');
  add(swipes, 'swipes');
  return series;
}
