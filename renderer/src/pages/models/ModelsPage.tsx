// The Models page (ml_engineer, admin): the ranker registry, offline metrics over versions, a
// side-by-side comparison of two versions (metrics with differences, feature importance), promotion and
// rollback behind a confirmation that says what will change, queuing a training run, and the online
// learner (LearnerSection.tsx). Data shaping lives in models-data.ts; the server enforces every rule
// (a refused change shows its message).
import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { ModelDetail, ModelVersion } from '../../../../shared/schemas/models.js';
import { useApiClient } from '../../api/api-context.js';
import { errorMessage } from '../../api/error-message.js';
import { useApi } from '../../api/use-api.js';
import { ChartFigure } from '../../components/ChartFigure.js';
import { DataTable } from '../../components/DataTable.js';
import { ErrorAlert, RetryAlert } from '../../components/Notices.js';
import { formatDateTime, formatMetric, formatPercent } from '../overview/overview-data.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { LearnerSection } from './LearnerSection.js';
import {
  OFFLINE_METRICS,
  PROMOTION_TARGETS,
  comparisonRows,
  defaultComparison,
  describePromotion,
  describeRollback,
  formatDelta,
  hasMetrics,
  importanceComparison,
  liveModel,
  metricSeries,
  metricValue,
  type PromotionTarget,
} from './models-data.js';
import { NoteField } from './NoteField.js';
import './models.css';

const MODELS_PATH = '/api/v2/admin/models';
const METRIC_COLOURS = ['#1d4ed8', '#b45309', '#047857', '#7e22ce', '#be123c'];
const COMPARE_COLOURS = { a: '#1d4ed8', b: '#b45309' };

type Pending = { action: 'promote'; id: string; to: PromotionTarget } | { action: 'rollback' };
type Notice = { kind: 'ok' | 'error'; text: string } | null;

export function ModelsPage() {
  const { t } = useTranslation('models');
  const api = useApiClient();
  // A reload keeps the table on screen (and the comparison's choice of versions) until the answer is in.
  const list = useApi(MODELS_PATH);
  const load = () => void list.refetch();
  const [pending, setPending] = useState<Pending | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [training, setTraining] = useState<Notice | 'sending'>(null);

  const models = list.error === null ? (list.data?.models ?? []) : [];

  const open = (next: Pending) => {
    setPending(next);
    setNote('');
    setDialogError(null);
  };
  const close = () => {
    setPending(null);
    setDialogError(null);
  };

  const confirm = () => {
    if (!pending) return;
    setBusy(true);
    setDialogError(null);
    const body = note.trim() === '' ? {} : { note: note.trim() };
    const request: Promise<string> =
      pending.action === 'promote'
        ? api
            .post(`${MODELS_PATH}/${encodeURIComponent(pending.id)}/promote`, {
              to: pending.to,
              ...body,
            })
            .then((result) => t('promoted', { model: result.model.id, status: t(`status.${result.model.status}`) }))
        : api
            .post(`${MODELS_PATH}/rollback`, { kind: 'ranker', ...body })
            .then((result) => t('rollback.done', { live: result.live.id, retired: result.retired.id }));
    request
      .then(
        (text) => {
          setPending(null);
          setNotice({ kind: 'ok', text });
          load();
        },
        (failure: unknown) => setDialogError(errorMessage(failure)),
      )
      .finally(() => setBusy(false));
  };

  const train = () => {
    setTraining('sending');
    api.post(`${MODELS_PATH}/train`, {}).then(
      (accepted) => setTraining({ kind: 'ok', text: t('train.queued', { jobId: accepted.jobId }) }),
      (failure: unknown) => setTraining({ kind: 'error', text: t('train.failed', { message: errorMessage(failure) }) }),
    );
  };

  const live = liveModel(models);

  return (
    <section aria-labelledby="models-title">
      <h2 id="models-title">{t('title')}</h2>
      <div className="models-toolbar">
        <button type="button" onClick={train} disabled={training === 'sending'} data-testid="train">
          {t('train.button')}
        </button>
        <button type="button" onClick={load}>
          {t('refresh')}
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => open({ action: 'rollback' })}
          disabled={!live}
          data-testid="rollback"
        >
          {t('rollback.button')}
        </button>
      </div>
      <div role="status" data-testid="models-status">
        {training === 'sending' ? (
          <p>{t('train.sending')}</p>
        ) : training ? (
          <p className={training.kind}>{training.text}</p>
        ) : null}
        {notice?.kind === 'ok' ? <p className="ok">{notice.text}</p> : null}
      </div>

      {list.error !== null ? (
        <RetryAlert
          className="panel"
          message={t('error', { message: list.error })}
          retryLabel={t('retry', { ns: 'common' })}
          onRetry={load}
        />
      ) : list.data === undefined ? (
        <p role="status">{t('loading')}</p>
      ) : models.length === 0 ? (
        <p>{t('empty')}</p>
      ) : (
        <>
          <RegistryTable models={models} onPromote={(id) => open({ action: 'promote', id, to: 'live' })} />
          <MetricsChart models={models} />
          <Comparison models={models} refreshedAt={list.receivedAt} />
        </>
      )}
      <LearnerSection />

      {pending ? (
        <ConfirmDialog
          title={
            pending.action === 'promote' ? t('confirm.promoteTitle', { model: pending.id }) : t('confirm.rollbackTitle')
          }
          message={(() => {
            const change =
              pending.action === 'promote'
                ? describePromotion(models, pending.id, pending.to)
                : describeRollback(models);
            return t(change.key, change.values);
          })()}
          confirmLabel={pending.action === 'promote' ? t('confirm.promoteButton') : t('confirm.rollbackButton')}
          busy={busy}
          error={dialogError}
          confirmDisabled={pending.action === 'rollback' && !live}
          onConfirm={confirm}
          onCancel={close}
        >
          {pending.action === 'promote' ? (
            <fieldset>
              <legend>{t('confirm.target')}</legend>
              {PROMOTION_TARGETS.map((target) => (
                <label key={target}>
                  <input
                    type="radio"
                    name="promotion-target"
                    value={target}
                    checked={pending.to === target}
                    onChange={() => setPending({ ...pending, to: target })}
                    data-testid={`target-${target}`}
                  />{' '}
                  {t(target === 'live' ? 'confirm.targetLive' : 'confirm.targetShadow')}
                </label>
              ))}
            </fieldset>
          ) : null}
          <NoteField value={note} onChange={setNote} />
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function StatusBadge({ status }: { status: ModelVersion['status'] }) {
  const { t } = useTranslation('models');
  return <span className={`model-status model-status-${status}`}>{t(`status.${status}`)}</span>;
}

const REGISTRY_COLUMNS = ['id', 'status', 'createdBy', 'createdAt', 'ndcg10', 'actions'] as const;

function RegistryTable({ models, onPromote }: { models: ModelVersion[]; onPromote: (id: string) => void }) {
  const { t, i18n } = useTranslation('models');
  return (
    <section className="panel" aria-labelledby="models-list-title">
      <h3 id="models-list-title">{t('list.title')}</h3>
      <DataTable
        testId="models-list"
        caption={t('list.caption')}
        columns={REGISTRY_COLUMNS.map((column) => t(`list.${column}`))}
        rows={models}
        rowKey={(model) => model.id}
        rowAttributes={(model) => ({ 'data-testid': `model-row-${model.id}` })}
        cells={(model) => (
          <>
            <th scope="row">{model.id}</th>
            <td>
              <StatusBadge status={model.status} />
            </td>
            <td>{model.createdBy}</td>
            <td>
              <time dateTime={model.createdAt}>{formatDateTime(model.createdAt, i18n.language)}</time>
            </td>
            <td>{formatMetric(metricValue(model.metrics, 'ndcg@10'), i18n.language)}</td>
            <td>
              {model.status === 'live' ? null : (
                <button
                  type="button"
                  onClick={() => onPromote(model.id)}
                  aria-label={t('list.promoteLabel', { model: model.id })}
                  data-testid={`promote-${model.id}`}
                >
                  {t('list.promote')}
                </button>
              )}
            </td>
          </>
        )}
      />
    </section>
  );
}

function MetricsChart({ models }: { models: ModelVersion[] }) {
  const { t, i18n } = useTranslation('models');
  const language = i18n.language;
  const series = useMemo(() => metricSeries(models), [models]);
  const first = series[0];
  const last = series[series.length - 1];
  const summary =
    !first || !last
      ? ''
      : series.length === 1
        ? t('chart.summaryOne', { first: first.id, firstValue: formatMetric(first.ndcg10, language) })
        : t('chart.summary', {
            count: series.length,
            first: first.id,
            last: last.id,
            firstValue: formatMetric(first.ndcg10, language),
            lastValue: formatMetric(last.ndcg10, language),
          });
  return (
    <section className="panel" aria-labelledby="models-chart-title">
      <h3 id="models-chart-title">{t('chart.title')}</h3>
      {!hasMetrics(series) ? (
        <p>{t('chart.noMetrics')}</p>
      ) : (
        <>
          <ChartFigure testId="metrics-chart" summaryId="models-chart-summary" height={280} summary={summary}>
            <LineChart data={series} margin={{ top: 8, right: 16, bottom: 8, left: 0 }} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="id" tick={false} />
              <YAxis domain={[0, 1]} />
              <Tooltip />
              <Legend />
              {OFFLINE_METRICS.map(({ dataKey, label }, index) => (
                <Line
                  key={dataKey}
                  type="monotone"
                  dataKey={dataKey}
                  name={label}
                  stroke={METRIC_COLOURS[index]}
                  connectNulls
                  isAnimationActive={false}
                />
              ))}
            </LineChart>
          </ChartFigure>
          <details>
            <summary>{t('chart.table')}</summary>
            <DataTable
              caption={t('chart.title')}
              columns={[t('chart.version'), ...OFFLINE_METRICS.map(({ label }) => label)]}
              rows={series}
              rowKey={(point) => point.id}
              cells={(point) => (
                <>
                  <th scope="row">{point.id}</th>
                  {OFFLINE_METRICS.map(({ dataKey }) => (
                    <td key={dataKey}>{formatMetric(point[dataKey], language)}</td>
                  ))}
                </>
              )}
            />
          </details>
        </>
      )}
    </section>
  );
}

const detailPath = (id: string) => `${MODELS_PATH}/${encodeURIComponent(id)}` as const;

function Comparison({ models, refreshedAt }: { models: ModelVersion[]; refreshedAt: Date | null }) {
  const { t } = useTranslation('models');
  const [pair, setPair] = useState<[string, string] | null>(() => defaultComparison(models));
  // refreshedAt: statuses and history change after a promotion, so reload the pair with the list.
  const a = useApi(pair ? detailPath(pair[0]) : null, undefined, { reloadOn: refreshedAt });
  const b = useApi(pair ? detailPath(pair[1]) : null, undefined, { reloadOn: refreshedAt });
  const detailsError = a.error ?? b.error;
  const pickerA = useId();
  const pickerB = useId();

  // A version in the pair may have disappeared from the registry; fall back to the default pair then.
  useEffect(() => {
    setPair((current) =>
      current && current.every((id) => models.some((model) => model.id === id)) ? current : defaultComparison(models),
    );
  }, [models]);

  if (!pair) {
    return (
      <section className="panel" aria-labelledby="models-compare-title">
        <h3 id="models-compare-title">{t('compare.title')}</h3>
        <p>{t('compare.needTwo')}</p>
      </section>
    );
  }

  const picker = (id: string, label: string, index: 0 | 1) => (
    <label htmlFor={id}>
      {label}
      <select
        id={id}
        value={pair[index]}
        data-testid={`compare-${index === 0 ? 'a' : 'b'}`}
        onChange={(event) => setPair(index === 0 ? [event.target.value, pair[1]] : [pair[0], event.target.value])}
      >
        {models.map((model) => (
          <option key={model.id} value={model.id}>
            {model.id} ({t(`status.${model.status}`)})
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <section className="panel" aria-labelledby="models-compare-title" data-testid="models-compare">
      <h3 id="models-compare-title">{t('compare.title')}</h3>
      <div className="models-compare-pickers">
        {picker(pickerA, t('compare.versionA'), 0)}
        {picker(pickerB, t('compare.versionB'), 1)}
      </div>
      {detailsError !== null ? (
        <ErrorAlert>{t('compare.error', { message: detailsError })}</ErrorAlert>
      ) : a.loading || b.loading || !a.data || !b.data ? (
        <p role="status">{t('compare.loading')}</p>
      ) : (
        <ComparisonDetails a={a.data} b={b.data} />
      )}
    </section>
  );
}

function ComparisonDetails({ a, b }: { a: ModelDetail; b: ModelDetail }) {
  const { t, i18n } = useTranslation('models');
  const language = i18n.language;
  const rows = comparisonRows(a, b);
  const importance = importanceComparison(a, b);
  const share = (value: number | null) => (value === null ? '—' : formatPercent(value, language));
  const number = (value: number | null, offline: boolean) =>
    value === null ? '—' : offline ? formatMetric(value, language) : new Intl.NumberFormat(language).format(value);
  const offlineKeys = new Set<string>(OFFLINE_METRICS.map(({ metric }) => metric));
  const topOf = (side: 'a' | 'b') => [...importance].sort((x, y) => (y[side] ?? -1) - (x[side] ?? -1))[0];
  const topA = topOf('a');
  const topB = topOf('b');

  return (
    <>
      <DataTable
        testId="compare-metrics"
        caption={t('compare.metricsCaption', { a: a.id, b: b.id })}
        columns={[t('compare.metric'), `A: ${a.id}`, `B: ${b.id}`, t('compare.difference')]}
        rows={rows}
        rowKey={(row) => row.metric}
        cells={(row) => {
          const offline = offlineKeys.has(row.metric);
          return (
            <>
              <th scope="row">{row.label}</th>
              <td>{number(row.a, offline)}</td>
              <td>{number(row.b, offline)}</td>
              <td>{offline ? formatDelta(row.delta, language) : formatDelta(row.delta, language, 0)}</td>
            </>
          );
        }}
      />

      <h4>{t('compare.importanceTitle')}</h4>
      {importance.length === 0 ? (
        <p>{t('compare.noImportance')}</p>
      ) : (
        <>
          <ChartFigure
            testId="importance-chart"
            summaryId="models-importance-summary"
            height={Math.max(200, importance.length * 28 + 60)}
            summary={t('compare.importanceSummary', {
              topA: topA && topA.a !== null ? topA.feature : t('compare.none'),
              topB: topB && topB.b !== null ? topB.feature : t('compare.none'),
            })}
          >
            <BarChart
              data={importance}
              layout="vertical"
              margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
              accessibilityLayer={false}
            >
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis type="number" tickFormatter={(value: number) => formatPercent(value, language)} />
              <YAxis type="category" dataKey="feature" width={200} />
              <Tooltip
                formatter={(value) => (typeof value === 'number' ? formatPercent(value, language) : String(value))}
              />
              <Legend />
              <Bar dataKey="a" name={`A: ${a.id}`} fill={COMPARE_COLOURS.a} isAnimationActive={false} />
              <Bar dataKey="b" name={`B: ${b.id}`} fill={COMPARE_COLOURS.b} isAnimationActive={false} />
            </BarChart>
          </ChartFigure>
          <DataTable
            testId="compare-importance"
            caption={t('compare.importanceCaption', { a: a.id, b: b.id })}
            columns={[t('compare.feature'), `A: ${a.id}`, `B: ${b.id}`]}
            rows={importance}
            rowKey={(row) => row.feature}
            cells={(row) => (
              <>
                <th scope="row">{row.feature}</th>
                <td>{share(row.a)}</td>
                <td>{share(row.b)}</td>
              </>
            )}
          />
        </>
      )}
    </>
  );
}
