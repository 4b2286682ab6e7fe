// A value that follows its input only once the input has stopped changing for `delayMs` — the
// favorites autocomplete asks the server once per pause in typing, not once per key.
import { useEffect, useState } from 'react';

export function useDebouncedValue<T>(value: T, delayMs: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    // A newer value cancels the pending one, so only the last value of a burst comes through.
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}
