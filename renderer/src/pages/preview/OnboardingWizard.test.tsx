// @vitest-environment jsdom
// The onboarding wizard against a scripted ApiClient: walking the three steps and saving writes the
// attributes (PUT) and then reads them back (GET), showing what the server stored; a server 400 is
// shown next to the wizard as is, and the field it names is marked invalid.
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { UserAttributes, UserAttributesInput } from '../../../../shared/schemas/attributes.js';
import { ApiError, type ApiClient } from '../../api/api-client.js';
import { renderWithApi } from '../../test-support/render-with-api.js';
import { fieldOfMessage, OnboardingWizard, tagsOf } from './OnboardingWizard.js';

afterEach(cleanup);

/** An attributes endpoint: 404 until a PUT; the GET returns what was put, as the server would. */
function scriptedApi(rejectWith?: ApiError) {
  const calls: string[] = [];
  let stored: UserAttributes | null = null;
  const put = vi.fn(async (path: string, body: unknown) => {
    calls.push(`PUT ${path}`);
    if (rejectWith) throw rejectWith;
    // The server canonicalises; the read-back shows its version (here: tags lower-cased).
    const input = body as UserAttributesInput;
    stored = {
      memberId: 'm-7',
      ...input,
      hobbies: input.hobbies.map((tag) => tag.toLowerCase()),
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    return stored;
  });
  const api: ApiClient = {
    get: vi.fn(async (path: string) => {
      calls.push(`GET ${path}`);
      if (!stored) throw new ApiError(404, 'attributes: none saved for this member yet; PUT them first');
      return stored;
    }) as unknown as ApiClient['get'],
    put: put as unknown as ApiClient['put'],
    patch: vi.fn() as ApiClient['patch'],
    post: vi.fn() as ApiClient['post'],
    delete: vi.fn() as ApiClient['delete'],
  };
  return { api, calls, put };
}

async function renderWizard(api: ApiClient) {
  await renderWithApi(<OnboardingWizard />, api);
  await screen.findByText('Nothing saved yet.');
}

function fillAllSteps() {
  fireEvent.change(screen.getByLabelText('Gender'), { target: { value: 'woman' } });
  fireEvent.click(screen.getByRole('checkbox', { name: 'Man' }));
  fireEvent.click(screen.getByRole('checkbox', { name: 'Non-binary' }));
  fireEvent.change(screen.getByLabelText('Birthday'), { target: { value: '1990-04-12' } });
  fireEvent.click(screen.getByTestId('wizard-next'));
  fireEvent.change(screen.getByLabelText('Latitude'), { target: { value: '40.4168' } });
  fireEvent.change(screen.getByLabelText('Longitude'), { target: { value: '-3.7038' } });
  fireEvent.change(screen.getByLabelText('Place (optional)'), { target: { value: 'Madrid' } });
  fireEvent.click(screen.getByTestId('wizard-next'));
  fireEvent.change(screen.getByLabelText('Hobbies'), { target: { value: 'Climbing, Chess, ' } });
  fireEvent.change(screen.getByLabelText('Communities'), { target: { value: 'Lavapiés' } });
}

describe('OnboardingWizard', () => {
  it('writes the attributes and then shows what reading them back returned', async () => {
    const { api, calls, put } = scriptedApi();
    await renderWizard(api);
    fillAllSteps();
    fireEvent.click(screen.getByTestId('wizard-save'));

    const saved = await screen.findByTestId('wizard-saved');
    expect(put).toHaveBeenCalledWith('/api/v2/users/me/attributes', {
      gender: 'woman',
      seeking: ['man', 'nonbinary'],
      birthday: '1990-04-12',
      location: { lat: 40.4168, lon: -3.7038, place: 'Madrid' },
      hobbies: ['Climbing', 'Chess'],
      communities: ['Lavapiés'],
      connectors: {},
    });
    expect(calls).toEqual([
      'GET /api/v2/users/me/attributes',
      'PUT /api/v2/users/me/attributes',
      'GET /api/v2/users/me/attributes',
    ]);
    // The read-back's own values (lower-cased by the "server"), not the typed ones.
    expect(within(saved).getByText('climbing, chess')).toBeTruthy();
    expect(within(saved).getByText('Madrid (40.4168, -3.7038)')).toBeTruthy();
  });

  it('shows the server message next to the wizard and marks the field it names', async () => {
    const { api, calls } = scriptedApi(new ApiError(400, 'body.location.lat: must be <= 90'));
    await renderWizard(api);
    fillAllSteps();
    fireEvent.click(screen.getByTestId('wizard-save'));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'The server did not accept this: body.location.lat: must be <= 90',
    );
    expect(calls).toEqual(['GET /api/v2/users/me/attributes', 'PUT /api/v2/users/me/attributes']);
    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    expect(screen.getByLabelText('Latitude').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Longitude').getAttribute('aria-invalid')).toBeNull();
  });
});

describe('wizard helpers', () => {
  it('splits comma-separated tags, dropping blanks', () => {
    expect(tagsOf(' a, b ,, c ,')).toEqual(['a', 'b', 'c']);
    expect(tagsOf('')).toEqual([]);
  });
  it('finds the field a server message names', () => {
    expect(fieldOfMessage('body.location.lon: must be >= -180')).toBe('lon');
    expect(fieldOfMessage('body/birthday must match format "date"')).toBe('birthday');
    expect(fieldOfMessage('body.seeking: must NOT have fewer than 1 items')).toBe('seeking');
    expect(fieldOfMessage('rate limit: slow down')).toBeNull();
  });
});
