import type { Meeting } from '@zhixin/protocol';
import { Checkbox, DatePicker, Form, Input, Modal } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../app/client.ts';

interface Values {
  topic: string;
  time: Dayjs;
  allowUnmuteSelf: boolean;
  inviteOnly: boolean;
  muteOnJoin: boolean;
}

/** Schedule a meeting: topic, start time and the members' rules. */
export function ScheduleDialog({
  onClose,
  onCreated,
  onError,
}: {
  onClose: () => void;
  onCreated: (meeting: Meeting) => void;
  onError: (err: unknown) => void;
}) {
  const { t } = useTranslation('meetings');
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const submit = async (values: Values) => {
    setSaving(true);
    try {
      const meeting = await client.call('meetings.create', {
        topic: values.topic.trim(),
        scheduledAt: values.time.valueOf(),
        settings: {
          allowUnmuteSelf: values.allowUnmuteSelf,
          inviteOnly: values.inviteOnly,
          muteOnJoin: values.muteOnJoin,
        },
      });
      onCreated(meeting);
    } catch (err) {
      onError(err);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={t('schedule')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: saving, id: 'schedule-submit' }}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{
          time: dayjs().add(1, 'hour').startOf('hour'),
          allowUnmuteSelf: true,
          inviteOnly: false,
          muteOnJoin: false,
        }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item name="topic" label={t('topic')} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input data-testid="schedule-topic" maxLength={100} />
        </Form.Item>
        <Form.Item name="time" label={t('time')} rules={[{ required: true }]}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="allowUnmuteSelf" valuePropName="checked" noStyle>
          <Checkbox>{t('settings.allowUnmuteSelf')}</Checkbox>
        </Form.Item>
        <Form.Item name="muteOnJoin" valuePropName="checked" noStyle>
          <Checkbox>{t('settings.muteOnJoin')}</Checkbox>
        </Form.Item>
        <Form.Item name="inviteOnly" valuePropName="checked" noStyle>
          <Checkbox>{t('settings.inviteOnly')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
