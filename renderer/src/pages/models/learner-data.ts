// Data shaping for the Models page's Learner section, kept out of the components so it is tested on its
// own: intervals and lifts as text, the few figures of a decision worth a line in the timeline, the
// gate settings to show, and merging pages of the timeline.
import type { LearnerDecision } from '../../../../shared/schemas/learning.js';
import { formatPercent } from '../overview/overview-data.js';

/** "12.0% (10.1%–14.2%)": a rate with its confidence interval. */
export function formatRateInterval(value: number, lower: number, upper: number, language: string): string {
  return `${formatPercent(value, language)} (${formatPercent(lower, language)}–${formatPercent(upper, language)})`;
}

/** A relative change with its sign: "+8.0%", "−3.5%". */
export function formatLift(lift: number, language: string): string {
  if (!Number.isFinite(lift)) return '—';
  return new Intl.NumberFormat(language, {
    style: 'percent',
    signDisplay: 'exceptZero',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(lift);
}

/** "+8.0% (+1.2% … +15.3%)": a lift with its confidence interval. */
export function formatLiftInterval(lift: number, lower: number, upper: number, language: string): string {
  return `${formatLift(lift, language)} (${formatLift(lower, language)} … ${formatLift(upper, language)})`;
}

/** Figures shown on a timeline entry: at most `max`, scalars only, numbers rounded for reading. */
export function keyFigures(
  figures: Record<string, unknown>,
  language: string,
  max = 6,
): Array<{ name: string; value: string }> {
  const shown: Array<{ name: string; value: string }> = [];
  for (const [name, value] of Object.entries(figures)) {
    if (shown.length >= max) break;
    const text = scalarText(value, language);
    if (text !== null) shown.push({ name, value: text });
  }
  return shown;
}

function scalarText(value: unknown, language: string): string | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    return new Intl.NumberFormat(language, { maximumFractionDigits: Number.isInteger(value) ? 0 : 4 }).format(value);
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  return null;
}

/** The first page and the pages loaded since, newest first, each decision once. */
export function mergeDecisions(
  first: readonly LearnerDecision[],
  older: readonly LearnerDecision[],
): LearnerDecision[] {
  const seen = new Set<number>();
  return [...first, ...older]
    .filter((decision) => (seen.has(decision.id) ? false : (seen.add(decision.id), true)))
    .sort((a, b) => b.id - a.id);
}

/** The id to ask for decisions before, or null when the timeline is empty. */
export function oldestDecisionId(decisions: readonly LearnerDecision[]): number | null {
  return decisions.length === 0 ? null : Math.min(...decisions.map((decision) => decision.id));
}
