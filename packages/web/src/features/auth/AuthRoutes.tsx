import { Navigate, Route, Routes } from 'react-router';
import { AuthLayout } from './AuthLayout.tsx';
import { ForgotPage } from './ForgotPage.tsx';
import { LoginPage } from './LoginPage.tsx';
import { RegisterPage } from './RegisterPage.tsx';
import './auth.css';

/** Everything a signed-out visitor sees: login (the default for any path), register, forgot password. */
export default function AuthRoutes() {
  return (
    <AuthLayout>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/register" element={<RegisterPage />} />
        <Route path="/forgot" element={<ForgotPage />} />
        <Route path="*" element={<Navigate to="/login" replace />} />
      </Routes>
    </AuthLayout>
  );
}
