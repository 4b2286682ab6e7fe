// Review queue (reviewer, admin): the flags filed from slate review, open or resolved, grouped by the
// flagged member; open one to read its history and resolve it with an outcome, or jump to the
// member's slate.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/use-api.js';
import { DataTable } from '../../components/DataTable.js';
import { RetryAlert } from '../../components/Notices.js';
import type { PageProps } from '../page-registry.js';
import { FlagReviewDialog } from './FlagReviewDialog.js';
import { FLAG_STATUSES, groupFlagsByMember, memberLabel, type FlagStatus } from './review-data.js';

/** The queue table's columns: a resolved flag also shows its outcome. */
function queueColumns(status: FlagStatus) {
  return status === 'resolved'
    ? (['created', 'createdBy', 'target', 'note', 'outcome', 'actions'] as const)
    : (['created', 'createdBy', 'target', 'note', 'actions'] as const);
}

export function ReviewQueuePage(props: PageProps) {
  // Called on props: PageProps declares navigate as a method.
  const navigate = (path: string) => props.navigate(path);
  const { t, i18n } = useTranslation('review');
  const [status, setStatus] = useState<FlagStatus>('open');
  const queue = useApi('/api/v2/review/flags', { status });
  // Shown only once settled: a reload or another status hides the previous list meanwhile.
  const ready = queue.loading || queue.error !== null ? undefined : queue.data;
  const reload = () => void queue.refetch();
  const [openFlag, setOpenFlag] = useState<number | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const dates = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  const formatDate = (iso: string) => {
    const time = Date.parse(iso);
    return Number.isNaN(time) ? iso : dates.format(time);
  };

  return (
    <section aria-labelledby="review-title">
      <h2 id="review-title">{t('title')}</h2>
      <p className="muted">{t('intro')}</p>
      <div role="group" aria-label={t('show')} style={{ display: 'flex', gap: 8, marginBottom: 12 }}>
        {FLAG_STATUSES.map((value) => (
          <button
            key={value}
            type="button"
            data-testid={`queue-status-${value}`}
            aria-pressed={status === value}
            className={status === value ? 'primary' : undefined}
            onClick={() => {
              setMessage(null);
              setStatus(value);
            }}
          >
            {t(`statuses.${value}`)}
          </button>
        ))}
      </div>
      {message ? (
        <p role="status" className="ok" data-testid="resolve-confirmation">
          {message}
        </p>
      ) : null}
      {queue.loading ? <p role="status">{t('loading')}</p> : null}
      {queue.error !== null ? (
        <RetryAlert message={t('loadError', { message: queue.error })} retryLabel={t('retry')} onRetry={reload} />
      ) : null}
      {ready ? (
        <div data-testid="queue-list">
          <p>{t(`count.${status}`, { count: ready.total })}</p>
          {ready.flags.length === 0 ? <p className="muted">{t(`empty.${status}`)}</p> : null}
          {groupFlagsByMember(ready.flags).map((group) => {
            const member = memberLabel(group.viewerId, group.viewerName);
            return (
              <section key={group.viewerId} className="panel" aria-labelledby={`queue-member-${group.viewerId}`}>
                <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 12 }}>
                  <h3 id={`queue-member-${group.viewerId}`} style={{ margin: 0 }}>
                    {t('member', { member })}
                  </h3>
                  <button
                    type="button"
                    data-testid={`open-slate-${group.viewerId}`}
                    aria-label={t('openSlateLabel', { member })}
                    onClick={() => navigate(`slates/${encodeURIComponent(group.viewerId)}`)}
                  >
                    {t('openSlate')}
                  </button>
                </div>
                <DataTable
                  columns={queueColumns(status).map((column) => t(`columns.${column}`))}
                  rows={group.flags}
                  rowKey={(flag) => flag.id}
                  rowAttributes={(flag) => ({ 'data-testid': `queue-row-${flag.id}` })}
                  cells={(flag) => (
                    <>
                      <td>
                        <time dateTime={flag.createdAt}>{formatDate(flag.createdAt)}</time>
                      </td>
                      <td>{flag.createdBy}</td>
                      <td>
                        {flag.candidateId
                          ? t('candidate', { candidate: memberLabel(flag.candidateId, flag.candidateName) })
                          : t('wholeSlate')}
                      </td>
                      <td>{flag.note}</td>
                      {status === 'resolved' ? (
                        <td data-testid={`outcome-${flag.id}`}>
                          {flag.outcome ? t(`outcomes.${flag.outcome}`) : '—'}
                          {flag.resolutionNote ? <> — “{flag.resolutionNote}”</> : null}
                        </td>
                      ) : null}
                      <td>
                        <button
                          type="button"
                          className={flag.status === 'open' ? 'primary' : undefined}
                          data-testid={`${flag.status === 'open' ? 'resolve' : 'history'}-${flag.id}`}
                          aria-label={t(flag.status === 'open' ? 'resolveLabel' : 'historyLabel', { id: flag.id })}
                          onClick={() => setOpenFlag(flag.id)}
                        >
                          {flag.status === 'open' ? t('resolve') : t('history')}
                        </button>
                      </td>
                    </>
                  )}
                />
              </section>
            );
          })}
        </div>
      ) : null}
      {openFlag !== null ? (
        <FlagReviewDialog
          flagId={openFlag}
          formatDate={formatDate}
          onClose={() => setOpenFlag(null)}
          onResolved={(flag) => {
            setOpenFlag(null);
            setMessage(t('resolved', { id: flag.id, outcome: flag.outcome ? t(`outcomes.${flag.outcome}`) : '' }));
            reload();
          }}
        />
      ) : null}
    </section>
  );
}
