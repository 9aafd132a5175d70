import { Modal } from 'antd';
import { NavBar, Popup } from 'antd-mobile';
import type { ReactNode } from 'react';

interface Props {
  layout: 'desktop' | 'mobile';
  open: boolean;
  title: ReactNode;
  onClose: () => void;
  /** Desktop footer (e.g. a confirm button); on mobile it goes to the NavBar's right. */
  footer?: ReactNode;
  testId?: string;
  width?: number;
  /** Mobile: take the whole screen rather than a bottom sheet. */
  full?: boolean;
  children: ReactNode;
}

/** A dialog in the layout's own idiom: an antd Modal on desktop, a bottom or full-screen Popup on mobile. */
export function Sheet({ layout, open, title, onClose, footer, testId, width, full, children }: Props) {
  if (layout === 'desktop') {
    return (
      <Modal
        open={open}
        title={title}
        onCancel={onClose}
        footer={footer ?? null}
        width={width}
        destroyOnHidden
      >
        <div data-testid={testId}>{children}</div>
      </Modal>
    );
  }
  return (
    <Popup
      visible={open}
      onMaskClick={onClose}
      onClose={onClose}
      destroyOnClose
      bodyClassName={full ? 'zx-sheet zx-sheet-full' : 'zx-sheet'}
    >
      <div className="zx-sheet-inner" data-testid={testId}>
        <NavBar onBack={onClose} right={footer}>
          {title}
        </NavBar>
        <div className="zx-sheet-body">{children}</div>
      </div>
    </Popup>
  );
}
