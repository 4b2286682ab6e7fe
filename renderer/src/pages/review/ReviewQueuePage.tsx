// Review queue (reviewer, admin): the flags filed from slate review, open or resolved, grouped by the
// flagged member; open one to read its history and resolve it with an outcome, or jump to the
// member's slate.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReviewFlagPage } from '../../../../shared/schemas/review.js';
import type { PageProps } from '../page-registry.js';
import { FlagReviewDialog } from './FlagReviewDialog.js';
import { FLAG_STATUSES, groupFlagsByMember, memberLabel, type FlagStatus, type ReviewFlag } from './review-data.js';

type State =
  { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; flags: ReviewFlag[]; total: number };

export function ReviewQueuePage(props: PageProps) {
  const { api } = props;
  // Called on props: PageProps declares navigate as a method.
  const navigate = (path: string) => props.navigate(path);
  const { t, i18n } = useTranslation('review');
  const [status, setStatus] = useState<FlagStatus>('open');
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [reloads, setReloads] = useState(0);
  const [openFlag, setOpenFlag] = useState<number | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    setState({ kind: 'loading' });
    api.get<ReviewFlagPage>('/api/v2/review/flags', { status }).then(
      (page) => current && setState({ kind: 'ready', flags: page.flags, total: page.total }),
      (error: unknown) =>
        current && setState({ kind: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      current = false;
    };
  }, [api, status, reloads]);

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
      {state.kind === 'loading' ? <p role="status">{t('loading')}</p> : null}
      {state.kind === 'error' ? (
        <div role="alert">
          <p className="error">{t('loadError', { message: state.message })}</p>
          <button type="button" onClick={() => setReloads((count) => count + 1)}>
            {t('retry')}
          </button>
        </div>
      ) : null}
      {state.kind === 'ready' ? (
        <div data-testid="queue-list">
          <p>{t(`count.${status}`, { count: state.total })}</p>
          {state.flags.length === 0 ? <p className="muted">{t(`empty.${status}`)}</p> : null}
          {groupFlagsByMember(state.flags).map((group) => {
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
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('columns.created')}</th>
                      <th scope="col">{t('columns.createdBy')}</th>
                      <th scope="col">{t('columns.target')}</th>
                      <th scope="col">{t('columns.note')}</th>
                      {status === 'resolved' ? <th scope="col">{t('columns.outcome')}</th> : null}
                      <th scope="col">{t('columns.actions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {group.flags.map((flag) => (
                      <tr key={flag.id} data-testid={`queue-row-${flag.id}`}>
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
                          {flag.status === 'open' ? (
                            <button
                              type="button"
                              className="primary"
                              data-testid={`resolve-${flag.id}`}
                              aria-label={t('resolveLabel', { id: flag.id })}
                              onClick={() => setOpenFlag(flag.id)}
                            >
                              {t('resolve')}
                            </button>
                          ) : (
                            <button
                              type="button"
                              data-testid={`history-${flag.id}`}
                              aria-label={t('historyLabel', { id: flag.id })}
                              onClick={() => setOpenFlag(flag.id)}
                            >
                              {t('history')}
                            </button>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            );
          })}
        </div>
      ) : null}
      {openFlag !== null ? (
        <FlagReviewDialog
          api={api}
          flagId={openFlag}
          formatDate={formatDate}
          onClose={() => setOpenFlag(null)}
          onResolved={(flag) => {
            setOpenFlag(null);
            setMessage(t('resolved', { id: flag.id, outcome: flag.outcome ? t(`outcomes.${flag.outcome}`) : '' }));
            setReloads((count) => count + 1);
          }}
        />
      ) : null}
    </section>
  );
}
