import type { ReactNode } from 'react';
import { useLayoutKind } from '../../app/layout.ts';
import { chooseLanguageSignedOut, usePreferences } from '../../app/preferences.ts';
import { WelcomePanel } from '../welcome/WelcomePanel.tsx';

/** Before sign-in the language is this device's own choice; the next sign-in saves it on the account. */
function LanguageToggle() {
  const language = usePreferences((p) => p.language);
  const next = language === 'en' ? 'zh-CN' : 'en';
  return (
    <button type="button" className="zx-auth-language" onClick={() => chooseLanguageSignedOut(next)}>
      {next === 'en' ? 'English' : '简体中文'}
    </button>
  );
}

/**
 * The frame of the sign-in screens: on the desktop a centred card with the welcome page as its left
 * half; on a phone the whole screen, the welcome page as its header.
 */
export function AuthLayout({ children }: { children: ReactNode }) {
  const layout = useLayoutKind();
  if (layout === 'mobile')
    return (
      <div className="zx-auth-mobile">
        <LanguageToggle />
        <WelcomePanel variant="mobile" />
        <main className="zx-auth-mobile-body">{children}</main>
      </div>
    );
  return (
    <div className="zx-auth-desktop">
      <LanguageToggle />
      <div className="zx-auth-card">
        <WelcomePanel variant="desktop" />
        <main className="zx-auth-card-form">{children}</main>
      </div>
    </div>
  );
}
