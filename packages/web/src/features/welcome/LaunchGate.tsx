import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session.ts';
import { imageSrc } from '../../components/UserAvatar.tsx';
import { refreshClientSettings, useClientSettings } from './clientSettings.ts';
import './welcome.css';

/** Above this the launch page offers a skip control. */
const SKIPPABLE_AFTER_MS = 1500;

/**
 * The operator's launch page (R-U4) over the starting app: shown at least `launch.durationMs` and
 * until the session is known. The app mounts underneath at once, so the launch page never delays
 * the first chat list; with a duration of 0 it only covers the start itself.
 */
export function LaunchGate({ children }: { children: ReactNode }) {
  useEffect(() => {
    void refreshClientSettings();
  }, []);
  return (
    <>
      {children}
      <LaunchPage />
    </>
  );
}

function LaunchPage() {
  const { t } = useTranslation('welcome');
  const settings = useClientSettings((s) => s.settings);
  const ready = useSession((s) => s.status !== 'starting');
  // Measured from the first mount: a page shown late (settings arrived late) keeps to the same end.
  const [startedAt] = useState(() => Date.now());
  const [now, setNow] = useState(startedAt);
  const [skipped, setSkipped] = useState(false);

  const launch = settings?.launch;
  const enabled = launch?.enabled === true;
  const endsAt = startedAt + (launch?.durationMs ?? 0);
  const hidden = !enabled || skipped || (ready && Math.max(now, Date.now()) >= endsAt);

  useEffect(() => {
    if (hidden) return;
    const timer = window.setInterval(() => setNow(Date.now()), 250);
    return () => window.clearInterval(timer);
  }, [hidden]);

  if (hidden || !settings || !launch) return null;
  const secondsLeft = Math.max(0, Math.ceil((endsAt - now) / 1000));
  return (
    <div className="zx-launch" data-testid="launch-page" role="status" aria-label={settings.productName}>
      {launch.imageId ? (
        <img className="zx-launch-image" src={imageSrc(launch.imageId)} alt="" draggable={false} />
      ) : (
        <div className="zx-launch-image zx-launch-plain" />
      )}
      <div className="zx-launch-footer">
        <div className="zx-launch-product">{settings.productName}</div>
        {launch.text && <div className="zx-launch-text">{launch.text}</div>}
      </div>
      {launch.durationMs > SKIPPABLE_AFTER_MS && (
        <button type="button" className="zx-launch-skip" onClick={() => setSkipped(true)}>
          {secondsLeft > 0 ? t('skipIn', { count: secondsLeft }) : t('skip')}
        </button>
      )}
    </div>
  );
}
