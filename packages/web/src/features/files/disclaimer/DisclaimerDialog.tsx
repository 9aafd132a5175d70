import { Button, Modal } from 'antd';
import { Dialog } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { answerDisclaimer, useDisclaimerQuestion } from './disclaimer-store.ts';

/** The operator's cross-terminal disclaimer (R-T1): accept to send, cancel to send nothing. */
export function DisclaimerDialog({ layout }: { layout: 'desktop' | 'mobile' }) {
  const { t } = useTranslation('files');
  const question = useDisclaimerQuestion((s) => s.current);
  const body = (
    <div className="zx-disclaimer-text" data-testid="disclaimer-text">
      {question?.disclaimer.text}
    </div>
  );
  if (layout === 'mobile') {
    return (
      <Dialog
        visible={question !== null}
        title={t('disclaimer.title')}
        content={<div data-testid="disclaimer-dialog">{body}</div>}
        onClose={() => answerDisclaimer(false)}
        actions={[
          [
            {
              key: 'cancel',
              text: <span data-testid="disclaimer-cancel">{t('disclaimer.cancel')}</span>,
              onClick: () => answerDisclaimer(false),
            },
            {
              key: 'accept',
              text: <span data-testid="disclaimer-accept">{t('disclaimer.accept')}</span>,
              bold: true,
              onClick: () => answerDisclaimer(true),
            },
          ],
        ]}
      />
    );
  }
  return (
    <Modal
      open={question !== null}
      title={t('disclaimer.title')}
      onCancel={() => answerDisclaimer(false)}
      footer={[
        <Button key="cancel" data-testid="disclaimer-cancel" onClick={() => answerDisclaimer(false)}>
          {t('disclaimer.cancel')}
        </Button>,
        <Button
          key="accept"
          type="primary"
          data-testid="disclaimer-accept"
          onClick={() => answerDisclaimer(true)}
        >
          {t('disclaimer.accept')}
        </Button>,
      ]}
      destroyOnHidden
    >
      <div data-testid="disclaimer-dialog">{body}</div>
    </Modal>
  );
}
