// The console's modal dialog: role="dialog" + aria-modal, labelled by its title (and described by
// `describedBy` when given), focus moved inside on open, Tab kept inside, Escape closes, focus returned
// to the control that opened it.
// (A div rather than <dialog>: showModal() is missing in jsdom, where the component tests run.)
import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

const FOCUSABLE =
  'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function Dialog({
  title,
  onClose,
  closeLabel,
  testId,
  initialFocus,
  describedBy,
  children,
}: {
  title: string;
  onClose: () => void;
  closeLabel: string;
  testId?: string;
  /** CSS selector of the element to focus first (default: the first focusable one). */
  initialFocus?: string;
  /** Id of the element that says what the dialog is about (aria-describedby). */
  describedBy?: string;
  children: ReactNode;
}) {
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const root = panel.current;
    const first =
      (initialFocus ? root?.querySelector<HTMLElement>(initialFocus) : null) ??
      root?.querySelector<HTMLElement>(FOCUSABLE) ??
      root;
    first?.focus();
    return () => opener?.focus();
    // Focus moves once per opening, not on every render.
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onCloseRef.current();
      return;
    }
    if (event.key !== 'Tab' || !panel.current) return;
    const focusable = [...panel.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <div
      style={{
        position: 'fixed',
        inset: 0,
        background: 'rgba(0, 0, 0, 0.45)',
        display: 'flex',
        alignItems: 'flex-start',
        justifyContent: 'center',
        overflowY: 'auto',
        padding: '40px 16px',
        zIndex: 20,
      }}
    >
      <div
        ref={panel}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={describedBy}
        data-testid={testId}
        tabIndex={-1}
        onKeyDown={onKeyDown}
        style={{
          background: 'var(--bg, #fff)',
          color: 'var(--text, #1a1a1a)',
          border: '1px solid var(--border, #8a8f98)',
          borderRadius: 8,
          padding: 16,
          maxWidth: 760,
          width: '100%',
        }}
      >
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: 12 }}>
          <h2 id={titleId} style={{ marginTop: 0, fontSize: '1.2rem' }}>
            {title}
          </h2>
          <button type="button" onClick={() => onCloseRef.current()}>
            {closeLabel}
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}
