// User-visible strings: one catalogue per language, chosen from the client's locale.
import { en, type Catalogue, type MessageKey } from './en';
import { zhCn } from './zh-cn';

export type { MessageKey } from './en';
export type Locale = 'en' | 'zh-cn';

const catalogues: Record<Locale, Catalogue> = { en, 'zh-cn': zhCn };

/** Maps a BCP 47 tag (`zh-CN`, `zh-Hans`, `zh`, `en-US`) to a catalogue; unknown tags get English. */
export function localeFrom(tag: string | undefined): Locale {
  if (tag === undefined) return 'en';
  const lower = tag.toLowerCase().replace('_', '-');
  // Traditional-script Chinese locales are not covered by the Simplified catalogue.
  if (lower === 'zh' || lower.startsWith('zh-cn') || lower.startsWith('zh-hans') || lower === 'zh-sg') {
    return 'zh-cn';
  }
  return 'en';
}

export type Params = Record<string, string | number>;

export interface Messages {
  readonly locale: Locale;
  format(key: MessageKey, params?: Params): string;
}

export function messagesFor(locale: Locale): Messages {
  const catalogue = catalogues[locale];
  return {
    locale,
    format: (key, params = {}) =>
      catalogue[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
        name in params ? String(params[name]) : whole,
      ),
  };
}

export function catalogueKeys(locale: Locale): string[] {
  return Object.keys(catalogues[locale]).sort();
}
