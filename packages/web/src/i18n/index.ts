import i18next, { type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { usePreferences } from '../app/preferences.ts';

/**
 * Strings live in one file per namespace and language: `zh-CN/<ns>.ts` and `en/<ns>.ts`, each
 * `export default { key: 'text' }`. Chinese is the source language; English must have the same keys
 * (i18n.test.ts checks). Components use `useTranslation('<ns>')`.
 */
const modules = import.meta.glob<{ default: Record<string, unknown> }>('./*/*.ts', { eager: true });

export function collectResources(found: Record<string, { default: Record<string, unknown> }>): Resource {
  const resources: Resource = {};
  for (const [path, module] of Object.entries(found)) {
    const match = /^\.\/([^/]+)\/([^/.]+)\.ts$/.exec(path);
    if (!match || path.endsWith('.test.ts')) continue;
    const [, language, namespace] = match as unknown as [string, string, string];
    resources[language] ??= {};
    (resources[language] as Record<string, unknown>)[namespace] = module.default;
  }
  return resources;
}

export function initI18n(): void {
  void i18next.use(initReactI18next).init({
    resources: collectResources(modules),
    lng: usePreferences.getState().language,
    fallbackLng: 'zh-CN',
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  usePreferences.subscribe((p, previous) => {
    if (p.language !== previous.language) void i18next.changeLanguage(p.language);
  });
}
