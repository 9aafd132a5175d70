import { unstableSetRender } from 'antd-mobile';
import { createRoot } from 'react-dom/client';

/**
 * antd-mobile 5 renders its imperative APIs (Toast.show, Dialog.confirm, ActionSheet.show) with
 * ReactDOM.render, which React 19 removed; give it createRoot so those APIs work.
 */
export function installMobileRender(): void {
  unstableSetRender((node, container) => {
    const root = createRoot(container);
    root.render(node);
    return async () => {
      await Promise.resolve();
      root.unmount();
    };
  });
}
