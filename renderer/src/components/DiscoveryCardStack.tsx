// The member's discovery slate as a stack of cards, one at a time, with the "why" chips of each: swipe
// by dragging the card (past SWIPE_THRESHOLD_PX; shorter drags spring back), by ←/→ while the stack
// has focus, or with the buttons; Enter opens the reasons. Every swipe posts feedback with its own
// Idempotency-Key, so a retried request never counts twice. The client in context is the member's own:
// the stack shows exactly what that member sees (no scores). With `cardAnalytics`, the card on top reports
// scroll pauses and dwell times (use-card-analytics.ts).
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { inLocale, localeOf } from '../../../shared/locales.js';
import type { WhyResponse } from '../../../shared/schemas/explanations.js';
import { useApiClient } from '../api/api-context.js';
import { errorMessage } from '../api/error-message.js';
import { useCardAnalytics } from './use-card-analytics.js';

/** How far (px) a card must be dragged sideways to count as a swipe. */
export const SWIPE_THRESHOLD_PX = 100;

export type SwipeAction = 'like' | 'pass' | 'superlike';

interface Card {
  userId: string;
  /** 1-based, as the slate numbers it. */
  position: number;
}

type WhyState =
  { status: 'loading' } | { status: 'ready'; explanation: WhyResponse } | { status: 'failed'; message: string };

export interface DiscoveryCardStackProps {
  limit?: number;
  /** Post scroll-pause and dwell-time events of the cards (only where the client may write). */
  cardAnalytics?: boolean;
}

export function DiscoveryCardStack({ limit = 10, cardAnalytics = false }: DiscoveryCardStackProps) {
  const { t, i18n } = useTranslation('preview');
  const api = useApiClient();
  const locale = localeOf(i18n.language);
  const [slateId, setSlateId] = useState<string | null>(null);
  const [cards, setCards] = useState<Card[]>([]);
  const [index, setIndex] = useState(0);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [why, setWhy] = useState<Record<string, WhyState>>({});
  const [announcement, setAnnouncement] = useState('');
  const [matched, setMatched] = useState<string | null>(null);
  const [posting, setPosting] = useState(false);
  const [detailsOpen, setDetailsOpen] = useState(false);
  const [dragX, setDragX] = useState(0);
  const [dragging, setDragging] = useState(false);
  const dragStart = useRef<number | null>(null);
  // Set synchronously, so two key presses before the next render still post one swipe.
  const postingRef = useRef(false);
  const stackRef = useRef<HTMLDivElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const ids = { instructions: useId(), dialogTitle: useId() };

  const current = cards[index];
  const trackCard = useCardAnalytics(slateId, cardAnalytics);

  const loadSlate = useCallback(async () => {
    setLoading(true);
    setLoadError(null);
    setMatched(null);
    try {
      const slate = await api.get('/api/v2/discovery/slate', { limit });
      setSlateId(slate.slateId);
      setCards(slate.slate.map((entry) => ({ userId: entry.userId, position: entry.position })));
      setIndex(0);
      setAnnouncement(
        slate.slate[0]
          ? t('stack.showing', { position: 1, total: slate.slate.length, member: slate.slate[0].userId })
          : t('stack.empty'),
      );
    } catch (failure) {
      setLoadError(errorMessage(failure));
    } finally {
      setLoading(false);
    }
  }, [api, limit, t]);

  useEffect(() => {
    void loadSlate();
  }, [loadSlate]);

  // The reasons of the card on top (fetched once per member).
  useEffect(() => {
    if (!current || why[current.userId]) return;
    const target = current.userId;
    setWhy((known) => ({ ...known, [target]: { status: 'loading' } }));
    api.get(`/api/v2/discovery/why/${encodeURIComponent(target)}`).then(
      (explanation) => setWhy((known) => ({ ...known, [target]: { status: 'ready', explanation } })),
      (failure: unknown) =>
        setWhy((known) => ({ ...known, [target]: { status: 'failed', message: errorMessage(failure) } })),
    );
  }, [api, current, why]);

  useEffect(() => {
    if (detailsOpen) closeRef.current?.focus();
  }, [detailsOpen]);

  const swipe = useCallback(
    async (action: SwipeAction) => {
      if (!current || postingRef.current) return;
      postingRef.current = true;
      setPosting(true);
      setDragX(0);
      setMatched(null);
      try {
        const result = await api.post(
          '/api/v2/discovery/feedback',
          { targetId: current.userId, action, ...(slateId ? { slateId } : {}) },
          { 'Idempotency-Key': crypto.randomUUID() },
        );
        const next = index + 1;
        const done = t(`stack.done.${action}`, { member: current.userId });
        const match = result.match ? ` ${t('stack.match', { member: current.userId })}` : '';
        const upNext = cards[next]
          ? ` ${t('stack.showing', { position: next + 1, total: cards.length, member: cards[next].userId })}`
          : ` ${t('stack.finished')}`;
        setMatched(result.match ? current.userId : null);
        setAnnouncement(done + match + upNext);
        setIndex(next);
      } catch (failure) {
        setAnnouncement(t('stack.failed', { member: current.userId, message: errorMessage(failure) }));
      } finally {
        postingRef.current = false;
        setPosting(false);
      }
    },
    [api, cards, current, index, slateId, t],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    // Only keys aimed at the stack itself: Enter on one of its buttons must press that button.
    if (event.target !== event.currentTarget || !current) return;
    if (event.key === 'ArrowRight') {
      event.preventDefault();
      void swipe('like');
    } else if (event.key === 'ArrowLeft') {
      event.preventDefault();
      void swipe('pass');
    } else if (event.key === 'Enter') {
      event.preventDefault();
      setDetailsOpen(true);
    }
  };

  const onPointerDown = (event: PointerEvent<HTMLElement>) => {
    if (postingRef.current) return;
    dragStart.current = event.clientX;
    setDragging(true);
    // Keep receiving moves when the pointer leaves the card mid-drag (not every environment has it).
    event.currentTarget.setPointerCapture?.(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent<HTMLElement>) => {
    if (dragStart.current === null) return;
    setDragX(event.clientX - dragStart.current);
  };
  const onPointerEnd = (event: PointerEvent<HTMLElement>) => {
    if (dragStart.current === null) return;
    const distance = event.clientX - dragStart.current;
    dragStart.current = null;
    setDragging(false);
    if (distance > SWIPE_THRESHOLD_PX) void swipe('like');
    else if (distance < -SWIPE_THRESHOLD_PX) void swipe('pass');
    else setDragX(0); // Springs back (the transition animates it).
  };
  const onPointerCancel = () => {
    dragStart.current = null;
    setDragging(false);
    setDragX(0);
  };

  const closeDetails = () => {
    setDetailsOpen(false);
    stackRef.current?.focus();
  };

  if (loading) return <p role="status">{t('stack.loading')}</p>;
  if (loadError) {
    return (
      <div>
        <p role="alert" className="error">
          {t('stack.loadFailed', { message: loadError })}
        </p>
        <button type="button" onClick={() => void loadSlate()}>
          {t('stack.reload')}
        </button>
      </div>
    );
  }

  const currentWhy = current ? why[current.userId] : undefined;
  const explanation = currentWhy?.status === 'ready' ? currentWhy.explanation : null;
  const hint =
    dragX > SWIPE_THRESHOLD_PX
      ? t('stack.releaseToLike')
      : dragX < -SWIPE_THRESHOLD_PX
        ? t('stack.releaseToPass')
        : null;

  return (
    <div className="card-stack-wrapper">
      <p id={ids.instructions} className="muted">
        {t('stack.instructions')}
      </p>
      <div
        ref={stackRef}
        className="card-stack"
        role="region"
        aria-roledescription={t('stack.roleDescription')}
        aria-label={
          current
            ? t('stack.label', { position: index + 1, total: cards.length, member: current.userId })
            : t('stack.labelEmpty')
        }
        aria-describedby={ids.instructions}
        tabIndex={0}
        data-testid="card-stack"
        onKeyDown={onKeyDown}
      >
        {current ? (
          <article
            key={current.userId}
            ref={trackCard(current.position)}
            className="discovery-card"
            data-testid={`card-${current.userId}`}
            aria-label={t('stack.cardLabel', { member: current.userId })}
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerEnd}
            onPointerCancel={onPointerCancel}
            style={{
              transform: `translateX(${dragX}px) rotate(${dragX / 20}deg)`,
              transition: dragging ? 'none' : 'transform 200ms ease-out',
              touchAction: 'pan-y',
            }}
          >
            <h4>{current.userId}</h4>
            <p className="muted">{t('stack.position', { position: index + 1, total: cards.length })}</p>
            {currentWhy?.status === 'loading' ? <p className="muted">{t('stack.whyLoading')}</p> : null}
            {currentWhy?.status === 'failed' ? (
              <p className="muted">{t('stack.whyFailed', { message: currentWhy.message })}</p>
            ) : null}
            {explanation ? (
              <>
                <p>{inLocale(explanation.reasons, locale)}</p>
                {explanation.chips.length > 0 ? (
                  <ul className="chips" aria-label={t('stack.chipsLabel')}>
                    {explanation.chips.map((chip) => (
                      <li key={chip.en} className="chip">
                        {inLocale(chip, locale)}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </>
            ) : null}
            {hint ? (
              <p className="swipe-hint" aria-hidden="true">
                {hint}
              </p>
            ) : null}
          </article>
        ) : (
          <p>{t('stack.finished')}</p>
        )}
      </div>
      {current ? (
        <div className="swipe-buttons" role="group" aria-label={t('stack.actionsLabel')}>
          <button type="button" data-testid="swipe-pass" disabled={posting} onClick={() => void swipe('pass')}>
            {t('stack.pass')}
          </button>
          <button type="button" data-testid="swipe-details" onClick={() => setDetailsOpen(true)}>
            {t('stack.details')}
          </button>
          {(['superlike', 'like'] as const).map((action) => (
            <button
              key={action}
              type="button"
              className={action === 'like' ? 'primary' : undefined}
              data-testid={`swipe-${action}`}
              disabled={posting}
              onClick={() => void swipe(action)}
            >
              {t(`stack.${action}`)}
            </button>
          ))}
        </div>
      ) : (
        <button type="button" onClick={() => void loadSlate()}>
          {t('stack.reload')}
        </button>
      )}
      {matched ? (
        <p className="ok match-notice" data-testid="swipe-match">
          {t('stack.match', { member: matched })}
        </p>
      ) : null}
      <p role="status" aria-live="polite" data-testid="swipe-result">
        {announcement}
      </p>
      {detailsOpen && current ? (
        <div className="dialog-backdrop">
          <div
            className="dialog"
            role="dialog"
            aria-modal="true"
            aria-labelledby={ids.dialogTitle}
            data-testid="card-details"
            onKeyDown={(event) => {
              if (event.key === 'Escape') closeDetails();
              // The close button is the dialog's only control: keep Tab inside the dialog.
              if (event.key === 'Tab') event.preventDefault();
            }}
          >
            <h4 id={ids.dialogTitle}>{t('details.title', { member: current.userId })}</h4>
            {currentWhy?.status === 'failed' ? <p>{t('stack.whyFailed', { message: currentWhy.message })}</p> : null}
            {currentWhy?.status === 'loading' ? <p>{t('stack.whyLoading')}</p> : null}
            {explanation ? (
              <>
                <p>{inLocale(explanation.reasons, locale)}</p>
                <h5>{t('details.reasons')}</h5>
                <ul>
                  {explanation.features.map((feature) => (
                    <li key={feature.name}>{inLocale(feature.reasons, locale)}</li>
                  ))}
                </ul>
                {explanation.chips.length > 0 ? (
                  <>
                    <h5>{t('details.shared')}</h5>
                    <ul>
                      {explanation.chips.map((chip) => (
                        <li key={chip.en}>{inLocale(chip, locale)}</li>
                      ))}
                    </ul>
                  </>
                ) : null}
              </>
            ) : null}
            <button type="button" ref={closeRef} onClick={closeDetails}>
              {t('details.close')}
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
