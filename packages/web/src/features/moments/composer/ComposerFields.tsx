import { EnvironmentOutlined } from '@ant-design/icons';
import { Input, Segmented, Select } from 'antd';
import { MOMENT_MENTIONS_MAX, MOMENT_TEXT_MAX, type MomentVisibility } from '@zhixin/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePeople } from '../../../data/people.ts';
import { useFeedback } from '../../chats/hooks.ts';
import { CropperDialog } from '../crop/CropperDialog.tsx';
import { AttachmentGrid } from './AttachmentGrid.tsx';
import { VISIBILITIES } from '../visibility.ts';
import type { Attachment } from './useAttachments.ts';
import type { ComposerState } from './useComposer.ts';

/** My friends as mention options, by the name I know them by. */
function useFriendOptions(): { value: string; label: string }[] {
  const contacts = usePeople((s) => s.contacts);
  return Object.values(contacts)
    .map((c) => ({ value: c.userId, label: c.remark || c.profile.nickname }))
    .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'));
}

/** The composer's fields: text, pictures or video (with the cropper), location, mentions, visibility. */
export function ComposerFields({ composer, mobile }: { composer: ComposerState; mobile: boolean }) {
  const { t } = useTranslation('moments');
  const feedback = useFeedback();
  const friends = useFriendOptions();
  const [cropping, setCropping] = useState<Attachment | null>(null);
  const pick = (files: File[]) => {
    const problem = composer.attachments.add(files);
    if (problem) feedback.error(t(`composer.pick.${problem}`));
  };
  return (
    <div className="zx-mo-composer" data-testid="composer">
      <Input.TextArea
        value={composer.text}
        onChange={(e) => composer.setText(e.target.value)}
        placeholder={t('composer.placeholder')}
        autoSize={{ minRows: 4, maxRows: 10 }}
        maxLength={MOMENT_TEXT_MAX}
        variant="borderless"
        data-testid="composer-text"
        autoFocus={!mobile}
      />
      <AttachmentGrid
        items={composer.attachments.items}
        mobile={mobile}
        onPick={pick}
        onCrop={setCropping}
        onRemove={(a) => composer.attachments.remove(a.localId)}
      />
      <div className="zx-mo-composer-row">
        <Input
          prefix={<EnvironmentOutlined />}
          value={composer.location}
          onChange={(e) => composer.setLocation(e.target.value)}
          placeholder={t('composer.location')}
          maxLength={100}
          allowClear
          data-testid="composer-location"
        />
      </div>
      <div className="zx-mo-composer-row">
        <Select
          mode="multiple"
          className="zx-mo-mentions"
          value={composer.mentions}
          onChange={(ids: string[]) => composer.setMentions(ids.slice(0, MOMENT_MENTIONS_MAX))}
          options={friends}
          optionFilterProp="label"
          placeholder={t('composer.mentions')}
          notFoundContent={t('composer.noFriends')}
          prefix="@"
          data-testid="composer-mentions"
          getPopupContainer={(node: HTMLElement) => node.parentElement ?? document.body}
        />
      </div>
      <div className="zx-mo-composer-row zx-mo-composer-visibility">
        <span className="zx-mo-composer-label">{t('composer.visibility')}</span>
        <Segmented<MomentVisibility>
          value={composer.visibility}
          onChange={composer.setVisibility}
          options={VISIBILITIES.map((v) => ({
            value: v,
            label: <span data-testid={`visibility-${v}`}>{t(`visibility.${v}`)}</span>,
          }))}
        />
      </div>
      {cropping?.file && (
        <CropperDialog
          file={cropping.file}
          onCancel={() => setCropping(null)}
          onDone={(file) => {
            composer.attachments.replace(cropping.localId, file);
            setCropping(null);
          }}
        />
      )}
    </div>
  );
}
