/** Sends one-time codes by SMS. Implementations throw AppError UNAVAILABLE when the carrier fails. */
export interface SmsProvider {
  /** `phone` is E.164 (`+8613800138000`); `purpose` is an SmsPurpose (register, login, reset_password). */
  send(phone: string, code: string, purpose: string): Promise<void>;
}
