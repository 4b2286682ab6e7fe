// Member preview: staff pick a member and see the product as that member does, through the real API.
// The page asks the server for a short-lived member token (POST /api/v2/admin/preview-tokens) and every
// call below it — slate, explanations, swipes, attributes, favorites, privacy — goes out with that token, so
// the server applies the member's own access rules and nothing is faked in the console. Preview tokens
// are read-only unless an admin ticks "allow writes": a read-only preview says so, and its writes are
// refused in the console (the server would refuse them with 403 anyway). A writable preview also posts
// card analytics (scroll pauses, dwell times) as the member's app would; a read-only one says they are off.
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PreviewToken } from '../../../../shared/schemas/console.js';
import { createApiClient, readOnlyApiClient } from '../../api/api-client.js';
import { ApiProvider, useApiClient } from '../../api/api-context.js';
import { errorMessage } from '../../api/error-message.js';
import { DiscoveryCardStack } from '../../components/DiscoveryCardStack.js';
import { ErrorAlert } from '../../components/Notices.js';
import type { PageProps } from '../page-registry.js';
import { FavoritesManager } from './FavoritesManager.js';
import { OnboardingWizard } from './OnboardingWizard.js';
import { PrivacyPanel } from './PrivacyPanel.js';
import './preview.css';

export function MemberPreviewPage(props: PageProps) {
  const { session, subpath } = props;
  const { t } = useTranslation('preview');
  const api = useApiClient();
  const [memberId, setMemberId] = useState(decodeURIComponent(subpath));
  const [preview, setPreview] = useState<PreviewToken | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [write, setWrite] = useState(false);
  const memberApi = useMemo(() => {
    if (!preview) return null;
    const client = createApiClient({ token: preview.token });
    return preview.write ? client : readOnlyApiClient(client, t('readOnlyRefused'));
  }, [preview, t]);
  // Only admins may write as a member; the server checks again.
  const mayWrite = session.role === 'admin';

  if (!session.canPreview) {
    return (
      <section aria-labelledby="preview-title">
        <h2 id="preview-title">{t('title')}</h2>
        <p data-testid="preview-unavailable">{t('unavailable')}</p>
      </section>
    );
  }

  const start = async (event: FormEvent) => {
    event.preventDefault();
    const id = memberId.trim();
    if (id === '') return;
    setStarting(true);
    setError(null);
    try {
      const minted = await api.post('/api/v2/admin/preview-tokens', {
        memberId: id,
        ...(mayWrite && write ? { write: true } : {}),
      });
      setPreview(minted);
      props.navigate(`preview/${encodeURIComponent(minted.subject)}`);
    } catch (failure) {
      setPreview(null);
      setError(errorMessage(failure));
    } finally {
      setStarting(false);
    }
  };

  return (
    <section aria-labelledby="preview-title">
      <h2 id="preview-title">{t('title')}</h2>
      <p className="muted">{t('intro')}</p>
      <form className="preview-start" onSubmit={(event) => void start(event)}>
        <label htmlFor="preview-member">{t('memberLabel')}</label>
        <input
          id="preview-member"
          data-testid="preview-member"
          value={memberId}
          onChange={(event) => setMemberId(event.target.value)}
          required
        />
        {mayWrite ? (
          <label className="preview-write">
            <input
              type="checkbox"
              data-testid="preview-write"
              checked={write}
              onChange={(event) => setWrite(event.target.checked)}
            />{' '}
            {t('writeLabel')}
          </label>
        ) : null}
        <button type="submit" className="primary" data-testid="preview-start" disabled={starting}>
          {t('start')}
        </button>
      </form>
      {error ? <ErrorAlert>{t('startFailed', { message: error })}</ErrorAlert> : null}
      {preview && memberApi ? (
        // Keyed by token: a new preview starts every part afresh with the new member's client, which
        // every part below gets from context.
        <ApiProvider key={preview.token} client={memberApi}>
          <div>
            <p role="status" data-testid="preview-as">
              {t('previewingAs', {
                member: preview.subject,
                minutes: Math.max(1, Math.round(preview.expiresInSeconds / 60)),
              })}
            </p>
            {preview.write ? (
              <p role="note" className="notice" data-testid="preview-writable">
                {t('writable', { member: preview.subject })}
              </p>
            ) : (
              <p role="note" className="notice" data-testid="preview-read-only">
                {t('readOnly', { member: preview.subject })}
              </p>
            )}
            <PreviewSection part="discovery">
              <p className="muted" data-testid={preview.write ? 'preview-analytics-on' : 'preview-analytics-off'}>
                {preview.write ? t('analyticsOn', { member: preview.subject }) : t('analyticsOff')}
              </p>
              {/* A writable preview sends card analytics like the member's app; a read-only one sends none. */}
              <DiscoveryCardStack cardAnalytics={preview.write} />
            </PreviewSection>
            <PreviewSection part="onboarding">
              <OnboardingWizard />
            </PreviewSection>
            <PreviewSection part="favorites">
              <FavoritesManager />
            </PreviewSection>
            <PreviewSection part="privacy">
              <PrivacyPanel staffApi={api} memberId={preview.subject} writable={preview.write} canErase={mayWrite} />
            </PreviewSection>
          </div>
        </ApiProvider>
      ) : null}
    </section>
  );
}

/** One part of the member's app in the preview, as a panel headed by the part's name. */
function PreviewSection({
  part,
  children,
}: {
  part: 'discovery' | 'onboarding' | 'favorites' | 'privacy';
  children: ReactNode;
}) {
  const { t } = useTranslation('preview');
  return (
    <section className="panel" aria-labelledby={`preview-${part}`}>
      <h3 id={`preview-${part}`}>{t(`sections.${part}`)}</h3>
      {children}
    </section>
  );
}
