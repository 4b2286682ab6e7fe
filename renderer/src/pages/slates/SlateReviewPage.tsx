// Slate review (reviewer, admin): find a member, see the slate the engine builds for them — arm, model,
// parity, timings, the served slate and every traced candidate's rank after each stage with removals
// and their reasons, and the feature groups masked by either side's privacy choice — open a
// candidate's explanation, and flag a candidate or the slate for review.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SlateResponse } from '../../../../shared/schemas/slate.js';
import { useApi } from '../../api/use-api.js';
import type { PageProps } from '../page-registry.js';
import { ExplanationDialog } from './ExplanationDialog.js';
import { FlagDialog } from './FlagDialog.js';
import {
  TRACE_STAGES,
  formatScore,
  formatShare,
  memberIdFromInput,
  parityRows,
  timingRows,
  traceCounts,
  traceRows,
  type TraceRow,
} from './slate-data.js';

/** The slate size reviewers look at: the default a member gets. */
const REVIEW_SLATE_LIMIT = 20;

function decodeSubpath(subpath: string): string {
  const first = subpath.split('/')[0] ?? '';
  try {
    return decodeURIComponent(first);
  } catch {
    return first;
  }
}

export function SlateReviewPage(props: PageProps) {
  const { subpath } = props;
  // Called on props: PageProps declares navigate as a method.
  const navigate = (path: string) => props.navigate(path);
  const { t } = useTranslation('slates');
  const viewerId = decodeSubpath(subpath);
  const [input, setInput] = useState(viewerId);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [explaining, setExplaining] = useState<string | null>(null);
  const [flagging, setFlagging] = useState<{ candidateId: string | null } | null>(null);
  const [confirmation, setConfirmation] = useState<string | null>(null);
  const slate = useApi(viewerId === '' ? null : '/api/v2/discovery/slate', { limit: REVIEW_SLATE_LIMIT, viewerId });
  // Shown only once settled: a reload hides the previous answer, as a new member's slate does.
  const ready = slate.loading || slate.error !== null ? undefined : slate.data;
  const reload = () => {
    setConfirmation(null);
    void slate.refetch();
  };

  useEffect(() => setInput(viewerId), [viewerId]);

  // A confirmation is about the slate it was given on: another member's slate starts without one.
  useEffect(() => {
    if (viewerId !== '') setConfirmation(null);
  }, [viewerId]);

  const search = (event: FormEvent) => {
    event.preventDefault();
    const id = memberIdFromInput(input);
    if (!id) {
      setSearchError(t('search.required'));
      return;
    }
    setSearchError(null);
    if (id === viewerId) reload();
    else navigate(`slates/${encodeURIComponent(id)}`);
  };

  const closeFlag = useCallback(() => setFlagging(null), []);

  return (
    <section aria-labelledby="slates-title">
      <h2 id="slates-title">{t('title')}</h2>
      <p className="muted">{t('intro')}</p>
      <form
        onSubmit={search}
        noValidate
        className="panel"
        style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center' }}
      >
        <label htmlFor="member-search">{t('search.label')}</label>
        <input
          id="member-search"
          data-testid="member-search"
          value={input}
          placeholder={t('search.hint')}
          aria-describedby="member-search-hint"
          aria-invalid={searchError !== null}
          onChange={(event) => setInput(event.target.value)}
        />
        <span id="member-search-hint" className="muted">
          {t('search.hint')}
        </span>
        <button type="submit" className="primary" data-testid="member-search-submit">
          {t('search.submit')}
        </button>
        {searchError ? (
          <p role="alert" className="error" style={{ flexBasis: '100%', margin: 0 }}>
            {searchError}
          </p>
        ) : null}
      </form>

      {slate.loading ? <p role="status">{t('loading', { viewerId })}</p> : null}
      {slate.error !== null ? (
        <div role="alert">
          <p className="error">{t('loadError', { message: slate.error })}</p>
          <button type="button" onClick={reload}>
            {t('retry')}
          </button>
        </div>
      ) : null}
      {confirmation ? (
        <p role="status" className="ok" data-testid="flag-confirmation">
          {confirmation}{' '}
          <a
            href="/console/review-queue"
            onClick={(event) => {
              event.preventDefault();
              navigate('review-queue');
            }}
          >
            {t('flag.openQueue')}
          </a>
        </p>
      ) : null}
      {ready ? (
        <SlateView
          slate={ready}
          onExplain={setExplaining}
          onFlag={(candidateId) => {
            setConfirmation(null);
            setFlagging({ candidateId });
          }}
        />
      ) : null}

      {explaining && ready ? (
        <ExplanationDialog viewerId={ready.viewerId} candidateId={explaining} onClose={() => setExplaining(null)} />
      ) : null}
      {flagging && ready ? (
        <FlagDialog
          viewerId={ready.viewerId}
          slateId={ready.slateId}
          candidateId={flagging.candidateId}
          onClose={closeFlag}
          onFlagged={(flag) => {
            setConfirmation(
              flagging.candidateId
                ? t('flag.confirmationCandidate', { candidateId: flagging.candidateId, id: flag.id })
                : t('flag.confirmationSlate', { id: flag.id }),
            );
            setFlagging(null);
          }}
        />
      ) : null}
    </section>
  );
}

function SlateView({
  slate,
  onExplain,
  onFlag,
}: {
  slate: SlateResponse;
  onExplain: (candidateId: string) => void;
  onFlag: (candidateId: string | null) => void;
}) {
  const { t } = useTranslation('slates');
  const rows = traceRows(slate);
  const counts = traceCounts(rows);
  const parity = parityRows(slate.parity);
  const sources = (list: readonly string[]) =>
    list.map((source) => t(`sources.${source}`, { defaultValue: source })).join(', ');

  return (
    <>
      <section aria-labelledby="slate-summary" className="panel">
        <h3 id="slate-summary">{t('summary.heading', { viewerId: slate.viewerId })}</h3>
        <dl style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '4px 16px', margin: 0 }}>
          <dt>{t('summary.slateId')}</dt>
          <dd style={{ margin: 0 }}>
            <code>{slate.slateId}</code>
          </dd>
          <dt>{t('summary.arm')}</dt>
          <dd style={{ margin: 0 }} data-testid="slate-arm">
            {t(`arms.${slate.arm}`)}
          </dd>
          <dt>{t('summary.experiment')}</dt>
          <dd style={{ margin: 0 }}>{slate.experimentKey ?? t('summary.none')}</dd>
          <dt>{t('summary.model')}</dt>
          <dd style={{ margin: 0 }} data-testid="slate-model">
            {slate.model ?? t('summary.bypassed')}
          </dd>
          <dt>{t('summary.shadowModel')}</dt>
          <dd style={{ margin: 0 }}>{slate.shadowModel ?? t('summary.none')}</dd>
        </dl>
        <h4>{t('summary.notes')}</h4>
        {slate.notes.length > 0 ? (
          <ul data-testid="slate-notes">
            {slate.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t('summary.noNotes')}</p>
        )}
        <p>
          {t('summary.counts', {
            traced: counts.traced,
            served: counts.served,
            removed: counts.removed,
            belowCut: counts.belowCut,
            unscored: counts.unscored,
          })}
        </p>
        <button type="button" data-testid="flag-slate" onClick={() => onFlag(null)}>
          {t('flag.slate')}
        </button>
      </section>

      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 16 }}>
        <section aria-labelledby="slate-parity" className="panel" style={{ flex: '1 1 320px' }}>
          <h3 id="slate-parity">{t('parity.heading')}</h3>
          <table data-testid="parity-table">
            <thead>
              <tr>
                <th scope="col">{t('parity.gender')}</th>
                <th scope="col">{t('parity.target')}</th>
                <th scope="col">{t('parity.actual')}</th>
                <th scope="col">{t('parity.verdict')}</th>
              </tr>
            </thead>
            <tbody>
              {parity.map((row) => (
                <tr key={row.gender}>
                  <th scope="row">{t(`genders.${row.gender}`, { defaultValue: row.gender })}</th>
                  <td>{formatShare(row.target)}</td>
                  <td>{formatShare(row.actual)}</td>
                  <td className={row.withinBand ? 'ok' : 'error'}>
                    {row.withinBand
                      ? t('parity.within')
                      : row.missing > 0
                        ? t('parity.short', { count: row.missing })
                        : t('parity.over', { count: -row.missing })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>{slate.parity.shortfall.length > 0 ? t('parity.shortfall') : t('parity.noShortfall')}</p>
        </section>

        <section aria-labelledby="slate-timings" className="panel" style={{ flex: '1 1 320px' }}>
          <h3 id="slate-timings">{t('timings.heading')}</h3>
          <table data-testid="timings-table">
            <thead>
              <tr>
                <th scope="col">{t('timings.stage')}</th>
                <th scope="col">{t('timings.ms')}</th>
                <th scope="col">{t('timings.share')}</th>
              </tr>
            </thead>
            <tbody>
              {timingRows(slate.timings).map((row) => (
                <tr key={row.stage}>
                  <th scope="row">{t(`timings.${row.stage}`)}</th>
                  <td>{row.ms.toFixed(1)}</td>
                  <td>{formatShare(row.share)}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">{t('timings.total')}</th>
                <td>{slate.timings.totalMs.toFixed(1)}</td>
                <td>{formatShare(1)}</td>
              </tr>
            </tbody>
          </table>
        </section>
      </div>

      <section aria-labelledby="slate-served">
        <h3 id="slate-served">{t('served.heading')}</h3>
        {slate.slate.length === 0 ? (
          <p className="muted">{t('served.empty')}</p>
        ) : (
          <table data-testid="slate-table">
            <caption className="muted" style={{ textAlign: 'left' }}>
              {t('served.caption', { count: slate.slate.length })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('served.position')}</th>
                <th scope="col">{t('served.member')}</th>
                <th scope="col">{t('served.score')}</th>
                <th scope="col">{t('served.sources')}</th>
              </tr>
            </thead>
            <tbody>
              {slate.slate.map((entry) => (
                <tr key={entry.userId}>
                  <td>{entry.position}</td>
                  <th scope="row">{entry.userId}</th>
                  <td>{formatScore(entry.score ?? null)}</td>
                  <td>{sources(entry.sources)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="slate-trace">
        <h3 id="slate-trace">{t('trace.heading')}</h3>
        {rows.length === 0 ? (
          <p className="muted">{t('trace.empty')}</p>
        ) : (
          <div style={{ overflowX: 'auto' }}>
            <table data-testid="trace-table">
              <caption className="muted" style={{ textAlign: 'left' }}>
                {t('trace.caption')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('trace.member')}</th>
                  <th scope="col">{t('trace.sources')}</th>
                  <th scope="col">{t('trace.retrievalScore')}</th>
                  <th scope="col">{t('trace.rankerScore')}</th>
                  {TRACE_STAGES.map((stage) => (
                    <th scope="col" key={stage}>
                      {t('trace.rankAfter', { stage: t(`stages.${stage}`) })}
                    </th>
                  ))}
                  <th scope="col">{t('trace.masked')}</th>
                  <th scope="col">{t('trace.outcome')}</th>
                  <th scope="col">{t('trace.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <TraceTableRow
                    key={row.userId}
                    row={row}
                    sources={sources(row.sources)}
                    onExplain={onExplain}
                    onFlag={onFlag}
                  />
                ))}
              </tbody>
            </table>
            <MasksLegend />
          </div>
        )}
      </section>
    </>
  );
}

// Removed rows carry a text outcome and a left border as well as the tint: never colour alone.
const REMOVED_ROW = { background: '#fdecea', boxShadow: 'inset 4px 0 0 #b91c1c' } as const;

function TraceTableRow({
  row,
  sources,
  onExplain,
  onFlag,
}: {
  row: TraceRow;
  sources: string;
  onExplain: (candidateId: string) => void;
  onFlag: (candidateId: string) => void;
}) {
  const { t } = useTranslation('slates');
  return (
    <tr
      data-testid={`trace-row-${row.userId}`}
      data-status={row.status}
      style={row.status === 'removed' ? REMOVED_ROW : undefined}
    >
      <th scope="row">{row.userId}</th>
      <td>{sources}</td>
      <td>{formatScore(row.retrievalScore)}</td>
      <td>{formatScore(row.rankerScore)}</td>
      {TRACE_STAGES.map((stage) => (
        <td key={stage}>{row.ranks[stage] ?? '—'}</td>
      ))}
      <td data-testid={`masked-${row.userId}`}>
        {row.maskedGroups === null ? (
          <span className="muted">{t('masks.unknown')}</span>
        ) : row.maskedGroups.length === 0 ? (
          <span className="muted">{t('masks.none')}</span>
        ) : (
          <ul className="chips" aria-label={t('masks.chipsLabel', { candidateId: row.userId })}>
            {row.maskedGroups.map((mask) => (
              <li key={mask.group} className="chip" data-by={mask.by}>
                {t('masks.chip', { group: t(`masks.groups.${mask.group}`), by: t(`masks.by.${mask.by}`) })}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td>
        {row.status === 'removed' && row.removed ? (
          <strong className="error" data-testid={`removed-${row.userId}`}>
            {t('trace.removedAt', {
              stage: t(`stages.${row.removed.stage}`, { defaultValue: row.removed.stage }),
              reason: row.removed.reason,
            })}
          </strong>
        ) : row.status === 'served' ? (
          t('trace.servedAt', { position: row.position })
        ) : (
          <span className="muted">{t('trace.belowCut')}</span>
        )}
        {row.unscored ? (
          <>
            <br />
            <em data-testid={`unscored-${row.userId}`}>{t('trace.unscored')}</em>
          </>
        ) : null}
      </td>
      <td style={{ whiteSpace: 'nowrap' }}>
        <button
          type="button"
          data-testid={`why-${row.userId}`}
          aria-label={t('trace.whyLabel', { candidateId: row.userId })}
          onClick={() => onExplain(row.userId)}
        >
          {t('trace.why')}
        </button>{' '}
        <button
          type="button"
          data-testid={`flag-${row.userId}`}
          aria-label={t('trace.flagLabel', { candidateId: row.userId })}
          onClick={() => onFlag(row.userId)}
        >
          {t('trace.flag')}
        </button>
      </td>
    </tr>
  );
}

/** What a masked-group chip means: the groups, and whose opt-out masks them (the rule is either side's). */
function MasksLegend() {
  const { t } = useTranslation('slates');
  return (
    <section aria-labelledby="masks-legend-title" data-testid="masks-legend" className="muted">
      <h4 id="masks-legend-title">{t('masks.legendTitle')}</h4>
      <p>{t('masks.legendIntro')}</p>
      <dl style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '2px 12px', margin: 0 }}>
        {(['viewer', 'candidate', 'both'] as const).map((by) => (
          <div key={by} style={{ display: 'contents' }}>
            <dt>{t(`masks.by.${by}`)}</dt>
            <dd style={{ margin: 0 }}>{t(`masks.legend.${by}`)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
