import { Input } from 'antd';
import { useLayoutKind } from '../../app/layout.ts';

interface TextInputProps {
  testId: string;
  value: string;
  onChange: (value: string) => void;
  label: string;
  maxLength?: number;
  type?: 'text' | 'password';
  multiline?: boolean;
  autoComplete?: string;
  autoFocus?: boolean;
  error?: string | undefined;
}

/** A text field for the settings dialogs and forms; native on phones so the test id is the input. */
export function TextInput(props: TextInputProps) {
  const layout = useLayoutKind();
  const {
    testId,
    value,
    onChange,
    label,
    maxLength,
    type = 'text',
    multiline,
    autoComplete,
    autoFocus,
    error,
  } = props;
  const common = {
    'data-testid': testId,
    value,
    maxLength,
    autoComplete,
    autoFocus,
    placeholder: label,
    'aria-label': label,
    'aria-invalid': error ? true : undefined,
  };
  const errorLine = error ? (
    <div className="zx-set-input-error" role="alert">
      {error}
    </div>
  ) : null;
  if (layout === 'mobile')
    return (
      <div className="zx-m-text">
        {multiline ? (
          <textarea
            {...common}
            rows={3}
            className="zx-m-text-input"
            onChange={(e) => onChange(e.target.value)}
          />
        ) : (
          <input
            {...common}
            type={type}
            className="zx-m-text-input"
            onChange={(e) => onChange(e.target.value)}
          />
        )}
        {maxLength !== undefined && (
          <div className="zx-m-text-count">
            {Array.from(value).length}/{maxLength}
          </div>
        )}
        {errorLine}
      </div>
    );
  const status = error ? ('error' as const) : undefined;
  return (
    <div className="zx-set-input">
      {multiline ? (
        <Input.TextArea
          {...common}
          status={status}
          showCount={maxLength !== undefined}
          autoSize={{ minRows: 2, maxRows: 5 }}
          onChange={(e) => onChange(e.target.value)}
        />
      ) : type === 'password' ? (
        <Input.Password {...common} status={status} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <Input
          {...common}
          status={status}
          showCount={maxLength !== undefined}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {errorLine}
    </div>
  );
}
