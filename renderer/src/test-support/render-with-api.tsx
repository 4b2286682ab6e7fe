// Shared set-up of the console's component tests: render a component as the app does — under the i18n
// provider in a language and with an API client in context — and build a mocked client, so each test
// file states only its own answers.
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { I18nextProvider } from 'react-i18next';
import { vi } from 'vitest';
import type { ApiClient } from '../api/api-client.js';
import { ApiProvider } from '../api/api-context.js';
import { createI18n, type Language } from '../i18n/i18n.js';

export async function renderWithApi(
  ui: ReactElement,
  api: ApiClient,
  language: Language = 'en',
): Promise<RenderResult> {
  const i18n = await createI18n(language);
  return render(
    <I18nextProvider i18n={i18n}>
      <ApiProvider client={api}>{ui}</ApiProvider>
    </I18nextProvider>,
  );
}

/** A client whose methods are the given mocks; any method not given is a bare vi.fn(). */
export function mockApiClient(methods: Partial<Record<keyof ApiClient, unknown>>): ApiClient {
  return { get: vi.fn(), post: vi.fn(), put: vi.fn(), patch: vi.fn(), delete: vi.fn(), ...methods } as ApiClient;
}
