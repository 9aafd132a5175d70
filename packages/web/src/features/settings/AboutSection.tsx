import { useTranslation } from 'react-i18next';
import packageJson from '../../../package.json';
import { useClientSettings } from '../welcome/clientSettings.ts';
import { SettingsGroup, SettingsRow } from './ui.tsx';

/** Product, version, where the server is, and how to install the app. */
export function AboutSection() {
  const { t } = useTranslation('settings');
  const product = useClientSettings((s) => s.settings?.productName) ?? t('about.defaultProduct');
  return (
    <>
      <div className="zx-about-head">
        <img className="zx-about-logo" src="/icons/icon-192.png" alt="" />
        <div className="zx-about-product">{product}</div>
        <div className="zx-about-version">{t('about.versionLine', { version: packageJson.version })}</div>
      </div>
      <SettingsGroup>
        <SettingsRow label={t('about.version')} extra={packageJson.version} />
        <SettingsRow
          label={t('about.server')}
          extra={<span className="zx-selectable">{window.location.origin}</span>}
        />
        <SettingsRow label={t('about.install')} description={t('about.installHint')} />
      </SettingsGroup>
    </>
  );
}
