import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { ConfigProvider as MobileConfigProvider } from 'antd-mobile';
import mobileEnUS from 'antd-mobile/es/locales/en-US';
import mobileZhCN from 'antd-mobile/es/locales/zh-CN';
import { useEffect, type ReactNode } from 'react';
import { FONT_SCALE, usePreferences } from './preferences.ts';

/**
 * antd and antd-mobile configured from the user's preferences: locale, and the font scale that
 * re-lays every screen in one step (R-U3). Plain CSS follows `--zx-font-scale` on <html>.
 */
export function ThemeProviders({ children }: { children: ReactNode }) {
  const fontSize = usePreferences((p) => p.fontSize);
  const language = usePreferences((p) => p.language);
  const scale = FONT_SCALE[fontSize];

  useEffect(() => {
    const html = document.documentElement;
    html.style.setProperty('--zx-font-scale', String(scale));
    html.style.setProperty('--adm-font-size-main', `${Math.round(13 * scale)}px`);
    html.dataset.fontSize = fontSize;
    html.lang = language;
  }, [scale, fontSize, language]);

  return (
    <ConfigProvider
      locale={language === 'en' ? enUS : zhCN}
      theme={{
        token: {
          fontSize: Math.round(14 * scale),
          colorPrimary: '#1677ff',
          fontFamily: 'var(--zx-font-family)',
        },
      }}
    >
      <MobileConfigProvider locale={language === 'en' ? mobileEnUS : mobileZhCN}>
        <AntApp>{children}</AntApp>
      </MobileConfigProvider>
    </ConfigProvider>
  );
}
