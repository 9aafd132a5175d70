import { CameraOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useRef, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../../app/client.ts';
import { myUserId } from '../../../data/me.ts';
import { useFeedback } from '../../chats/hooks.ts';
import { CropperDialog } from '../crop/CropperDialog.tsx';
import { useMomentsErrorText } from '../errors.ts';
import { setCover } from '../feed-store.ts';
import { useMediaSrc } from '../media.ts';

/** Upload a cropped picture and make it my page's cover. */
async function changeCover(file: File): Promise<void> {
  const info = await client.files.upload(file, { name: file.name, mime: file.type }).promise;
  setCover(myUserId(), await client.moments.setCover(info.id));
}

/** A page's cover picture (a plain band without one); on my page, "change cover". */
export function CoverImage({ coverFileId, mine }: { coverFileId: string | null; mine: boolean }) {
  const { t } = useTranslation('moments');
  const feedback = useFeedback();
  const errorText = useMomentsErrorText();
  const src = useMediaSrc(coverFileId ? { fileId: coverFileId } : null);
  const input = useRef<HTMLInputElement>(null);
  const [picked, setPicked] = useState<File | null>(null);
  const [saving, setSaving] = useState(false);
  const onPick = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (file) setPicked(file);
  };
  const save = (file: File) => {
    setPicked(null);
    setSaving(true);
    changeCover(file)
      .then(() => feedback.success(t('user.coverChanged')))
      .catch((err: unknown) => feedback.error(errorText(err)))
      .finally(() => setSaving(false));
  };
  return (
    <div className="zx-mo-cover" data-testid="user-cover" data-has-cover={coverFileId ? 'true' : 'false'}>
      {coverFileId && src.status === 'ready' && <img src={src.src} alt="" draggable={false} />}
      {mine && (
        <>
          <Button
            className="zx-mo-cover-change"
            size="small"
            icon={<CameraOutlined />}
            loading={saving}
            data-testid="change-cover"
            onClick={() => input.current?.click()}
          >
            {t('user.changeCover')}
          </Button>
          <input
            ref={input}
            type="file"
            accept="image/*"
            hidden
            data-testid="cover-input"
            onChange={onPick}
          />
        </>
      )}
      {picked && <CropperDialog file={picked} onCancel={() => setPicked(null)} onDone={save} />}
    </div>
  );
}
