import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { LaunchGate } from '../features/welcome/LaunchGate.tsx';
import { ThemeProviders } from './ThemeProviders.tsx';
import { useLayoutKind } from './layout.ts';
import { useSession } from './session.ts';
import { Watermark } from '../watermark/Watermark.tsx';

// Each layout and the sign-in screens are their own chunks: a phone never loads the desktop shell.
const DesktopShell = lazy(() => import('../shell/desktop/DesktopShell.tsx'));
const MobileShell = lazy(() => import('../shell/mobile/MobileShell.tsx'));
const AuthRoutes = lazy(() => import('../features/auth/AuthRoutes.tsx'));
const AdminRoutes = lazy(() => import('../features/admin/AdminRoutes.tsx'));

function SignedIn() {
  const layout = useLayoutKind();
  return (
    <>
      {layout === 'mobile' ? <MobileShell /> : <DesktopShell />}
      <Watermark />
    </>
  );
}

function Screens() {
  const status = useSession((s) => s.status);
  if (status === 'starting') return null;
  return (
    <Suspense fallback={null}>
      {status === 'signedIn' ? (
        <Routes>
          <Route path="/login" element={<Navigate to="/chats" replace />} />
          <Route path="/register" element={<Navigate to="/chats" replace />} />
          <Route
            path="/admin/*"
            element={
              <>
                <AdminRoutes />
                <Watermark />
              </>
            }
          />
          <Route path="/*" element={<SignedIn />} />
        </Routes>
      ) : (
        <Routes>
          <Route path="/*" element={<AuthRoutes />} />
        </Routes>
      )}
    </Suspense>
  );
}

export function App() {
  return (
    <ThemeProviders>
      <BrowserRouter>
        <LaunchGate>
          <Screens />
        </LaunchGate>
      </BrowserRouter>
    </ThemeProviders>
  );
}
