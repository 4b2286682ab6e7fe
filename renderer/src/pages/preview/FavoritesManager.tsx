// The member's favorites: each connector's sync state (with the last sync in the reader's language),
// the favorites list with remove, and manual add through a catalogue autocomplete that asks the server
// once typing pauses for AUTOCOMPLETE_DEBOUNCE_MS and shows only the answer to the latest query.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Favorite, MediaSearchHit } from '../../../../shared/schemas/media.js';
import { useApiClient } from '../../api/api-context.js';
import { errorMessage } from '../../api/error-message.js';
import { useApi } from '../../api/use-api.js';
import { ErrorAlert } from '../../components/Notices.js';
import { useDebouncedValue } from './useDebouncedValue.js';

export const AUTOCOMPLETE_DEBOUNCE_MS = 150;
export const AUTOCOMPLETE_LIMIT = 8;

export function FavoritesManager() {
  const { t, i18n } = useTranslation('preview');
  const api = useApiClient();
  const statusResource = useApi('/api/v2/favorites/status');
  const favoritesResource = useApi('/api/v2/favorites');
  const status = statusResource.data ?? null;
  const favorites = favoritesResource.data ?? null;
  const [actionError, setActionError] = useState<string | null>(null);
  const error = actionError ?? statusResource.error ?? favoritesResource.error;
  const [notice, setNotice] = useState('');
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<MediaSearchHit[]>([]);
  const [active, setActive] = useState(-1);
  const latestSearch = useRef(0);
  const debouncedQuery = useDebouncedValue(query, AUTOCOMPLETE_DEBOUNCE_MS);
  const idPrefix = useId();
  const listboxId = `${idPrefix}-options`;
  const optionId = (index: number) => `${idPrefix}-option-${index}`;

  const reload = () => Promise.all([statusResource.refetch(), favoritesResource.refetch()]);

  useEffect(() => {
    const text = debouncedQuery.trim();
    const search = ++latestSearch.current;
    if (text === '') {
      setHits([]);
      setActive(-1);
      return;
    }
    api.get('/api/v2/media/search', { q: text, limit: AUTOCOMPLETE_LIMIT }).then(
      (found) => {
        // An older query answering late must not replace the newer one's options.
        if (search !== latestSearch.current) return;
        setHits(found);
        setActive(-1);
      },
      (failure: unknown) => {
        if (search === latestSearch.current) setActionError(errorMessage(failure));
      },
    );
  }, [api, debouncedQuery]);

  const add = async (hit: MediaSearchHit) => {
    setActionError(null);
    try {
      await api.post('/api/v2/favorites', { mediaId: hit.id });
      latestSearch.current++;
      setQuery('');
      setHits([]);
      setActive(-1);
      setNotice(t('favorites.added', { title: hit.title }));
      await reload();
    } catch (failure) {
      setActionError(errorMessage(failure));
    }
  };

  const remove = async (favorite: Favorite) => {
    setActionError(null);
    try {
      await api.delete(`/api/v2/favorites/${encodeURIComponent(favorite.mediaId)}`);
      setNotice(t('favorites.removed', { title: favorite.title }));
      await reload();
    } catch (failure) {
      setActionError(errorMessage(failure));
    }
  };

  const onSearchKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (hits.length === 0) return;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive((index) => (index + 1) % hits.length);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((index) => (index <= 0 ? hits.length - 1 : index - 1));
    } else if (event.key === 'Enter' && active >= 0 && hits[active]) {
      event.preventDefault();
      void add(hits[active]);
    } else if (event.key === 'Escape') {
      setHits([]);
      setActive(-1);
    }
  };

  const when = (iso: string) =>
    new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

  return (
    <div className="favorites">
      <h4>{t('favorites.connectorsTitle')}</h4>
      {status ? (
        <ul className="chips" aria-label={t('favorites.connectorsTitle')} data-testid="favorites-connectors">
          {status.connectors.map((connector) => (
            <li
              key={connector.connector}
              className={`chip state-${connector.state}`}
              data-testid={`connector-${connector.connector}`}
            >
              <strong>{t(`favorites.connectors.${connector.connector}`, { defaultValue: connector.connector })}</strong>
              {': '}
              {t(`favorites.states.${connector.state}`)}
              {' · '}
              {t('favorites.counts', { added: connector.counts.favoritesAdded, seen: connector.counts.tracksSeen })}
              {' · '}
              {connector.lastSyncAt ? (
                <time dateTime={connector.lastSyncAt}>
                  {t('favorites.lastSync', { when: when(connector.lastSyncAt) })}
                </time>
              ) : (
                t('favorites.neverSynced')
              )}
              {connector.lastError ? <span className="error"> · {connector.lastError}</span> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t('favorites.loading')}</p>
      )}

      <h4>{t('favorites.addTitle')}</h4>
      <div className="autocomplete">
        <label htmlFor={`${idPrefix}-search`}>{t('favorites.searchLabel')}</label>
        <input
          id={`${idPrefix}-search`}
          type="text"
          role="combobox"
          autoComplete="off"
          aria-autocomplete="list"
          aria-expanded={hits.length > 0}
          aria-controls={listboxId}
          aria-activedescendant={active >= 0 ? optionId(active) : undefined}
          data-testid="favorites-search"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={onSearchKeyDown}
        />
        <ul
          id={listboxId}
          role="listbox"
          aria-label={t('favorites.optionsLabel')}
          className="options"
          hidden={hits.length === 0}
        >
          {hits.map((hit, index) => (
            <li
              key={hit.id}
              id={optionId(index)}
              role="option"
              aria-selected={index === active}
              className={index === active ? 'option active' : 'option'}
              data-testid={`favorites-option-${hit.id}`}
              // mousedown would blur the input first; choosing on click keeps it simple and still works.
              onClick={() => void add(hit)}
              onMouseEnter={() => setActive(index)}
            >
              {hit.title}
              {hit.year ? ` (${hit.year})` : ''} <span className="muted">· {t(`favorites.kinds.${hit.kind}`)}</span>
            </li>
          ))}
        </ul>
      </div>

      <h4>{t('favorites.listTitle')}</h4>
      {favorites === null ? (
        <p className="muted">{t('favorites.loading')}</p>
      ) : favorites.length === 0 ? (
        <p data-testid="favorites-list">{t('favorites.empty')}</p>
      ) : (
        <ul data-testid="favorites-list" className="favorites-list">
          {favorites.map((favorite) => (
            <li key={favorite.mediaId}>
              {favorite.title}
              {favorite.year ? ` (${favorite.year})` : ''}{' '}
              <span className="muted">
                · {t(`favorites.kinds.${favorite.kind}`)} · {t(`favorites.sources.${favorite.source}`)}
              </span>{' '}
              <button
                type="button"
                aria-label={t('favorites.removeLabel', { title: favorite.title })}
                onClick={() => void remove(favorite)}
              >
                {t('favorites.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {error ? <ErrorAlert>{t('favorites.failed', { message: error })}</ErrorAlert> : null}
      <p role="status" className="muted">
        {notice}
      </p>
    </div>
  );
}
