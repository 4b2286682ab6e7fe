// How the console tells the user that something is loading or went wrong: a polite status while a
// request is under way, an alert (read out at once by screen readers) when it failed, with a retry
// button where asking again can help.
import type { CSSProperties, ReactNode } from 'react';

/** A failure the user should hear about now (role="alert", styled as an error). */
export function ErrorAlert({
  id,
  testId,
  style,
  children,
}: {
  id?: string;
  testId?: string;
  style?: CSSProperties;
  children: ReactNode;
}) {
  return (
    <p id={id} role="alert" className="error" data-testid={testId} style={style}>
      {children}
    </p>
  );
}

/** A failed load with a way to ask again. */
export function RetryAlert({
  message,
  retryLabel,
  onRetry,
  className,
}: {
  message: ReactNode;
  retryLabel: ReactNode;
  onRetry: () => void;
  className?: string;
}) {
  return (
    <div role="alert" className={className}>
      <p className="error">{message}</p>
      <button type="button" onClick={onRetry}>
        {retryLabel}
      </button>
    </div>
  );
}

/** A request's progress: its loading status while under way, then its error (if any) as an alert. */
export function LoadStatus({
  state,
  loading,
  failed,
}: {
  state: { loading: boolean; error: string | null };
  loading: ReactNode;
  /** The alert's text for the failure's message. */
  failed: (message: string) => ReactNode;
}) {
  return (
    <>
      {state.loading ? <p role="status">{loading}</p> : null}
      {state.error !== null ? <ErrorAlert>{failed(state.error)}</ErrorAlert> : null}
    </>
  );
}
