import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { installMobileRender } from './app/mobile-render.ts';
import { startSession } from './app/session.ts';
import { initI18n } from './i18n/index.ts';
import { registerServiceWorker } from './pwa/register.ts';
import './app/global.css';

installMobileRender();
initI18n();
void startSession();
registerServiceWorker();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
