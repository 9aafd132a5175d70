import { useTranslation } from 'react-i18next';
import { imageSrc } from '../../components/UserAvatar.tsx';
import { useClientSettings } from './clientSettings.ts';

/**
 * The operator's welcome page on the sign-in screen (R-U4): their image, title and text; the
 * product's own greeting until the server has been reached once.
 */
export function WelcomePanel({ variant }: { variant: 'desktop' | 'mobile' }) {
  const { t } = useTranslation('welcome');
  const settings = useClientSettings((s) => s.settings);
  const welcome = settings?.welcome;
  if (welcome && !welcome.enabled) return null;
  const product = settings?.productName ?? t('productName');
  const title = welcome?.title || t('defaultTitle', { product });
  const text = welcome?.text || t('defaultText');
  return (
    <section className={`zx-welcome zx-welcome-${variant}`} data-testid="welcome-page">
      {welcome?.imageId && (
        <img className="zx-welcome-image" src={imageSrc(welcome.imageId)} alt="" draggable={false} />
      )}
      <div className="zx-welcome-body">
        {title !== product && <div className="zx-welcome-product">{product}</div>}
        <h1 className="zx-welcome-title">{title}</h1>
        <p className="zx-welcome-text">{text}</p>
      </div>
    </section>
  );
}
