import type { ImageMime } from '@zhixin/protocol';
import { App, Button, Space } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../app/client.ts';
import { useSystemErrorText } from './errors.ts';

const MIMES: readonly string[] = ['image/png', 'image/jpeg', 'image/webp'];
const MAX_BYTES = 512 * 1024;

function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

interface ImageFieldProps {
  value: string | null;
  onChange: (imageId: string | null) => void;
  disabled: boolean;
  testId: string;
}

/** An uploaded image (images.upload): preview, upload a new one, or remove it. */
export function ImageField({ value, onChange, disabled, testId }: ImageFieldProps) {
  const { t } = useTranslation('system');
  const { message } = App.useApp();
  const errorText = useSystemErrorText();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);

  const pick = async (file: File | undefined) => {
    if (!file) return;
    if (!MIMES.includes(file.type)) return void message.error(t('errors.IMAGE_INVALID'));
    if (file.size > MAX_BYTES) return void message.error(t('settings.client.imageTooLarge'));
    setBusy(true);
    try {
      const ref = await client.users.uploadImage(file.type as ImageMime, await base64Of(file));
      onChange(ref.id);
    } catch (err) {
      void message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space align="center" className="zx-sys-image">
      {value ? (
        <img src={`/api/v1/images/${encodeURIComponent(value)}`} alt="" data-testid={`${testId}-preview`} />
      ) : (
        <span className="zx-sys-image-empty" />
      )}
      <input
        ref={input}
        type="file"
        accept={MIMES.join(',')}
        hidden
        data-testid={`${testId}-file`}
        onChange={(e) => void pick(e.target.files?.[0])}
      />
      <Button disabled={disabled} loading={busy} onClick={() => input.current?.click()}>
        {t('settings.client.upload')}
      </Button>
      {value && (
        <Button disabled={disabled} onClick={() => onChange(null)}>
          {t('settings.client.remove')}
        </Button>
      )}
    </Space>
  );
}
