import type { SmsPurpose } from '@zhixin/sdk';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorText } from './useErrorText.ts';
import { useSmsSender, type SmsSender } from './useSmsSender.ts';
import { checkPhone, validateAll, type Check } from './validate.ts';

export interface AuthForm<F extends string> {
  values: Record<F, string>;
  /** The change handler of one field (also clears its error). */
  set: (field: F) => (value: string) => void;
  /** The field's problem in words, if any. */
  shown: (field: F) => string | undefined;
  formError: string | null;
  submitting: boolean;
  sender: SmsSender;
  /** Check the phone field and ask for a code; a refusal shows as the form's error. */
  sendCode: () => void;
  /** A submit handler: run the checks, then the action; its failure shows as the form's error. */
  onSubmit: (checks: Partial<Record<F, Check>>, action: () => Promise<void>) => (e: FormEvent) => void;
  clearErrors: () => void;
}

/** The state every sign-in form shares: values, field errors, the server's answer, the code button. */
export function useAuthForm<F extends string>(
  initial: Record<F, string>,
  phoneField: NoInfer<F>,
  purpose: SmsPurpose,
): AuthForm<F> {
  const { t } = useTranslation('auth');
  const errorText = useErrorText();
  const sender = useSmsSender(purpose);
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Partial<Record<F, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const set = (field: F) => (value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  };
  const shown = (field: F) => {
    const key: string | undefined = errors[field];
    return key ? t(`invalid.${key}`) : undefined;
  };

  const sendCode = () => {
    const problem = checkPhone(values[phoneField]);
    if (problem) {
      setErrors((e) => ({ ...e, [phoneField]: problem }));
      return;
    }
    setFormError(null);
    void sender.send(values[phoneField]).then((failure) => {
      if (failure) setFormError(errorText(failure));
    });
  };

  const onSubmit = (checks: Partial<Record<F, Check>>, action: () => Promise<void>) => (e: FormEvent) => {
    e.preventDefault();
    if (submitting) return;
    const found = validateAll(values, checks);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setSubmitting(true);
    setFormError(null);
    action().then(
      // On success the screen is left (signed in, or back to login); nothing more to show here.
      () => undefined,
      (err: unknown) => {
        setFormError(errorText(err));
        setSubmitting(false);
      },
    );
  };

  const clearErrors = () => {
    setErrors({});
    setFormError(null);
  };

  return { values, set, shown, formError, submitting, sender, sendCode, onSubmit, clearErrors };
}
