// The Models page's Learner section (ml_engineer, admin): the online learner's state (running or paused,
// schedule, the gate's thresholds), the shadow model's online evaluation against the live model (like
// rate and lift with intervals, top agreement, guardrails), and the timeline of its decisions, newest
// first with "load more". Pause/Resume goes through the confirmation naming what changes; "Run now"
// runs one learner cycle. The server enforces every rule; a refusal shows its message.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  LEARNER_LIMITS,
  type LearnerDecision,
  type LearnerState,
  type OnlineEstimate,
} from '../../../../shared/schemas/learning.js';
import { useApiClient } from '../../api/api-context.js';
import { errorMessage } from '../../api/error-message.js';
import { useApi } from '../../api/use-api.js';
import { DataTable } from '../../components/DataTable.js';
import { RetryAlert } from '../../components/Notices.js';
import { formatDateTime, formatPercent } from '../overview/overview-data.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import {
  formatLiftInterval,
  formatRateInterval,
  keyFigures,
  mergeDecisions,
  oldestDecisionId,
} from './learner-data.js';
import { NoteField } from './NoteField.js';

const LEARNER_PATH = '/api/v2/admin/learner';
const PAGE = LEARNER_LIMITS.defaultDecisionsPage;

type Notice = { kind: 'ok' | 'error'; text: string } | null;

export function LearnerSection() {
  const { t } = useTranslation('models');
  const api = useApiClient();
  const status = useApi(LEARNER_PATH, { limit: PAGE });
  const [older, setOlder] = useState<LearnerDecision[]>([]);
  const [exhausted, setExhausted] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);

  const reload = () => {
    setOlder([]);
    setExhausted(false);
    return status.refetch();
  };

  const data = status.error === null ? status.data : undefined;
  const decisions = data ? mergeDecisions(data.decisions, older) : [];
  const firstPageFull = (data?.decisions.length ?? 0) >= PAGE;

  const loadMore = () => {
    const before = oldestDecisionId(decisions);
    if (before === null) return;
    setLoadingMore(true);
    api
      .get(LEARNER_PATH, { limit: PAGE, before })
      .then(
        (page) => {
          setOlder((previous) => [...previous, ...page.decisions]);
          if (page.decisions.length < PAGE) setExhausted(true);
        },
        (failure: unknown) =>
          setNotice({ kind: 'error', text: t('learner.loadMoreFailed', { message: errorMessage(failure) }) }),
      )
      .finally(() => setLoadingMore(false));
  };

  const togglePaused = () => {
    if (!data) return;
    const paused = !data.state.paused;
    setBusy(true);
    setDialogError(null);
    api
      .patch(LEARNER_PATH, note.trim() === '' ? { paused } : { paused, note: note.trim() })
      .then(
        () => {
          setConfirming(false);
          setNotice({ kind: 'ok', text: t(paused ? 'learner.pausedDone' : 'learner.resumedDone') });
          void reload();
        },
        (failure: unknown) => setDialogError(errorMessage(failure)),
      )
      .finally(() => setBusy(false));
  };

  const runNow = () => {
    setNotice({ kind: 'ok', text: t('learner.running') });
    api.post(`${LEARNER_PATH}/run`, {}).then(
      (result) => {
        setNotice({ kind: 'ok', text: t('learner.ran', { count: result.decisions.length }) });
        void reload();
      },
      (failure: unknown) =>
        setNotice({ kind: 'error', text: t('learner.runFailed', { message: errorMessage(failure) }) }),
    );
  };

  return (
    <section className="panel" aria-labelledby="learner-title" data-testid="learner">
      <h3 id="learner-title">{t('learner.title')}</h3>
      <div role="status" data-testid="learner-status">
        {notice ? <p className={notice.kind}>{notice.text}</p> : null}
      </div>
      {status.error !== null ? (
        <RetryAlert
          message={t('learner.error', { message: status.error })}
          retryLabel={t('retry', { ns: 'common' })}
          onRetry={() => void reload()}
        />
      ) : !data ? (
        <p role="status">{t('learner.loading')}</p>
      ) : (
        <>
          <StateSummary state={data.state} />
          <div className="models-toolbar">
            <button
              type="button"
              onClick={() => {
                setNote('');
                setDialogError(null);
                setConfirming(true);
              }}
              data-testid="learner-toggle"
            >
              {t(data.state.paused ? 'learner.resume' : 'learner.pause')}
            </button>
            <button type="button" onClick={runNow} data-testid="learner-run">
              {t('learner.runNow')}
            </button>
          </div>
          <EvaluationPanel estimate={data.shadowEvaluation} />
          <Timeline decisions={decisions} />
          {firstPageFull && !exhausted ? (
            <button type="button" onClick={loadMore} disabled={loadingMore} data-testid="learner-more">
              {t(loadingMore ? 'learner.loadingMore' : 'learner.loadMore')}
            </button>
          ) : null}
          {confirming ? (
            <ConfirmDialog
              title={t(data.state.paused ? 'learner.confirmResumeTitle' : 'learner.confirmPauseTitle')}
              message={
                data.state.paused
                  ? t('learner.confirmResume', { schedule: data.state.schedule })
                  : t('learner.confirmPause')
              }
              confirmLabel={t(data.state.paused ? 'learner.resume' : 'learner.pause')}
              busy={busy}
              error={dialogError}
              onConfirm={togglePaused}
              onCancel={() => setConfirming(false)}
            >
              <NoteField value={note} onChange={setNote} />
            </ConfirmDialog>
          ) : null}
        </>
      )}
    </section>
  );
}

function StateSummary({ state }: { state: LearnerState }) {
  const { t, i18n } = useTranslation('models');
  const settings = Object.entries(state.settings).filter(([, value]) =>
    ['number', 'string', 'boolean'].includes(typeof value),
  );
  return (
    <dl className="learner-state" data-testid="learner-state">
      <dt>{t('learner.state')}</dt>
      <dd>
        <span className={`model-status ${state.paused ? 'model-status-retired' : 'model-status-live'}`}>
          {t(state.paused ? 'learner.paused' : 'learner.runningState')}
        </span>
        {state.changedBy && state.changedAt
          ? ` ${t('learner.changed', { actor: state.changedBy, time: formatDateTime(state.changedAt, i18n.language) })}`
          : null}
      </dd>
      <dt>{t('learner.schedule')}</dt>
      <dd>
        <code>{state.schedule}</code>
      </dd>
      {settings.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{String(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function EvaluationPanel({ estimate }: { estimate: OnlineEstimate | null }) {
  const { t, i18n } = useTranslation('models');
  const language = i18n.language;
  if (!estimate) return <p data-testid="learner-evaluation">{t('learner.noShadow')}</p>;
  const { counterfactual, guardrails, topAgreement } = estimate;
  const rows: Array<{ key: string; live: string; shadow: string }> = [
    {
      key: 'likeRate',
      live: formatRateInterval(
        counterfactual.live.likeRate,
        counterfactual.live.likeRateLower,
        counterfactual.live.likeRateUpper,
        language,
      ),
      shadow: formatRateInterval(
        counterfactual.shadow.likeRate,
        counterfactual.shadow.likeRateLower,
        counterfactual.shadow.likeRateUpper,
        language,
      ),
    },
    {
      key: 'matchRate',
      live: formatPercent(counterfactual.live.matchRate, language),
      shadow: formatPercent(counterfactual.shadow.matchRate, language),
    },
    {
      key: 'parityShortfallRate',
      live: formatPercent(guardrails.live.parityShortfallRate, language),
      shadow: formatPercent(guardrails.shadow.parityShortfallRate, language),
    },
    {
      key: 'safetyRemovalsPerSlate',
      live: number(guardrails.live.safetyRemovalsPerSlate, language),
      shadow: number(guardrails.shadow.safetyRemovalsPerSlate, language),
    },
    {
      key: 'rankMsP95',
      live: number(guardrails.live.rankMsP95, language),
      shadow: number(guardrails.shadow.rankMsP95, language),
    },
  ];
  return (
    <div data-testid="learner-evaluation">
      <h4>{t('learner.evaluationTitle')}</h4>
      <p>
        {t('learner.evaluationSummary', {
          slates: estimate.slates,
          impressions: estimate.impressions,
          since: formatDateTime(estimate.since, language),
        })}
      </p>
      <p data-testid="learner-lift">
        {t('learner.lift', {
          lift: formatLiftInterval(counterfactual.lift, counterfactual.liftLower, counterfactual.liftUpper, language),
        })}
      </p>
      <p>
        {t('learner.topAgreement', {
          k: topAgreement.k,
          slates: topAgreement.slates,
          likeRate: formatPercent(topAgreement.likeRate, language),
          matchRate: formatPercent(topAgreement.matchRate, language),
        })}
      </p>
      <DataTable
        testId="learner-comparison"
        caption={t('learner.comparisonCaption', { method: counterfactual.method })}
        quietCaption
        columns={[
          t('learner.figure'),
          t('learner.liveColumn', { model: estimate.liveModelId }),
          t('learner.shadowColumn', { model: estimate.shadowModelId }),
        ]}
        rows={rows}
        rowKey={(row) => row.key}
        cells={(row) => (
          <>
            <th scope="row">{t(`learner.figures.${row.key}`)}</th>
            <td>{row.live}</td>
            <td>{row.shadow}</td>
          </>
        )}
      />
    </div>
  );
}

function number(value: number, language: string): string {
  return new Intl.NumberFormat(language, { maximumFractionDigits: 2 }).format(value);
}

function Timeline({ decisions }: { decisions: LearnerDecision[] }) {
  const { t, i18n } = useTranslation('models');
  if (decisions.length === 0) return <p data-testid="learner-timeline">{t('learner.noDecisions')}</p>;
  return (
    <>
      <h4 id="learner-timeline-title">{t('learner.timelineTitle')}</h4>
      <ol className="learner-timeline" aria-labelledby="learner-timeline-title" data-testid="learner-timeline">
        {decisions.map((decision) => {
          const figures = keyFigures(decision.figures, i18n.language);
          return (
            <li key={decision.id} data-testid={`decision-${decision.id}`} data-kind={decision.kind}>
              <p>
                <strong className={`learner-kind learner-kind-${decision.kind}`}>
                  {t(`learner.kinds.${decision.kind}`)}
                </strong>
                {decision.modelId ? ` · ${decision.modelId}` : null} ·{' '}
                <time dateTime={decision.createdAt}>{formatDateTime(decision.createdAt, i18n.language)}</time> ·{' '}
                {t('learner.by', { actor: decision.actor })}
              </p>
              <p>{decision.reason}</p>
              {figures.length > 0 ? (
                <dl className="learner-figures">
                  {figures.map((figure) => (
                    <div key={figure.name}>
                      <dt>{figure.name}</dt>
                      <dd>{figure.value}</dd>
                    </div>
                  ))}
                </dl>
              ) : null}
            </li>
          );
        })}
      </ol>
    </>
  );
}
