// The simulation's figures: per population and day the served slates' like rates, the model in service
// and the learner's decisions; the summary the targets are read from; and the printed table.
import type { DayTally } from './serve-day.js';

/** The compared populations (the main table), then the scenario populations (gate, rollback watch). */
export const POPULATIONS = ['learner', 'frozen', 'oracle', 'bad-model', 'rollback'] as const;
export type PopulationKind = (typeof POPULATIONS)[number];
const COMPARED: readonly PopulationKind[] = ['learner', 'frozen', 'oracle'];
/** Populations whose engine runs the online learner at every tick. */
export const LEARNING_POPULATIONS: readonly PopulationKind[] = ['learner', 'bad-model', 'rollback'];

/** What the simulation keeps of a learner decision (server/learning's LearnerDecision). */
export interface SimDecision {
  kind: string;
  modelId: string | null;
  reason: string;
}

/**
 * A decision as printed: `promoted 3fa2c1: offline NDCG@10 …` — ids shortened; of the reason, every
 * failed condition of a refusal, the first clause otherwise (a promotion lists every passed one).
 */
export function describeDecision(decision: SimDecision, firstModel: string): string {
  const model = decision.modelId === null ? '' : ` ${shortModel(decision.modelId, firstModel)}`;
  const clauses = decision.reason.split('; ');
  const reason =
    decision.kind === 'shadowed' ? '' : `: ${decision.kind === 'refused' ? clauses.join('; ') : clauses[0]}`;
  return `${decision.kind}${model}${reason}`;
}

/** `first` for the first model, the random suffix of a registry id (`ranker-20261203-2054-3fa2c1`), other ids whole. */
export function shortModel(id: string | null, firstModel: string): string {
  if (id === null) return '—';
  if (id === firstModel) return 'first';
  return /^ranker-\d{8}-\d{4}-([0-9a-f]{6})$/.exec(id)?.[1] ?? id;
}

export interface DayRecord extends DayTally {
  day: number;
  /** Likes per examined (swiped) card: what a product would report as its like rate. */
  likeRate: number;
  /** The click model's expectation of the same, from true probabilities: the like rate without draw noise. */
  expectedLikeRate: number;
  /** The live model at the end of the day. */
  liveModel: string | null;
  /** The learner's decisions during the day, as printed (`promoted m2`, `refused m3: …`). */
  decisions: string[];
}

export interface PopulationRecord {
  kind: PopulationKind;
  firstModel: string;
  /** The first model's file hash: equal across populations when the runs were deterministic, as they should be. */
  firstModelSha256: string;
  bootstrap: DayTally;
  days: DayRecord[];
  /** The deliberately bad model put in shadow, when the scenario asked for one. */
  badModel: string | null;
  seconds: number;
}

export interface LearningSimSummary {
  lastDay: number;
  likeRate: Partial<Record<PopulationKind, number>>;
  expectedLikeRate: Partial<Record<PopulationKind, number>>;
  /**
   * The targets on the EXPECTED like rates (the primary figures: a day's draws move the drawn rate by a
   * few points, while the expectation over the same slates is free of that noise).
   * learner ÷ frozen on the last day (target ≥ 1.2).
   */
  learnerOverFrozen: number | null;
  /** (learner − frozen) ÷ (oracle − frozen) on the last day (target ≥ 0.5). */
  gapClosed: number | null;
  /** oracle ÷ frozen on the last day: the room there is to learn. */
  oracleOverFrozen: number | null;
  /** The same three on the drawn like rates, for comparison. */
  drawn: RateComparison;
  /** The largest share of a day's impressions the bad model ordered (target ≤ the treatment share). */
  badModelMaxShare: number | null;
  /** That day's treatment-arm share of impressions (10 % of members by hash; a day's viewers vary around it). */
  badModelDayTreatmentShare: number | null;
  /** What the gate decided about the bad model (the BAD-MODEL population). */
  badModelVerdict: string | null;
  /** The ROLLBACK population's promotion and the watch's verdict on it. */
  rollback: string[];
}

export interface RateComparison {
  learnerOverFrozen: number | null;
  gapClosed: number | null;
  oracleOverFrozen: number | null;
}

export function dayRecord(day: number, tally: DayTally, liveModel: string | null, decisions: string[]): DayRecord {
  return {
    ...tally,
    day,
    likeRate: ratio(tally.likes, tally.examined),
    expectedLikeRate: ratio(tally.expectedLikes, tally.expectedExamined),
    liveModel,
    decisions,
  };
}

export function summarise(populations: readonly PopulationRecord[]): LearningSimSummary {
  const byKind = new Map(populations.map((population) => [population.kind, population]));
  const last = (kind: PopulationKind) => byKind.get(kind)?.days.at(-1);
  const lastDay = Math.max(0, ...COMPARED.map((kind) => last(kind)?.day ?? 0));
  const likeRate: Partial<Record<PopulationKind, number>> = {};
  const expectedLikeRate: Partial<Record<PopulationKind, number>> = {};
  for (const kind of COMPARED) {
    const record = last(kind);
    if (!record) continue;
    likeRate[kind] = record.likeRate;
    expectedLikeRate[kind] = record.expectedLikeRate;
  }
  const badPopulation = byKind.get('bad-model');
  const badModel = badPopulation?.badModel ?? null;
  const decisionsOf = (kind: PopulationKind) => byKind.get(kind)?.days.flatMap((day) => day.decisions) ?? [];
  const rollbackDecisions = decisionsOf('rollback');
  const firstPromotion = rollbackDecisions.findIndex((line) => line.startsWith('promoted'));
  return {
    lastDay,
    likeRate,
    expectedLikeRate,
    ...compare(expectedLikeRate),
    drawn: compare(likeRate),
    ...badModelShares(badPopulation, badModel),
    badModelVerdict:
      badModel === null
        ? null
        : (decisionsOf('bad-model').find((line) => /^(refused|promoted) /.test(line) && line.includes(badModel)) ??
          'not judged'),
    rollback:
      firstPromotion < 0
        ? []
        : [
            rollbackDecisions[firstPromotion]!,
            rollbackDecisions.find((line) => line.startsWith('rolled_back')) ?? 'no rollback',
          ],
  };
}

/** The bad model's largest daily share of impressions, and the treatment arm's share that day. */
function badModelShares(
  population: PopulationRecord | undefined,
  badModel: string | null,
): Pick<LearningSimSummary, 'badModelMaxShare' | 'badModelDayTreatmentShare'> {
  if (!population || badModel === null) return { badModelMaxShare: null, badModelDayTreatmentShare: null };
  const shares = population.days.map((day) => ({
    bad: ratio(day.impressionsByModel[badModel] ?? 0, day.impressions),
    treatment: ratio(day.impressionsByArm.treatment ?? 0, day.impressions),
  }));
  const worst = shares.reduce((max, share) => (share.bad > max.bad ? share : max), { bad: 0, treatment: 0 });
  return { badModelMaxShare: worst.bad, badModelDayTreatmentShare: worst.treatment };
}

function compare({ learner, frozen, oracle }: Partial<Record<PopulationKind, number>>): RateComparison {
  return {
    learnerOverFrozen: learner !== undefined && frozen ? learner / frozen : null,
    gapClosed:
      learner !== undefined && frozen !== undefined && oracle !== undefined && oracle !== frozen
        ? (learner - frozen) / (oracle - frozen)
        : null,
    oracleOverFrozen: oracle !== undefined && frozen ? oracle / frozen : null,
  };
}

/**
 * The per-day table of the compared populations: like rate (drawn, expected in brackets), the model in
 * service at the end of the day per population, the learner's decisions; then one table per scenario.
 */
export function formatTable(populations: readonly PopulationRecord[]): string {
  const byKind = new Map(populations.map((population) => [population.kind, population]));
  const compared = COMPARED.filter((kind) => byKind.has(kind));
  const days = Math.max(0, ...compared.map((kind) => byKind.get(kind)!.days.length));
  const rows: string[][] = [];
  const learner = byKind.get('learner');
  for (let index = 0; index < days; index++) {
    const cells = compared.map((kind) => {
      const record = byKind.get(kind)!.days[index];
      return record ? `${percent(record.likeRate)} (${percent(record.expectedLikeRate)})` : '';
    });
    const models = compared
      .map((kind) => {
        const population = byKind.get(kind)!;
        return `${kind[0]}: ${shortModel(population.days[index]?.liveModel ?? null, population.firstModel)}`;
      })
      .join(', ');
    rows.push([String(index + 1), ...cells, models, learner?.days[index]?.decisions.join('; ') || '—']);
  }
  const tables = [
    markdownTable(
      ['day', ...compared.map((kind) => `${kind} like rate`), 'model in service', 'learner decisions'],
      rows,
    ),
  ];
  for (const kind of POPULATIONS.filter((kind) => !COMPARED.includes(kind) && byKind.has(kind))) {
    const population = byKind.get(kind)!;
    const scenarioRows = population.days.map((record) => [
      String(record.day),
      `${percent(record.likeRate)} (${percent(record.expectedLikeRate)})`,
      shortModel(record.liveModel, population.firstModel),
      Object.entries(record.impressionsByModel)
        .map(
          ([model, count]) =>
            `${shortModel(model, population.firstModel)} ${percent(ratio(count, record.impressions))}`,
        )
        .join(', '),
      record.decisions.join('; ') || '—',
    ]);
    tables.push(
      `scenario ${kind}:\n` +
        markdownTable(['day', 'like rate', 'model in service', 'impressions by model', 'decisions'], scenarioRows),
    );
  }
  return tables.join('\n\n');
}

function markdownTable(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export function formatSummary(summary: LearningSimSummary): string {
  const times = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(2)}×`);
  const share = (value: number | null) => (value === null ? 'n/a (no bad model injected)' : percent(value));
  const gap = (value: number | null) => (value === null ? 'n/a' : percent(value));
  const rates = Object.keys(summary.likeRate)
    .map((kind) => {
      const key = kind as PopulationKind;
      return `${kind} ${percent(summary.likeRate[key]!)} (${percent(summary.expectedLikeRate[key]!)})`;
    })
    .join(', ');
  return [
    `last day (${summary.lastDay}) like rate, drawn (expected): ${rates}`,
    `learner ÷ frozen, expected: ${times(summary.learnerOverFrozen)} (target ≥ 1.20×); drawn: ${times(summary.drawn.learnerOverFrozen)}`,
    `gap to the oracle closed, expected: ${gap(summary.gapClosed)} (target ≥ 50 %); drawn: ${gap(summary.drawn.gapClosed)}`,
    `oracle ÷ frozen, expected: ${times(summary.oracleOverFrozen)}; drawn: ${times(summary.drawn.oracleOverFrozen)}`,
    `bad model's largest daily share of impressions: ${share(summary.badModelMaxShare)} ` +
      `(target ≤ the treatment arm's share: 10 % of members, ${share(summary.badModelDayTreatmentShare)} of that day's impressions)`,
    `bad model at the gate: ${summary.badModelVerdict ?? 'n/a'}`,
    `rollback scenario: ${summary.rollback.length > 0 ? summary.rollback.join(' → ') : 'n/a (no promotion)'}`,
  ].join('\n');
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)} %`;
}
