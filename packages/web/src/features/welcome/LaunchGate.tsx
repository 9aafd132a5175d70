import type { ReactNode } from 'react';

export function LaunchGate({ children }: { children: ReactNode }) {
  return <>{children}</>;
}
