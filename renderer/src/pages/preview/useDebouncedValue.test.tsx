// @vitest-environment jsdom
// The debounce hook: a burst of changes comes through once, as its last value, after the delay.
import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useDebouncedValue } from './useDebouncedValue.js';

async function advance(ms: number) {
  await act(async () => {
    vi.advanceTimersByTime(ms);
  });
}

describe('useDebouncedValue', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('passes on only the last value of a burst, once the delay has passed since it', async () => {
    const { result, rerender } = renderHook(({ value }) => useDebouncedValue(value, 150), {
      initialProps: { value: '' },
    });
    for (const value of ['b', 'bl', 'bla', 'blad']) {
      rerender({ value });
      await advance(100);
    }
    // 100 ms after the last change: still the initial value.
    expect(result.current).toBe('');
    await advance(49);
    expect(result.current).toBe('');
    await advance(1);
    expect(result.current).toBe('blad');
  });
});
