import { Button, Modal } from 'antd';
import { NavBar, Popup } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLayoutKind } from '../../../app/layout.ts';
import { useFeedback } from '../../chats/hooks.ts';
import { useMomentsErrorText } from '../errors.ts';
import { ComposerFields } from './ComposerFields.tsx';
import { useComposer } from './useComposer.ts';
import './composer.css';

/**
 * Write a post: a dialog on the desktop, a full screen on the phone. Closing keeps the draft;
 * posting clears it.
 */
export function ComposerDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation('moments');
  const mobile = useLayoutKind() === 'mobile';
  const composer = useComposer();
  const feedback = useFeedback();
  const errorText = useMomentsErrorText();
  const [posting, setPosting] = useState(false);

  const submit = () => {
    setPosting(true);
    composer
      .post()
      .then(() => {
        feedback.success(t('composer.posted'));
        onClose();
      })
      .catch((err: unknown) => feedback.error(errorText(err)))
      .finally(() => setPosting(false));
  };
  const postButton = (
    <Button
      type="primary"
      size={mobile ? 'small' : 'middle'}
      loading={posting}
      disabled={!composer.canPost}
      onClick={submit}
      data-testid="composer-post"
    >
      {composer.uploading ? t('composer.uploading') : t('composer.post')}
    </Button>
  );

  if (mobile)
    return (
      <Popup visible={open} position="bottom" bodyClassName="zx-mo-composer-popup" destroyOnClose={false}>
        <NavBar
          back={<span data-testid="composer-cancel">{t('cancel')}</span>}
          backIcon={false}
          onBack={onClose}
          right={postButton}
        >
          {t('composer.title')}
        </NavBar>
        <div className="zx-mo-composer-scroll">
          <ComposerFields composer={composer} mobile />
        </div>
      </Popup>
    );
  return (
    <Modal
      open={open}
      title={t('composer.title')}
      width={560}
      onCancel={onClose}
      footer={
        <div className="zx-mo-composer-footer">
          <span className="zx-mo-composer-draft-note">{t('composer.draftNote')}</span>
          <Button onClick={onClose} data-testid="composer-cancel">
            {t('cancel')}
          </Button>
          {postButton}
        </div>
      }
    >
      <ComposerFields composer={composer} mobile={false} />
    </Modal>
  );
}
