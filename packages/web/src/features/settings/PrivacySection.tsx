import type { AddPolicy, FriendPrivacy } from '@zhixin/sdk';
import { Radio } from 'antd';
import { Radio as MobileRadio } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../app/client.ts';
import { useLayoutKind } from '../../app/layout.ts';
import { SettingsGroup, SettingsRow, SettingsSwitch, useNotice } from './ui.tsx';
import '../friends/friends.css';

const POLICIES: readonly AddPolicy[] = ['verify', 'anyone', 'nobody'];

/** Who may add me (with or without my approval, or nobody) and by what people can find me. */
export function PrivacySection() {
  const { t } = useTranslation('friends');
  const layout = useLayoutKind();
  const notice = useNotice();
  const [privacy, setPrivacy] = useState<FriendPrivacy | null>(null);

  useEffect(() => {
    let live = true;
    client.friends
      .privacy()
      .then((p) => live && setPrivacy(p))
      .catch(() => live && notice.error(t('errors.failed')));
    return () => {
      live = false;
    };
  }, [notice, t]);

  const save = async (patch: Partial<FriendPrivacy>) => {
    if (!privacy) return;
    const before = privacy;
    setPrivacy({ ...privacy, ...patch });
    try {
      setPrivacy(await client.friends.updatePrivacy(patch));
      notice.success(t('privacy.saved'));
    } catch {
      setPrivacy(before);
      notice.error(t('errors.failed'));
    }
  };

  if (!privacy) return null;
  const policyPicker =
    layout === 'mobile' ? (
      <MobileRadio.Group value={privacy.addPolicy} onChange={(v) => void save({ addPolicy: v as AddPolicy })}>
        {POLICIES.map((p) => (
          <div key={p} className="zx-fr-radio">
            <MobileRadio value={p} data-testid={`privacy-add-${p}`}>
              {t(`privacy.${p}`)}
            </MobileRadio>
          </div>
        ))}
      </MobileRadio.Group>
    ) : (
      <Radio.Group
        value={privacy.addPolicy}
        onChange={(e) => void save({ addPolicy: e.target.value as AddPolicy })}
        optionType="button"
        options={POLICIES.map((p) => ({
          value: p,
          label: <span data-testid={`privacy-add-${p}`}>{t(`privacy.${p}`)}</span>,
        }))}
      />
    );

  return (
    <>
      <SettingsGroup title={t('privacy.title')} testId="privacy-settings">
        <SettingsRow
          label={t('privacy.addPolicy')}
          description={layout === 'mobile' ? policyPicker : undefined}
          extra={layout === 'desktop' ? policyPicker : undefined}
          testId="privacy-add-policy"
        />
      </SettingsGroup>
      <SettingsGroup title={t('privacy.findable')}>
        <SettingsRow
          label={t('privacy.byPhone')}
          extra={
            <SettingsSwitch
              testId="privacy-findable-phone"
              label={t('privacy.byPhone')}
              checked={privacy.findableByPhone}
              onChange={(on) => void save({ findableByPhone: on })}
            />
          }
        />
        <SettingsRow
          label={t('privacy.byAccount')}
          extra={
            <SettingsSwitch
              testId="privacy-findable-account"
              label={t('privacy.byAccount')}
              checked={privacy.findableByAccount}
              onChange={(on) => void save({ findableByAccount: on })}
            />
          }
        />
      </SettingsGroup>
    </>
  );
}
