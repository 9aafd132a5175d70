import { MoreOutlined } from '@ant-design/icons';
import { Dropdown } from 'antd';
import { ActionSheet } from 'antd-mobile';
import { useState } from 'react';
import { useLayoutKind } from '../../../app/layout.ts';

export interface MenuAction {
  key: string;
  label: string;
  testId: string;
  danger?: boolean;
  onClick: () => void;
}

/** A "…" button opening a list of actions: a dropdown on the desktop, an action sheet on phones. */
export function ActionMenu({
  actions,
  testId,
  label,
}: {
  actions: MenuAction[];
  testId: string;
  label: string;
}) {
  const layout = useLayoutKind();
  const [open, setOpen] = useState(false);
  const trigger = (
    <button
      type="button"
      className="zx-icon-button"
      data-testid={testId}
      aria-label={label}
      onClick={layout === 'mobile' ? () => setOpen(true) : undefined}
    >
      <MoreOutlined />
    </button>
  );
  if (layout === 'mobile')
    return (
      <>
        {trigger}
        <ActionSheet
          visible={open}
          onClose={() => setOpen(false)}
          cancelText="×"
          actions={actions.map((a) => ({
            key: a.key,
            text: <span data-testid={a.testId}>{a.label}</span>,
            danger: a.danger,
            onClick: () => {
              setOpen(false);
              a.onClick();
            },
          }))}
        />
      </>
    );
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: actions.map((a) => ({
          key: a.key,
          danger: a.danger,
          label: <span data-testid={a.testId}>{a.label}</span>,
        })),
        onClick: ({ key }) => actions.find((a) => a.key === key)?.onClick(),
      }}
    >
      {trigger}
    </Dropdown>
  );
}
