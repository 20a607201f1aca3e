// The reader-facing descriptions of the modelled functions, one catalogue per language.
import { en } from './en';
import { zhCn } from './zh-cn';

export type CatalogueLanguage = 'en' | 'zh-cn';

const catalogues: Readonly<Record<CatalogueLanguage, Readonly<Record<string, string>>>> = {
  en,
  'zh-cn': zhCn,
};

export function modelDescription(functionName: string, language: CatalogueLanguage): string | undefined {
  return catalogues[language][functionName] ?? (language === 'en' ? undefined : en[functionName]);
}

export function catalogue(language: CatalogueLanguage): Readonly<Record<string, string>> {
  return catalogues[language];
}
