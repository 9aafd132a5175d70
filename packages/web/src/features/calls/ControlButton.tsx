import type { ReactNode } from 'react';

interface Props {
  icon: ReactNode;
  label: string;
  onClick: () => void;
  testId: string;
  /** Highlighted (e.g. muted, camera off). */
  active?: boolean;
  tone?: 'default' | 'danger' | 'accept';
  disabled?: boolean;
}

/** A round control with its label under it (calls and meetings, desktop and mobile). */
export function ControlButton({ icon, label, onClick, testId, active, tone = 'default', disabled }: Props) {
  return (
    <button
      type="button"
      className={`zx-media-control zx-media-control-${tone}${active ? ' zx-media-control-active' : ''}`}
      data-testid={testId}
      aria-label={label}
      aria-pressed={active}
      disabled={disabled}
      onClick={onClick}
    >
      <span className="zx-media-control-icon">{icon}</span>
      <span className="zx-media-control-label">{label}</span>
    </button>
  );
}
