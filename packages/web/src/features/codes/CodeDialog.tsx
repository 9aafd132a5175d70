import { Modal } from 'antd';
import { CenterPopup } from 'antd-mobile';
import type { ReactNode } from 'react';
import { useLayoutKind } from '../../app/layout.ts';
import './codes.css';

interface CodeDialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
}

/** A dialog around a QR code: antd's modal on the desktop, a centred popup on a phone. */
export function CodeDialog({ open, title, onClose, children, testId }: CodeDialogProps) {
  const layout = useLayoutKind();
  if (layout === 'mobile')
    return (
      <CenterPopup visible={open} onMaskClick={onClose} onClose={onClose} showCloseButton destroyOnClose>
        <div className="zx-code-dialog" data-testid={testId}>
          <h3 className="zx-code-dialog-title">{title}</h3>
          {children}
        </div>
      </CenterPopup>
    );
  return (
    <Modal open={open} title={title} onCancel={onClose} footer={null} width={380} destroyOnHidden centered>
      <div className="zx-code-dialog" data-testid={testId}>
        {children}
      </div>
    </Modal>
  );
}
