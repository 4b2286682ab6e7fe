// The languages the engine writes member-facing text in (explanation reasons, chips, bands). Text in
// them travels as a map keyed by locale, so adding a language is adding an entry here and a template
// set, never a new field in a schema.
export const LOCALES = ['en', 'es'] as const;
export type Locale = (typeof LOCALES)[number];

/** Said when a reader's language is not one of LOCALES. */
export const DEFAULT_LOCALE: Locale = 'en';

/** Text in every locale the engine writes. */
export type Localized = Record<Locale, string>;

/** The locale a language tag reads best in: `es-ES` → `es`; a language the engine does not write → DEFAULT_LOCALE. */
export function localeOf(language: string | undefined): Locale {
  const primary = language?.toLowerCase().split('-')[0];
  return LOCALES.find((locale) => locale === primary) ?? DEFAULT_LOCALE;
}

/** One value per locale (the text in it, or what fills its template) from one function of the locale. */
export function localized<T = string>(value: (locale: Locale) => T): Record<Locale, T> {
  return Object.fromEntries(LOCALES.map((locale) => [locale, value(locale)])) as Record<Locale, T>;
}

/** A map's text in `locale`, else in DEFAULT_LOCALE (a map may come from a server that writes fewer languages). */
export function inLocale(texts: Readonly<Record<string, string>>, locale: Locale): string {
  return texts[locale] ?? texts[DEFAULT_LOCALE] ?? '';
}
