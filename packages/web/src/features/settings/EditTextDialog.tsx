import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../auth/useErrorText.ts';
import { TextInput } from './inputs.tsx';
import { SettingsDialog, useNotice } from './ui.tsx';

interface Props {
  open: boolean;
  title: string;
  initial: string;
  maxLength: number;
  multiline?: boolean;
  inputTestId: string;
  /** A key of `settings:profile` when the value cannot be saved, else null. */
  problem: (value: string) => string | null;
  save: (value: string) => Promise<void>;
  onClose: () => void;
}

/** Edit one line of my profile (nickname, signature) in a dialog; saves with `profile-save`. */
export function EditTextDialog({
  open,
  title,
  initial,
  maxLength,
  multiline,
  inputTestId,
  problem,
  save,
  onClose,
}: Props) {
  const { t } = useTranslation('settings');
  const errorText = useErrorText();
  const notice = useNotice();
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (open) {
      setValue(initial);
      setError(null);
    }
  }, [open, initial]);

  const submit = async () => {
    const found = problem(value);
    if (found) return setError(t(`profile.${found}`, { max: maxLength }));
    setSaving(true);
    try {
      await save(value.trim());
      notice.success(t('saved'));
      onClose();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <SettingsDialog
      open={open}
      title={title}
      confirmText={t('save')}
      confirmTestId="profile-save"
      loading={saving}
      onConfirm={() => void submit()}
      onCancel={onClose}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <TextInput
          testId={inputTestId}
          label={title}
          value={value}
          onChange={(v) => {
            setValue(v);
            setError(null);
          }}
          maxLength={maxLength}
          multiline={multiline}
          autoFocus
          error={error ?? undefined}
        />
      </form>
    </SettingsDialog>
  );
}
