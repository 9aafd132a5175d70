import { RotateRightOutlined, UndoOutlined } from '@ant-design/icons';
import { Button, Modal, Segmented } from 'antd';
import { Popup } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLayoutKind } from '../../../app/layout.ts';
import { CROP_RATIOS, type CropRatio } from './crop-math.ts';
import { CropStage } from './CropStage.tsx';
import { useCropper } from './useCropper.ts';
import '../composer/composer.css';

interface Props {
  file: File;
  onDone: (cropped: File) => void;
  onCancel: () => void;
}

/** Crop and turn one picture before posting (R-W4): free or fixed ratios, quarter turns. */
export function CropperDialog({ file, onDone, onCancel }: Props) {
  const { t } = useTranslation('moments');
  const layout = useLayoutKind();
  const cropper = useCropper(file);
  const [busy, setBusy] = useState(false);
  const mobile = layout === 'mobile';
  const stageWidth = mobile ? Math.min(window.innerWidth - 32, 600) : 560;
  const stageHeight = mobile ? Math.round(window.innerHeight * 0.55) : 400;

  const finish = () => {
    setBusy(true);
    cropper
      .render()
      .then(onDone)
      .catch(onCancel)
      .finally(() => setBusy(false));
  };
  const ratioLabel = (ratio: CropRatio) => (ratio === 'free' ? t('crop.free') : ratio);

  const body = (
    <div className="zx-mo-crop" data-testid="cropper">
      {cropper.failed ? (
        <div className="zx-mo-crop-failed">{t('crop.decodeFailed')}</div>
      ) : (
        <CropStage cropper={cropper} maxWidth={stageWidth} maxHeight={stageHeight} />
      )}
      <div className="zx-mo-crop-tools">
        <Segmented<CropRatio>
          size={mobile ? 'small' : 'middle'}
          value={cropper.ratio}
          onChange={cropper.setRatio}
          options={CROP_RATIOS.map((ratio) => ({
            value: ratio,
            label: <span data-testid={`crop-ratio-${ratio}`}>{ratioLabel(ratio)}</span>,
          }))}
        />
        <span className="zx-mo-crop-tool-buttons">
          <Button
            icon={<RotateRightOutlined />}
            data-testid="crop-rotate"
            aria-label={t('crop.rotate')}
            title={t('crop.rotate')}
            onClick={cropper.rotate}
          />
          <Button
            icon={<UndoOutlined />}
            data-testid="crop-reset"
            aria-label={t('crop.reset')}
            title={t('crop.reset')}
            onClick={cropper.reset}
          />
        </span>
      </div>
      <div className="zx-mo-crop-actions">
        <Button onClick={onCancel} data-testid="crop-cancel">
          {t('cancel')}
        </Button>
        <Button
          type="primary"
          data-testid="crop-done"
          loading={busy}
          disabled={!cropper.image}
          onClick={finish}
        >
          {t('crop.done')}
        </Button>
      </div>
    </div>
  );

  if (mobile)
    return (
      <Popup visible position="bottom" bodyClassName="zx-mo-crop-popup" onMaskClick={onCancel} destroyOnClose>
        {body}
      </Popup>
    );
  return (
    <Modal open title={t('crop.title')} width={608} onCancel={onCancel} footer={null} destroyOnHidden>
      {body}
    </Modal>
  );
}
