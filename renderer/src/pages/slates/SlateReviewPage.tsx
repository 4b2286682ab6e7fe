// Slate review (reviewer, admin): find a member, see the slate the engine builds for them — arm, model,
// parity, timings, the served slate and every traced candidate's rank after each stage with removals
// and their reasons, and the feature groups masked by either side's privacy choice — open a
// candidate's explanation, and flag a candidate or the slate for review.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SlateResponse } from '../../../../shared/schemas/slate.js';
import { useApi } from '../../api/use-api.js';
import { DataTable } from '../../components/DataTable.js';
import { DefinitionList } from '../../components/DefinitionList.js';
import { ErrorAlert, RetryAlert } from '../../components/Notices.js';
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
        {searchError ? <ErrorAlert style={{ flexBasis: '100%', margin: 0 }}>{searchError}</ErrorAlert> : null}
      </form>

      {slate.loading ? <p role="status">{t('loading', { viewerId })}</p> : null}
      {slate.error !== null ? (
        <RetryAlert message={t('loadError', { message: slate.error })} retryLabel={t('retry')} onRetry={reload} />
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
        <DefinitionList
          style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '4px 16px', margin: 0 }}
          valueStyle={{ margin: 0 }}
          items={[
            { term: t('summary.slateId'), value: <code>{slate.slateId}</code> },
            { term: t('summary.arm'), value: t(`arms.${slate.arm}`), testId: 'slate-arm' },
            { term: t('summary.experiment'), value: slate.experimentKey ?? t('summary.none') },
            { term: t('summary.model'), value: slate.model ?? t('summary.bypassed'), testId: 'slate-model' },
            { term: t('summary.shadowModel'), value: slate.shadowModel ?? t('summary.none') },
          ]}
        />
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
          <DataTable
            testId="parity-table"
            columns={[t('parity.gender'), t('parity.target'), t('parity.actual'), t('parity.verdict')]}
            rows={parity}
            rowKey={(row) => row.gender}
            cells={(row) => (
              <>
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
              </>
            )}
          />
          <p>{slate.parity.shortfall.length > 0 ? t('parity.shortfall') : t('parity.noShortfall')}</p>
        </section>

        <section aria-labelledby="slate-timings" className="panel" style={{ flex: '1 1 320px' }}>
          <h3 id="slate-timings">{t('timings.heading')}</h3>
          <DataTable
            testId="timings-table"
            columns={[t('timings.stage'), t('timings.ms'), t('timings.share')]}
            rows={timingRows(slate.timings)}
            rowKey={(row) => row.stage}
            cells={(row) => (
              <>
                <th scope="row">{t(`timings.${row.stage}`)}</th>
                <td>{row.ms.toFixed(1)}</td>
                <td>{formatShare(row.share)}</td>
              </>
            )}
            after={
              <tr>
                <th scope="row">{t('timings.total')}</th>
                <td>{slate.timings.totalMs.toFixed(1)}</td>
                <td>{formatShare(1)}</td>
              </tr>
            }
          />
        </section>
      </div>

      <section aria-labelledby="slate-served">
        <h3 id="slate-served">{t('served.heading')}</h3>
        {slate.slate.length === 0 ? (
          <p className="muted">{t('served.empty')}</p>
        ) : (
          <DataTable
            testId="slate-table"
            caption={t('served.caption', { count: slate.slate.length })}
            quietCaption
            columns={[t('served.position'), t('served.member'), t('served.score'), t('served.sources')]}
            rows={slate.slate}
            rowKey={(entry) => entry.userId}
            cells={(entry) => (
              <>
                <td>{entry.position}</td>
                <th scope="row">{entry.userId}</th>
                <td>{formatScore(entry.score ?? null)}</td>
                <td>{sources(entry.sources)}</td>
              </>
            )}
          />
        )}
      </section>

      <section aria-labelledby="slate-trace">
        <h3 id="slate-trace">{t('trace.heading')}</h3>
        {rows.length === 0 ? (
          <p className="muted">{t('trace.empty')}</p>
        ) : (
          <div style={{ overflowX: 'auto' }}>
            <DataTable
              testId="trace-table"
              caption={t('trace.caption')}
              quietCaption
              columns={[
                ...(['member', 'sources', 'retrievalScore', 'rankerScore'] as const).map((key) => t(`trace.${key}`)),
                ...TRACE_STAGES.map((stage) => t('trace.rankAfter', { stage: t(`stages.${stage}`) })),
                ...(['masked', 'outcome', 'actions'] as const).map((key) => t(`trace.${key}`)),
              ]}
              rows={rows}
              rowKey={(row) => row.userId}
              rowAttributes={(row) => ({
                'data-testid': `trace-row-${row.userId}`,
                'data-status': row.status,
                style: row.status === 'removed' ? REMOVED_ROW : undefined,
              })}
              cells={(row) => (
                <TraceCells row={row} sources={sources(row.sources)} onExplain={onExplain} onFlag={onFlag} />
              )}
            />
            <MasksLegend />
          </div>
        )}
      </section>
    </>
  );
}

// Removed rows carry a text outcome and a left border as well as the tint: never colour alone.
const REMOVED_ROW = { background: '#fdecea', boxShadow: 'inset 4px 0 0 #b91c1c' } as const;

/** A traced candidate's cells: ranks after each stage, masked groups, outcome, and its actions. */
function TraceCells({
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
    <>
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
        <TraceAction action="why" candidateId={row.userId} onClick={onExplain} />{' '}
        <TraceAction action="flag" candidateId={row.userId} onClick={onFlag} />
      </td>
    </>
  );
}

/** A traced candidate's action button, named for the candidate it acts on. */
function TraceAction({
  action,
  candidateId,
  onClick,
}: {
  action: 'why' | 'flag';
  candidateId: string;
  onClick: (candidateId: string) => void;
}) {
  const { t } = useTranslation('slates');
  return (
    <button
      type="button"
      data-testid={`${action}-${candidateId}`}
      aria-label={t(`trace.${action}Label`, { candidateId })}
      onClick={() => onClick(candidateId)}
    >
      {t(`trace.${action}`)}
    </button>
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
