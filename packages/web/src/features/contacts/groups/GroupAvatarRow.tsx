import type { Conversation } from '@zhixin/sdk';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../../app/client.ts';
import { Avatar } from '../../../components/UserAvatar.tsx';
import { putConversations } from '../../../data/conversations.ts';
import { avatarDataUrl } from '../../settings/avatar.ts';
import { useNotice } from '../controls.tsx';
import { useContactsErrorText } from '../useContactsErrorText.ts';

/** The group's picture; the owner and admins replace it (cropped to a square like a user avatar). */
export function GroupAvatarRow({
  conversation,
  canChange,
}: {
  conversation: Conversation;
  canChange: boolean;
}) {
  const { t } = useTranslation('contacts');
  const notice = useNotice();
  const errorText = useContactsErrorText();
  const input = useRef<HTMLInputElement>(null);
  const [saving, setSaving] = useState(false);

  const upload = async (file: File) => {
    setSaving(true);
    try {
      const dataUrl = await avatarDataUrl(file);
      const ref = await client.users.uploadImage('image/jpeg', dataUrl.slice(dataUrl.indexOf(',') + 1));
      putConversations([await client.groups.setAvatar(conversation.id, ref.id)]);
      notice(t('info.avatarChanged'));
    } catch (err) {
      notice(errorText(err), 'error');
    } finally {
      setSaving(false);
      if (input.current) input.current.value = '';
    }
  };

  return (
    <div className="zx-ct-row">
      <span className="zx-ct-row-label">{t('info.avatar')}</span>
      <span className="zx-ct-row-value" data-testid="group-avatar">
        <Avatar
          imageId={conversation.group?.avatarImageId ?? null}
          name={conversation.title}
          colorKey={conversation.id}
          size={40}
        />
      </span>
      {canChange && (
        <label className="zx-ct-link">
          {saving ? t('info.avatarSaving') : t('info.avatarChange')}
          <input
            ref={input}
            type="file"
            accept="image/*"
            hidden
            disabled={saving}
            data-testid="group-avatar-upload"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void upload(file);
            }}
          />
        </label>
      )}
    </div>
  );
}
