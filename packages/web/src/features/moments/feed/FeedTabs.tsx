import { Segmented } from 'antd';
import { Tabs } from 'antd-mobile';
import type { MomentFeedScope } from '@zhixin/protocol';
import { useTranslation } from 'react-i18next';

export const SCOPES: readonly MomentFeedScope[] = ['everyone', 'friends', 'mine'];

/** 全部 / 好友 / 我的 (R-W2). */
export function FeedTabs({
  scope,
  onChange,
  mobile,
}: {
  scope: MomentFeedScope;
  onChange: (scope: MomentFeedScope) => void;
  mobile: boolean;
}) {
  const { t } = useTranslation('moments');
  if (mobile)
    return (
      <Tabs activeKey={scope} onChange={(key) => onChange(key as MomentFeedScope)} className="zx-mo-m-tabs">
        {SCOPES.map((s) => (
          <Tabs.Tab key={s} title={<span data-testid={`feed-tab-${s}`}>{t(`scope.${s}`)}</span>} />
        ))}
      </Tabs>
    );
  return (
    <Segmented<MomentFeedScope>
      value={scope}
      onChange={onChange}
      options={SCOPES.map((s) => ({
        value: s,
        label: <span data-testid={`feed-tab-${s}`}>{t(`scope.${s}`)}</span>,
      }))}
    />
  );
}
