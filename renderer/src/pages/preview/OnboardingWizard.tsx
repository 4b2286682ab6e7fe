// The member's onboarding wizard in three steps (basics, location, interests). Saving writes the whole
// attribute set with PUT /api/v2/users/me/attributes and then reads it back with GET, so what is shown
// as saved is what the server stored. Validation is the server's: its message names the field, and the
// wizard shows it as is and marks that field.
import { useEffect, useId, useState, type InputHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import {
  GENDERS,
  type Gender,
  type UserAttributes,
  type UserAttributesInput,
} from '../../../../shared/schemas/attributes.js';
import { ApiError } from '../../api/api-client.js';
import { useApiClient } from '../../api/api-context.js';
import { errorMessage } from '../../api/error-message.js';

export const WIZARD_STEPS = ['basics', 'location', 'interests'] as const;
type Step = (typeof WIZARD_STEPS)[number];

interface Draft {
  gender: Gender | '';
  seeking: Gender[];
  birthday: string;
  lat: string;
  lon: string;
  place: string;
  hobbies: string;
  communities: string;
}

/** The draft fields typed as text (the genders are chosen). */
type TextField = Exclude<keyof Draft, 'gender' | 'seeking'>;

const EMPTY: Draft = {
  gender: '',
  seeking: [],
  birthday: '',
  lat: '',
  lon: '',
  place: '',
  hobbies: '',
  communities: '',
};

function draftOf(saved: UserAttributes): Draft {
  return {
    gender: saved.gender,
    seeking: [...saved.seeking],
    birthday: saved.birthday,
    lat: String(saved.location.lat),
    lon: String(saved.location.lon),
    place: saved.location.place ?? '',
    hobbies: saved.hobbies.join(', '),
    communities: saved.communities.join(', '),
  };
}

/** "a, b,, c " → ['a', 'b', 'c']. */
export function tagsOf(text: string): string[] {
  return text
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

/** A typed coordinate; blank or not a number becomes null so the server names the field. */
function coordinateOf(text: string): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  // JSON turns NaN into null, which the server rejects naming body.location.lat / lon.
  return value;
}

/** The attribute body from the draft; unknown connectors are kept as loaded (the wizard does not edit them). */
export function bodyOf(draft: Draft, connectors: UserAttributesInput['connectors']): UserAttributesInput {
  return {
    gender: draft.gender as Gender,
    seeking: draft.seeking,
    birthday: draft.birthday,
    location: {
      lat: coordinateOf(draft.lat),
      lon: coordinateOf(draft.lon),
      ...(draft.place.trim() !== '' ? { place: draft.place.trim() } : {}),
    },
    hobbies: tagsOf(draft.hobbies),
    communities: tagsOf(draft.communities),
    connectors,
  };
}

/** The field a server message names (`body.location.lat: …` or `body/location/lat …` → `lat`). */
export function fieldOfMessage(message: string): string | null {
  const match = /^body[./]([A-Za-z]+)(?:[./]([A-Za-z]+))?/.exec(message);
  if (!match) return null;
  return match[1] === 'location' && match[2] ? match[2] : (match[1] ?? null);
}

export function OnboardingWizard() {
  const { t } = useTranslation('preview');
  const api = useApiClient();
  const [step, setStep] = useState<Step>('basics');
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [connectors, setConnectors] = useState<UserAttributesInput['connectors']>({});
  const [saved, setSaved] = useState<UserAttributes | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const idPrefix = useId();
  const id = (name: string) => `${idPrefix}-${name}`;
  const errorId = id('error');

  useEffect(() => {
    let cancelled = false;
    api.get('/api/v2/users/me/attributes').then(
      (found) => {
        if (cancelled) return;
        setSaved(found);
        setDraft(draftOf(found));
        setConnectors(found.connectors);
      },
      (failure: unknown) => {
        // 404: nothing saved yet, the wizard starts empty.
        if (!cancelled && !(failure instanceof ApiError && failure.status === 404)) {
          setError(errorMessage(failure));
        }
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api]);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((current) => ({ ...current, [key]: value }));
  const invalidField = error ? fieldOfMessage(error) : null;
  const fieldProps = (name: string) =>
    invalidField === name ? { 'aria-invalid': true as const, 'aria-describedby': errorId } : {};
  // A typed draft field as a labelled input; when the server names it invalid, it points at the error
  // (instead of any hint it has).
  const textField = (name: TextField, input: InputHTMLAttributes<HTMLInputElement> = {}) => (
    <>
      <label htmlFor={id(name)}>{t(`wizard.${name}`)}</label>
      <input
        id={id(name)}
        value={draft[name]}
        {...input}
        onChange={(event) => set(name, event.target.value)}
        {...fieldProps(name)}
      />
    </>
  );

  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      await api.put('/api/v2/users/me/attributes', bodyOf(draft, connectors));
      const readBack = await api.get('/api/v2/users/me/attributes');
      setSaved(readBack);
      setDraft(draftOf(readBack));
      setConnectors(readBack.connectors);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setSaving(false);
    }
  };

  const position = WIZARD_STEPS.indexOf(step);
  const previous = WIZARD_STEPS[position - 1];
  const next = WIZARD_STEPS[position + 1];

  return (
    <div className="wizard-layout">
      <form
        className="wizard"
        data-testid="wizard"
        aria-labelledby={id('title')}
        onSubmit={(event) => {
          event.preventDefault();
          if (next) setStep(next);
          else void save();
        }}
      >
        <h4 id={id('title')}>
          {t('wizard.stepTitle', {
            position: position + 1,
            total: WIZARD_STEPS.length,
            step: t(`wizard.steps.${step}`),
          })}
        </h4>
        {step === 'basics' ? (
          <>
            <label htmlFor={id('gender')}>{t('wizard.gender')}</label>
            <select
              id={id('gender')}
              value={draft.gender}
              onChange={(event) => set('gender', event.target.value as Gender | '')}
              {...fieldProps('gender')}
            >
              <option value="">{t('wizard.choose')}</option>
              {GENDERS.map((gender) => (
                <option key={gender} value={gender}>
                  {t(`wizard.genders.${gender}`)}
                </option>
              ))}
            </select>
            <fieldset {...fieldProps('seeking')}>
              <legend>{t('wizard.seeking')}</legend>
              {GENDERS.map((gender) => (
                <label key={gender} className="inline">
                  <input
                    type="checkbox"
                    checked={draft.seeking.includes(gender)}
                    onChange={(event) =>
                      set(
                        'seeking',
                        event.target.checked
                          ? [...draft.seeking, gender]
                          : draft.seeking.filter((item) => item !== gender),
                      )
                    }
                  />{' '}
                  {t(`wizard.genders.${gender}`)}
                </label>
              ))}
            </fieldset>
            {textField('birthday', { type: 'date' })}
          </>
        ) : null}
        {step === 'location' ? (
          <>
            {textField('lat', { inputMode: 'decimal' })}
            {textField('lon', { inputMode: 'decimal' })}
            {textField('place')}
          </>
        ) : null}
        {step === 'interests' ? (
          <>
            {textField('hobbies', { 'aria-describedby': id('tags-hint') })}
            {textField('communities', { 'aria-describedby': id('tags-hint') })}
            <p id={id('tags-hint')} className="muted">
              {t('wizard.tagsHint')}
            </p>
          </>
        ) : null}
        <div className="wizard-buttons">
          {previous ? (
            <button type="button" onClick={() => setStep(previous)}>
              {t('wizard.back')}
            </button>
          ) : null}
          {next ? (
            <button type="submit" className="primary" data-testid="wizard-next">
              {t('wizard.next')}
            </button>
          ) : (
            <button type="submit" className="primary" data-testid="wizard-save" disabled={saving}>
              {t('wizard.save')}
            </button>
          )}
        </div>
      </form>
      <div className="wizard-side">
        {error ? (
          <p id={errorId} role="alert" className="error" data-testid="wizard-error">
            {t('wizard.rejected', { message: error })}
          </p>
        ) : null}
        <h4>{t('wizard.savedTitle')}</h4>
        {saved ? (
          <dl data-testid="wizard-saved">
            <dt>{t('wizard.gender')}</dt>
            <dd>{t(`wizard.genders.${saved.gender}`)}</dd>
            <dt>{t('wizard.seeking')}</dt>
            <dd>{saved.seeking.map((gender) => t(`wizard.genders.${gender}`)).join(', ')}</dd>
            <dt>{t('wizard.birthday')}</dt>
            <dd>{saved.birthday}</dd>
            <dt>{t('wizard.locationLabel')}</dt>
            <dd>
              {saved.location.place ? `${saved.location.place} ` : ''}({saved.location.lat}, {saved.location.lon})
            </dd>
            <dt>{t('wizard.hobbies')}</dt>
            <dd>{saved.hobbies.join(', ') || t('wizard.none')}</dd>
            <dt>{t('wizard.communities')}</dt>
            <dd>{saved.communities.join(', ') || t('wizard.none')}</dd>
          </dl>
        ) : (
          <p className="muted">{t('wizard.nothingSaved')}</p>
        )}
      </div>
    </div>
  );
}
