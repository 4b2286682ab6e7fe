// The Overview page: the state of the engine at a glance — members, taste-vector coverage, the live
// ranking model and its offline metrics, job queues and schedules, how fresh the dwell aggregate is,
// and slates and swipes per hour over the last 48 hours. Everything comes from one call,
// GET /api/v2/admin/overview; the shaping lives in overview-data.ts.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { useApi } from '../../api/use-api.js';
import { ChartFigure } from '../../components/ChartFigure.js';
import { DataTable } from '../../components/DataTable.js';
import { DefinitionList } from '../../components/DefinitionList.js';
import { RetryAlert } from '../../components/Notices.js';
import {
  QUEUE_COUNT_KEYS,
  activitySeries,
  activitySummary,
  formatCount,
  formatDateTime,
  formatMetric,
  formatPercent,
  liveModelHeadline,
  relativeAge,
  sortedQueues,
  type ActivityPoint,
  type AdminOverview,
} from './overview-data.js';

const ACTIVITY_LINES = [
  { dataKey: 'slates', colour: '#1d4ed8' },
  { dataKey: 'swipes', colour: '#b45309' },
] as const;

export function OverviewPage() {
  const { t } = useTranslation('overview');
  const overview = useApi('/api/v2/admin/overview');
  const reload = () => void overview.refetch();

  return (
    <section aria-labelledby="overview-title">
      <h2 id="overview-title">{t('title')}</h2>
      {overview.loading ? (
        <p role="status">{t('loading')}</p>
      ) : overview.error !== null ? (
        <RetryAlert
          className="panel"
          message={t('error', { message: overview.error })}
          retryLabel={t('retry', { ns: 'common' })}
          onRetry={reload}
        />
      ) : overview.data && overview.receivedAt ? (
        <>
          <button type="button" onClick={reload}>
            {t('refresh')}
          </button>
          <OverviewContent overview={overview.data} now={overview.receivedAt} />
        </>
      ) : null}
    </section>
  );
}

function OverviewContent({ overview, now }: { overview: AdminOverview; now: Date }) {
  const { t, i18n } = useTranslation('overview');
  const language = i18n.language;
  const count = (value: number) => formatCount(value, language);
  const headline = liveModelHeadline(overview.liveModel);

  return (
    <>
      <section className="panel" aria-labelledby="overview-members-title" data-testid="overview-members">
        <h3 id="overview-members-title">{t('members.title')}</h3>
        {overview.members.total === 0 ? <p>{t('members.empty')}</p> : null}
        <DefinitionList
          items={[
            { term: t('members.total'), value: count(overview.members.total), testId: 'overview-members-total' },
            { term: t('members.withAttributes'), value: count(overview.members.withAttributes) },
            { term: t('members.optedOut'), value: count(overview.members.optedOut) },
            { term: t('members.deleted'), value: count(overview.members.deleted) },
          ]}
        />
      </section>

      <section className="panel" aria-labelledby="overview-vectors-title">
        <h3 id="overview-vectors-title">{t('vectors.title')}</h3>
        <DefinitionList
          items={[
            { term: t('vectors.count'), value: count(overview.vectors.count) },
            {
              term: t('vectors.coverage'),
              value: formatPercent(overview.vectors.coverage, language),
              testId: 'overview-coverage',
            },
          ]}
        />
        {overview.vectors.models.length === 0 ? (
          <p>{t('vectors.empty')}</p>
        ) : (
          <DataTable
            caption={t('vectors.byModel')}
            columns={[t('vectors.version'), t('vectors.vectorCount')]}
            rows={overview.vectors.models}
            rowKey={(model) => model.version}
            cells={(model) => (
              <>
                <th scope="row">{model.version}</th>
                <td>{count(model.count)}</td>
              </>
            )}
          />
        )}
      </section>

      <section className="panel" aria-labelledby="overview-live-title" data-testid="overview-live-model">
        <h3 id="overview-live-title">{t('liveModel.title')}</h3>
        {overview.liveModel && headline ? (
          <DefinitionList
            items={[
              { term: t('liveModel.id'), value: overview.liveModel.id },
              { term: t('liveModel.ndcg10'), value: formatMetric(headline.ndcg10, language) },
              { term: t('liveModel.map'), value: formatMetric(headline.map, language) },
              { term: t('liveModel.since'), value: formatDateTime(overview.liveModel.statusChangedAt, language) },
            ]}
          />
        ) : (
          <p>{t('liveModel.none')}</p>
        )}
      </section>

      <section className="panel" aria-labelledby="overview-jobs-title">
        <h3 id="overview-jobs-title">{t('jobs.title')}</h3>
        <p>
          {t('jobs.workers')}: {overview.jobs.workersRunning ? t('jobs.workersRunning') : t('jobs.workersStopped')}
        </p>
        {overview.jobs.queues.length === 0 ? (
          <p>{t('jobs.noQueues')}</p>
        ) : (
          <DataTable
            caption={t('jobs.queues')}
            columns={[t('jobs.queue'), t('jobs.policy'), ...QUEUE_COUNT_KEYS.map((key) => t(`jobs.counts.${key}`))]}
            rows={sortedQueues(overview.jobs.queues)}
            rowKey={(queue) => queue.name}
            cells={(queue) => (
              <>
                <th scope="row">{queue.name}</th>
                <td>{queue.policy}</td>
                {QUEUE_COUNT_KEYS.map((key) => (
                  <td key={key}>{count(queue.counts[key])}</td>
                ))}
              </>
            )}
          />
        )}
        {overview.jobs.schedules.length === 0 ? (
          <p>{t('jobs.noSchedules')}</p>
        ) : (
          <DataTable
            caption={t('jobs.schedules')}
            columns={[t('jobs.schedule'), t('jobs.cron'), t('jobs.timezone')]}
            rows={overview.jobs.schedules}
            rowKey={(schedule) => schedule.name}
            cells={(schedule) => (
              <>
                <th scope="row">{schedule.name}</th>
                <td>
                  <code>{schedule.cron}</code>
                </td>
                <td>{schedule.timezone}</td>
              </>
            )}
          />
        )}
      </section>

      <section className="panel" aria-labelledby="overview-dwell-title" data-testid="overview-dwell">
        <h3 id="overview-dwell-title">{t('dwell.title')}</h3>
        <DefinitionList
          items={[
            { term: t('dwell.rows'), value: count(overview.dwell.rows) },
            { term: t('dwell.lastEvent'), value: describeInstant(overview.dwell.lastEventAt, now, language, t) },
            overview.dwell.refreshedAt !== undefined && {
              term: t('dwell.refreshed'),
              value: describeInstant(overview.dwell.refreshedAt, now, language, t),
            },
          ]}
        />
      </section>

      <ActivityChart hours={overview.activity.hours} now={now} />
    </>
  );
}

function describeInstant(
  iso: string | null | undefined,
  now: Date,
  language: string,
  t: (key: string, values?: Record<string, string>) => string,
): string {
  const ago = relativeAge(iso, now, language);
  return iso && ago ? t('dwell.ago', { when: ago, at: formatDateTime(iso, language) }) : t('dwell.never');
}

function ActivityChart({ hours, now }: { hours: AdminOverview['activity']['hours']; now: Date }) {
  const { t, i18n } = useTranslation('overview');
  const language = i18n.language;
  const series = useMemo(() => activitySeries(hours, { language, now }), [hours, language, now]);
  const summary = activitySummary(series);
  const summaryText =
    t('activity.summary', {
      slates: formatCount(summary.slates, language),
      swipes: formatCount(summary.swipes, language),
    }) +
    (summary.busiest
      ? ' ' +
        t('activity.busiest', {
          hour: summary.busiest.label,
          slates: formatCount(summary.busiest.slates, language),
          swipes: formatCount(summary.busiest.swipes, language),
        })
      : '');

  return (
    <section className="panel" aria-labelledby="overview-activity-title">
      <h3 id="overview-activity-title">{t('activity.title')}</h3>
      {summary.busiest === null ? <p>{t('activity.empty')}</p> : null}
      <ChartFigure testId="activity-chart" summaryId="overview-activity-summary" height={280} summary={summaryText}>
        <LineChart data={series} margin={{ top: 8, right: 16, bottom: 8, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" interval={5} />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend />
          {ACTIVITY_LINES.map(({ dataKey, colour }) => (
            <Line
              key={dataKey}
              type="monotone"
              dataKey={dataKey}
              name={t(`activity.${dataKey}`)}
              stroke={colour}
              dot={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ChartFigure>
      <details>
        <summary>{t('activity.table')}</summary>
        <ActivityTable series={series} />
      </details>
    </section>
  );
}

function ActivityTable({ series }: { series: ActivityPoint[] }) {
  const { t, i18n } = useTranslation('overview');
  return (
    <DataTable
      testId="activity-table"
      caption={t('activity.title')}
      columns={[t('activity.hour'), t('activity.slates'), t('activity.swipes')]}
      rows={series}
      rowKey={(point) => point.hour}
      cells={(point) => (
        <>
          <th scope="row">
            <time dateTime={point.hour}>{point.label}</time>
          </th>
          <td>{formatCount(point.slates, i18n.language)}</td>
          <td>{formatCount(point.swipes, i18n.language)}</td>
        </>
      )}
    />
  );
}
