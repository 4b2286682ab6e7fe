// The Overview page: the state of the engine at a glance — members, taste-vector coverage, the live
// ranking model and its offline metrics, job queues and schedules, how fresh the dwell aggregate is,
// and slates and swipes per hour over the last 48 hours. Everything comes from one call,
// GET /api/v2/admin/overview; the shaping lives in overview-data.ts.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useApi } from '../../api/use-api.js';
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

const SLATES_COLOUR = '#1d4ed8';
const SWIPES_COLOUR = '#b45309';

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
        <div role="alert" className="panel">
          <p className="error">{t('error', { message: overview.error })}</p>
          <button type="button" onClick={reload}>
            {t('retry', { ns: 'common' })}
          </button>
        </div>
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
        <dl>
          <dt>{t('members.total')}</dt>
          <dd data-testid="overview-members-total">{count(overview.members.total)}</dd>
          <dt>{t('members.withAttributes')}</dt>
          <dd>{count(overview.members.withAttributes)}</dd>
          <dt>{t('members.optedOut')}</dt>
          <dd>{count(overview.members.optedOut)}</dd>
          <dt>{t('members.deleted')}</dt>
          <dd>{count(overview.members.deleted)}</dd>
        </dl>
      </section>

      <section className="panel" aria-labelledby="overview-vectors-title">
        <h3 id="overview-vectors-title">{t('vectors.title')}</h3>
        <dl>
          <dt>{t('vectors.count')}</dt>
          <dd>{count(overview.vectors.count)}</dd>
          <dt>{t('vectors.coverage')}</dt>
          <dd data-testid="overview-coverage">{formatPercent(overview.vectors.coverage, language)}</dd>
        </dl>
        {overview.vectors.models.length === 0 ? (
          <p>{t('vectors.empty')}</p>
        ) : (
          <table>
            <caption>{t('vectors.byModel')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('vectors.version')}</th>
                <th scope="col">{t('vectors.vectorCount')}</th>
              </tr>
            </thead>
            <tbody>
              {overview.vectors.models.map((model) => (
                <tr key={model.version}>
                  <th scope="row">{model.version}</th>
                  <td>{count(model.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="panel" aria-labelledby="overview-live-title" data-testid="overview-live-model">
        <h3 id="overview-live-title">{t('liveModel.title')}</h3>
        {overview.liveModel && headline ? (
          <dl>
            <dt>{t('liveModel.id')}</dt>
            <dd>{overview.liveModel.id}</dd>
            <dt>{t('liveModel.ndcg10')}</dt>
            <dd>{formatMetric(headline.ndcg10, language)}</dd>
            <dt>{t('liveModel.map')}</dt>
            <dd>{formatMetric(headline.map, language)}</dd>
            <dt>{t('liveModel.since')}</dt>
            <dd>{formatDateTime(overview.liveModel.statusChangedAt, language)}</dd>
          </dl>
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
          <table>
            <caption>{t('jobs.queues')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('jobs.queue')}</th>
                <th scope="col">{t('jobs.policy')}</th>
                {QUEUE_COUNT_KEYS.map((key) => (
                  <th scope="col" key={key}>
                    {t(`jobs.counts.${key}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {sortedQueues(overview.jobs.queues).map((queue) => (
                <tr key={queue.name}>
                  <th scope="row">{queue.name}</th>
                  <td>{queue.policy}</td>
                  {QUEUE_COUNT_KEYS.map((key) => (
                    <td key={key}>{count(queue.counts[key])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {overview.jobs.schedules.length === 0 ? (
          <p>{t('jobs.noSchedules')}</p>
        ) : (
          <table>
            <caption>{t('jobs.schedules')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('jobs.schedule')}</th>
                <th scope="col">{t('jobs.cron')}</th>
                <th scope="col">{t('jobs.timezone')}</th>
              </tr>
            </thead>
            <tbody>
              {overview.jobs.schedules.map((schedule) => (
                <tr key={schedule.name}>
                  <th scope="row">{schedule.name}</th>
                  <td>
                    <code>{schedule.cron}</code>
                  </td>
                  <td>{schedule.timezone}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="panel" aria-labelledby="overview-dwell-title" data-testid="overview-dwell">
        <h3 id="overview-dwell-title">{t('dwell.title')}</h3>
        <dl>
          <dt>{t('dwell.rows')}</dt>
          <dd>{count(overview.dwell.rows)}</dd>
          <dt>{t('dwell.lastEvent')}</dt>
          <dd>{describeInstant(overview.dwell.lastEventAt, now, language, t)}</dd>
          {overview.dwell.refreshedAt !== undefined ? (
            <>
              <dt>{t('dwell.refreshed')}</dt>
              <dd>{describeInstant(overview.dwell.refreshedAt, now, language, t)}</dd>
            </>
          ) : null}
        </dl>
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
      <figure data-testid="activity-chart" aria-describedby="overview-activity-summary" style={{ margin: 0 }}>
        <div style={{ width: '100%', height: 280 }} aria-hidden="true">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={series} margin={{ top: 8, right: 16, bottom: 8, left: 0 }} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="label" interval={5} />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Legend />
              <Line
                type="monotone"
                dataKey="slates"
                name={t('activity.slates')}
                stroke={SLATES_COLOUR}
                dot={false}
                isAnimationActive={false}
              />
              <Line
                type="monotone"
                dataKey="swipes"
                name={t('activity.swipes')}
                stroke={SWIPES_COLOUR}
                dot={false}
                isAnimationActive={false}
              />
            </LineChart>
          </ResponsiveContainer>
        </div>
        <figcaption id="overview-activity-summary">{summaryText}</figcaption>
      </figure>
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
    <table data-testid="activity-table">
      <caption>{t('activity.title')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('activity.hour')}</th>
          <th scope="col">{t('activity.slates')}</th>
          <th scope="col">{t('activity.swipes')}</th>
        </tr>
      </thead>
      <tbody>
        {series.map((point) => (
          <tr key={point.hour}>
            <th scope="row">
              <time dateTime={point.hour}>{point.label}</time>
            </th>
            <td>{formatCount(point.slates, i18n.language)}</td>
            <td>{formatCount(point.swipes, i18n.language)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
