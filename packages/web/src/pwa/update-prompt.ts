import i18next from 'i18next';
import './update-prompt.css';

let shown: HTMLElement | null = null;

/**
 * "A new version is available": a small bar outside the React tree, so it works whichever shell
 * (or the sign-in screen) is showing. `onReload` hands control to the new service worker.
 */
export function showUpdatePrompt(onReload: () => void): void {
  if (shown?.isConnected) return;
  const bar = document.createElement('div');
  bar.className = 'zx-update-prompt';
  bar.setAttribute('role', 'status');
  bar.dataset.testid = 'update-prompt';
  const text = document.createElement('span');
  text.textContent = i18next.t('pwa:newVersion');
  const reload = button(i18next.t('pwa:reload'), 'zx-update-prompt-primary', () => {
    reload.disabled = true;
    onReload();
  });
  const later = button(i18next.t('pwa:later'), 'zx-update-prompt-secondary', () => bar.remove());
  bar.append(text, reload, later);
  document.body.append(bar);
  shown = bar;
}

function button(label: string, className: string, onClick: () => void): HTMLButtonElement {
  const el = document.createElement('button');
  el.type = 'button';
  el.className = className;
  el.textContent = label;
  el.addEventListener('click', onClick);
  return el;
}
