// Data shaping for the Overview page: the admin overview response as the page needs it — numbers and
// percentages in the viewer's language, the live model's headline metrics, the last 48 hours of slates
// and swipes as a gap-free chart series with hour labels, and how fresh the dwell aggregate is. Pure
// functions of their arguments (the clock and time zone come in as parameters) so they are unit-tested.
import type { Overview } from '../../../../shared/schemas/console.js';

/** GET /api/v2/admin/overview (coverage is a 0..1 share). */
export type AdminOverview = Overview;

export const QUEUE_COUNT_KEYS = ['created', 'retry', 'active', 'completed', 'failed', 'cancelled'] as const;

export const ACTIVITY_HOURS = 48;
const HOUR_MS = 3_600_000;

export function formatCount(value: number, language: string): string {
  return new Intl.NumberFormat(language).format(value);
}

/** A 0..1 share as a percentage with one decimal (0.8734 → "87.3%" / "87,3 %"). */
export function formatPercent(share: number, language: string): string {
  if (!Number.isFinite(share)) return '—';
  return new Intl.NumberFormat(language, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(share);
}

/** An offline metric (NDCG, MAP: 0..1) with four decimals; "—" when the model did not record it. */
export function formatMetric(value: number | null | undefined, language: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(language, { minimumFractionDigits: 4, maximumFractionDigits: 4 }).format(value);
}

/** A metric from a model's free-form metrics object: a number, or null when absent or not numeric. */
export function numericMetric(metrics: Record<string, unknown> | undefined, key: string): number | null {
  const value = metrics?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The live model's headline numbers as the training run records them (`ndcg@10`, `map`). */
export function liveModelHeadline(
  liveModel: AdminOverview['liveModel'],
): { ndcg10: number | null; map: number | null } | null {
  if (!liveModel) return null;
  return { ndcg10: numericMetric(liveModel.metrics, 'ndcg@10'), map: numericMetric(liveModel.metrics, 'map') };
}

export interface ActivityPoint {
  /** Start of the hour, ISO 8601 UTC. */
  hour: string;
  /** The hour as the viewer reads it, e.g. "Tue 14" / "mar 14". */
  label: string;
  slates: number;
  swipes: number;
}

/**
 * The last `span` hours ending with the current hour (or the newest hour the server reported, if its
 * clock is ahead), one point per hour; hours the server had nothing for count as 0 so the chart's x axis
 * is even and a quiet hour shows as a dip, not as a missing point.
 */
export function activitySeries(
  hours: AdminOverview['activity']['hours'],
  options: { language: string; now: Date; timeZone?: string; span?: number },
): ActivityPoint[] {
  const span = options.span ?? ACTIVITY_HOURS;
  const byHour = new Map<number, { slates: number; swipes: number }>();
  let newest = Math.floor(options.now.getTime() / HOUR_MS) * HOUR_MS;
  for (const entry of hours) {
    const time = Date.parse(entry.hour);
    if (Number.isNaN(time)) continue;
    const start = Math.floor(time / HOUR_MS) * HOUR_MS;
    const sum = byHour.get(start) ?? { slates: 0, swipes: 0 };
    sum.slates += entry.slates;
    sum.swipes += entry.swipes;
    byHour.set(start, sum);
    newest = Math.max(newest, start);
  }
  const format = new Intl.DateTimeFormat(options.language, {
    weekday: 'short',
    hour: '2-digit',
    hourCycle: 'h23',
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
  });
  const points: ActivityPoint[] = [];
  for (let index = span - 1; index >= 0; index -= 1) {
    const start = newest - index * HOUR_MS;
    const counts = byHour.get(start) ?? { slates: 0, swipes: 0 };
    points.push({ hour: new Date(start).toISOString(), label: format.format(start), ...counts });
  }
  return points;
}

/** Totals and busiest hour over a series: the chart's text summary. */
export function activitySummary(points: ActivityPoint[]): {
  slates: number;
  swipes: number;
  busiest: ActivityPoint | null;
} {
  let slates = 0;
  let swipes = 0;
  let busiest: ActivityPoint | null = null;
  for (const point of points) {
    slates += point.slates;
    swipes += point.swipes;
    if (point.slates + point.swipes > 0 && (!busiest || point.slates + point.swipes > busiest.slates + busiest.swipes))
      busiest = point;
  }
  return { slates, swipes, busiest };
}

/** "5 minutes ago" / "hace 5 minutos"; null when there is no time to describe. */
export function relativeAge(iso: string | null | undefined, now: Date, language: string): string | null {
  if (!iso) return null;
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return null;
  const seconds = Math.round((time - now.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  const magnitude = Math.abs(seconds);
  if (magnitude < 60) return format.format(seconds, 'second');
  if (magnitude < 3600) return format.format(Math.round(seconds / 60), 'minute');
  if (magnitude < 86_400) return format.format(Math.round(seconds / 3600), 'hour');
  return format.format(Math.round(seconds / 86_400), 'day');
}

/** An instant as a date and time in the viewer's language. */
export function formatDateTime(iso: string, language: string, timeZone?: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return new Intl.DateTimeFormat(language, {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(timeZone ? { timeZone } : {}),
  }).format(time);
}

/** Queues by name, so the table does not reorder between refreshes. */
export function sortedQueues(queues: AdminOverview['jobs']['queues']): AdminOverview['jobs']['queues'] {
  return [...queues].sort((a, b) => a.name.localeCompare(b.name));
}
