import type { OpsTarget, PublicProfile } from '@zhixin/sdk';
import { App as AntApp, Button, Input, Modal, Radio, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../../app/client.ts';
import { MAX_TEXT_BYTES, opsErrorText, utf8Bytes } from '../errors.ts';

type Kind = 'all' | 'user' | 'department';

interface Props {
  /** Called after a send was accepted (the history refreshes). */
  onSent: () => void;
}

/** Compose a message of the operations account: to everyone, one user (found by phone) or a department. */
export function BroadcastComposer({ onSent }: Props) {
  const { t } = useTranslation('opsaccount');
  const { message } = AntApp.useApp();
  const [kind, setKind] = useState<Kind>('all');
  const [phone, setPhone] = useState('');
  const [user, setUser] = useState<PublicProfile | null>(null);
  const [departments, setDepartments] = useState<Array<{ value: string; label: string }>>([]);
  const [departmentId, setDepartmentId] = useState<string | undefined>();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const bytes = utf8Bytes(text.trim());

  useEffect(() => {
    if (kind !== 'department') return;
    let live = true;
    client.directory
      .tree()
      .then((deps) => {
        if (live) setDepartments(deps.map((d) => ({ value: d.id, label: d.name })));
      })
      .catch((err: unknown) => void message.error(opsErrorText(t, err)));
    return () => {
      live = false;
    };
  }, [kind, message, t]);

  const target: OpsTarget | null =
    kind === 'all'
      ? { all: true }
      : kind === 'user'
        ? user && { userId: user.id }
        : departmentId
          ? { departmentId }
          : null;
  const ready = target !== null && bytes > 0 && bytes <= MAX_TEXT_BYTES && !busy;

  const search = async () => {
    setUser(null);
    try {
      setUser(await client.users.lookupByPhone(phone.trim()));
    } catch {
      void message.error(t('broadcast.notFound'));
    }
  };

  const send = async () => {
    if (!target) return;
    setConfirming(false);
    setBusy(true);
    try {
      await client.opsAccount.send(target, text.trim());
      void message.success(t('broadcast.sent'));
      setText('');
      onSent();
    } catch (err) {
      void message.error(opsErrorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="zx-ops-composer" data-testid="admin-broadcast-composer">
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <div>
          <Typography.Text strong>{t('broadcast.target')}</Typography.Text>
          <div className="zx-ops-row">
            <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
              <Radio value="all" data-testid="admin-broadcast-target-all">
                {t('broadcast.targetAll')}
              </Radio>
              <Radio value="user" data-testid="admin-broadcast-target-user">
                {t('broadcast.targetUser')}
              </Radio>
              <Radio value="department" data-testid="admin-broadcast-target-department">
                {t('broadcast.targetDepartment')}
              </Radio>
            </Radio.Group>
          </div>
        </div>
        {kind === 'user' && (
          <Space wrap>
            <Input
              data-testid="admin-broadcast-phone"
              placeholder={t('broadcast.phone')}
              aria-label={t('broadcast.phone')}
              value={phone}
              onChange={(e) => setPhone(e.target.value)}
              onPressEnter={() => void search()}
              style={{ width: 220 }}
            />
            <Button data-testid="admin-broadcast-search" onClick={() => void search()}>
              {t('broadcast.search')}
            </Button>
            {user && (
              <Typography.Text data-testid="admin-broadcast-user" data-user-id={user.id}>
                {user.nickname}
              </Typography.Text>
            )}
          </Space>
        )}
        {kind === 'department' && (
          <Select
            data-testid="admin-broadcast-department"
            placeholder={t('broadcast.departmentPlaceholder')}
            options={departments}
            value={departmentId}
            onChange={(v: string) => setDepartmentId(v)}
            showSearch
            optionFilterProp="label"
            style={{ width: 320 }}
          />
        )}
        <div>
          <Typography.Text strong>{t('broadcast.text')}</Typography.Text>
          <Input.TextArea
            data-testid="admin-broadcast-text"
            placeholder={t('broadcast.textPlaceholder')}
            aria-label={t('broadcast.text')}
            value={text}
            onChange={(e) => setText(e.target.value)}
            autoSize={{ minRows: 3, maxRows: 8 }}
            status={bytes > MAX_TEXT_BYTES ? 'error' : undefined}
          />
          {bytes > MAX_TEXT_BYTES && (
            <Typography.Text type="danger">{t('broadcast.tooLong', { bytes })}</Typography.Text>
          )}
        </div>
        <Button
          type="primary"
          data-testid="admin-broadcast-send"
          disabled={!ready}
          loading={busy}
          onClick={() => (kind === 'all' ? setConfirming(true) : void send())}
        >
          {t('broadcast.send')}
        </Button>
      </Space>
      <Modal
        open={confirming}
        title={t('broadcast.confirmAllTitle')}
        onCancel={() => setConfirming(false)}
        footer={[
          <Button key="cancel" onClick={() => setConfirming(false)}>
            {t('broadcast.cancel')}
          </Button>,
          <Button
            key="ok"
            type="primary"
            danger
            data-testid="admin-broadcast-confirm"
            onClick={() => void send()}
          >
            {t('broadcast.confirmOk')}
          </Button>,
        ]}
      >
        <p>{t('broadcast.confirmAllText')}</p>
      </Modal>
    </div>
  );
}
