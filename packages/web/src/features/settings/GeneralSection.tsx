import type { FontSize, Language, PreferencesPatch } from '@zhixin/protocol';
import { Segmented } from 'antd';
import { Selector } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useLayoutKind } from '../../app/layout.ts';
import { FONT_SIZES, LANGUAGES, updatePreferences, usePreferences } from '../../app/preferences.ts';
import { useErrorText } from '../auth/useErrorText.ts';
import { SettingsGroup, useNotice } from './ui.tsx';

const LANGUAGE_NAMES: Record<Language, string> = { 'zh-CN': '简体中文', en: 'English' };

/** Save a preference; applied at once, undone with a message if the server refuses. */
export function useSavePreferences(): (patch: PreferencesPatch) => void {
  const notice = useNotice();
  const errorText = useErrorText();
  const { t } = useTranslation('settings');
  return (patch) => {
    updatePreferences(patch).catch((err: unknown) => notice.error(t('notSaved', { reason: errorText(err) })));
  };
}

/** Choose one of a few options: antd Segmented on the desktop, antd-mobile Selector on phones. */
function Choice<T extends string>({
  testId,
  value,
  options,
  onChange,
}: {
  testId: string;
  value: T;
  options: readonly { value: T; label: string; testId: string }[];
  onChange: (value: T) => void;
}) {
  const layout = useLayoutKind();
  if (layout === 'mobile')
    return (
      <div data-testid={testId} className="zx-m-choice">
        <Selector
          columns={options.length}
          showCheckMark={false}
          value={[value]}
          onChange={(v) => v[0] !== undefined && onChange(v[0])}
          options={options.map((o) => ({
            value: o.value,
            label: <span data-testid={o.testId}>{o.label}</span>,
          }))}
        />
      </div>
    );
  return (
    <Segmented<T>
      data-testid={testId}
      block
      value={value}
      onChange={onChange}
      options={options.map((o) => ({ value: o.value, label: <span data-testid={o.testId}>{o.label}</span> }))}
    />
  );
}

const SIZE_TEST_ID: Record<FontSize, string> = {
  small: 'font-size-small',
  standard: 'font-size-standard',
  large: 'font-size-large',
  xlarge: 'font-size-xlarge',
};

/** Font size in one step for every screen (R-U3), with a live preview; and the language. */
export function GeneralSection() {
  const { t } = useTranslation('settings');
  const fontSize = usePreferences((p) => p.fontSize);
  const language = usePreferences((p) => p.language);
  const save = useSavePreferences();
  return (
    <>
      <SettingsGroup title={t('general.fontSize')}>
        <div className="zx-set-block">
          <Choice
            testId="settings-font-size"
            value={fontSize}
            onChange={(v) => save({ fontSize: v })}
            options={FONT_SIZES.map((f) => ({
              value: f,
              label: t(`general.size.${f}`),
              testId: SIZE_TEST_ID[f],
            }))}
          />
          <div className="zx-font-preview" aria-live="polite">
            <div className="zx-font-preview-bubble">{t('general.preview')}</div>
            <div className="zx-font-preview-note">{t('general.previewNote')}</div>
          </div>
        </div>
      </SettingsGroup>
      <SettingsGroup title={t('general.language')}>
        <div className="zx-set-block">
          <Choice
            testId="settings-language"
            value={language}
            onChange={(v) => save({ language: v })}
            options={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l], testId: `language-${l}` }))}
          />
        </div>
      </SettingsGroup>
    </>
  );
}
