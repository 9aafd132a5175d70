import { showUpdatePrompt } from './update-prompt.ts';

const UPDATE_CHECK_MS = 60 * 60 * 1000;

/**
 * Install the service worker (/sw.js) in production builds, where the browser supports it. The dev
 * server has no sw.js and must not be shadowed by a worker left from a build, so it never registers.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  // After load: installing precaches the whole build, which must not compete with the first paint.
  if (document.readyState === 'complete') void register();
  else window.addEventListener('load', () => void register(), { once: true });
}

async function register(): Promise<void> {
  const container = navigator.serviceWorker;
  // No worker (private mode, a proxy that blocks it; automation resolves a blocked registration
  // with nothing): the app still works online.
  const registration: ServiceWorkerRegistration | undefined = await container
    .register('/sw.js', { scope: '/' })
    .catch(() => undefined);
  if (!registration) return;
  let accepted = false;
  const offer = (worker: ServiceWorker) =>
    showUpdatePrompt(() => {
      accepted = true;
      worker.postMessage({ type: 'skip-waiting' });
    });
  // The new worker takes over only once the user agreed; then this page reloads into the new build.
  container.addEventListener('controllerchange', () => {
    if (accepted) window.location.reload();
  });
  if (registration.waiting && container.controller) offer(registration.waiting);
  registration.addEventListener('updatefound', () => {
    const worker = registration.installing;
    worker?.addEventListener('statechange', () => {
      // Without a controller this is the first install, not an update: nothing to offer.
      if (worker.state === 'installed' && container.controller) offer(worker);
    });
  });
  // A tab left open for days still learns about new versions.
  setInterval(() => void registration.update().catch(() => undefined), UPDATE_CHECK_MS);
}
