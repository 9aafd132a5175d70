import { NavBar } from 'antd-mobile';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useLayoutKind } from '../../app/layout.ts';

interface ScreenFrameProps {
  /** Without a title the desktop pane has no title bar (a profile's card names the person). */
  title?: ReactNode;
  /** Where the mobile back arrow leads when there is no history to go back to (a deep link). */
  backTo: string;
  /** Actions at the right of the title bar. */
  right?: ReactNode;
  children: ReactNode;
}

/**
 * One contacts screen: on the desktop a titled main pane, on phones a full screen with a NavBar
 * whose back arrow returns to where the user came from.
 */
export function ScreenFrame({ title, backTo, right, children }: ScreenFrameProps) {
  const layout = useLayoutKind();
  const navigate = useNavigate();
  if (layout === 'mobile') {
    const back = () => {
      const idx = (window.history.state as { idx?: number } | null)?.idx ?? 0;
      if (idx > 0) void navigate(-1);
      else void navigate(backTo, { replace: true });
    };
    return (
      <div className="zx-mobile-screen">
        <NavBar onBack={back} right={right}>
          {title}
        </NavBar>
        <div className="zx-mobile-scroll zx-ct-m-body">{children}</div>
      </div>
    );
  }
  return (
    <div className="zx-ct-screen">
      {(title || right) && (
        <header className="zx-ct-header">
          <h2 className="zx-ct-header-title">{title}</h2>
          {right}
        </header>
      )}
      <div className="zx-ct-body">{children}</div>
    </div>
  );
}
