// The console shell: sign-in, the navigation the signed-in role may use, the language switch, and
// the current page (from the URL under /console/, so links and reloads land on the same page).
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiClient } from './api/api-client.js';
import { ApiProvider } from './api/api-context.js';
import { errorMessage } from './api/error-message.js';
import { ErrorAlert } from './components/Notices.js';
import { LANGUAGES } from './i18n/i18n.js';
import { pagesFor, type PageDefinition } from './pages/page-registry.js';
import { initialToken, signIn, signOut, type Session } from './session.js';

const BASE = '/console/';

function currentPath(): string {
  const path = window.location.pathname;
  return path.startsWith(BASE) ? path.slice(BASE.length) : '';
}

export function App() {
  const { t, i18n } = useTranslation();
  const [signedIn, setSignedIn] = useState<{ session: Session; api: ApiClient } | null>(null);
  const [path, setPath] = useState(currentPath);
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(true);

  useEffect(() => {
    const token = initialToken();
    if (!token) {
      setChecking(false);
      return;
    }
    signIn(token)
      .then(setSignedIn, (failure: unknown) => setError(errorMessage(failure)))
      .finally(() => setChecking(false));
  }, []);

  useEffect(() => {
    const onPop = () => setPath(currentPath());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  useEffect(() => {
    document.documentElement.lang = i18n.language;
  }, [i18n.language]);

  const navigate = (next: string) => {
    window.history.pushState(null, '', BASE + next);
    setPath(next);
  };

  if (checking) return <p role="status">{t('loading')}</p>;
  if (!signedIn) {
    return (
      <SignIn
        error={error}
        onSignIn={(token) => signIn(token).then(setSignedIn, (failure: unknown) => setError(errorMessage(failure)))}
      />
    );
  }

  const pages = pagesFor(signedIn.session.role);
  const [first, ...rest] = path.split('/');
  const page: PageDefinition | undefined = pages.find((candidate) => candidate.path === first) ?? pages[0];
  const Page = page?.component;

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="topbar">
        <h1 className="brand">{t('appName')}</h1>
        <nav aria-label={t('appName')}>
          <ul className="nav">
            {pages.map((candidate) => (
              <li key={candidate.id}>
                <a
                  href={BASE + candidate.path}
                  aria-current={candidate === page ? 'page' : undefined}
                  data-testid={`nav-${candidate.id}`}
                  onClick={(event) => {
                    event.preventDefault();
                    navigate(candidate.path);
                  }}
                >
                  {t(`nav.${candidate.id}`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="session">
          <label>
            {t('language')}{' '}
            <select
              data-testid="language"
              value={i18n.language}
              onChange={(event) => void i18n.changeLanguage(event.target.value)}
            >
              {LANGUAGES.map((language) => (
                <option key={language} value={language}>
                  {t(`languages.${language}`)}
                </option>
              ))}
            </select>
          </label>
          <span>
            {t('signIn.signedInAs', { subject: signedIn.session.subject, role: t(`roles.${signedIn.session.role}`) })}
          </span>
          <button
            type="button"
            onClick={() => {
              signOut();
              setSignedIn(null);
            }}
          >
            {t('signIn.signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {Page ? (
          <ApiProvider client={signedIn.api}>
            <Page
              session={signedIn.session}
              subpath={page === pages.find((c) => c.path === first) ? rest.join('/') : ''}
              navigate={navigate}
            />
          </ApiProvider>
        ) : (
          <p role="alert">{t('notAllowed')}</p>
        )}
      </main>
    </div>
  );
}

function SignIn({ error, onSignIn }: { error: string | null; onSignIn: (token: string) => Promise<void> }) {
  const { t } = useTranslation();
  const [token, setToken] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void onSignIn(token.trim());
  };
  return (
    <main id="main" className="sign-in">
      <h1>{t('signIn.title')}</h1>
      <form onSubmit={submit}>
        <label htmlFor="token">{t('signIn.tokenLabel')}</label>
        <textarea
          id="token"
          data-testid="token"
          value={token}
          onChange={(event) => setToken(event.target.value)}
          rows={4}
          required
        />
        <button type="submit" data-testid="sign-in">
          {t('signIn.submit')}
        </button>
        {error ? <ErrorAlert>{t('signIn.invalid', { message: error })}</ErrorAlert> : null}
      </form>
    </main>
  );
}
