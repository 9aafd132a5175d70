import { Type, type Static } from 'typebox';
import { Id, Password, Phone, SmsCode, Timestamp } from './common.ts';

export const SmsPurpose = Type.Union([
  Type.Literal('register'),
  Type.Literal('login'),
  Type.Literal('reset_password'),
]);
export type SmsPurpose = Static<typeof SmsPurpose>;

/** What the client says about the device it runs on; `deviceId` is stable per installation. */
export const DeviceInfo = Type.Object({
  deviceId: Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
  name: Type.String({ minLength: 1, maxLength: 64 }),
  platform: Type.Union([
    Type.Literal('web'),
    Type.Literal('desktop'),
    Type.Literal('ios'),
    Type.Literal('android'),
    Type.Literal('server'),
  ]),
});
export type DeviceInfo = Static<typeof DeviceInfo>;

export const SendSmsCodeBody = Type.Object({ phone: Phone, purpose: SmsPurpose });
export type SendSmsCodeBody = Static<typeof SendSmsCodeBody>;
export const SendSmsCodeResult = Type.Object({
  /** Seconds until another code may be requested for this phone. */
  retryAfterSeconds: Type.Integer(),
});
export type SendSmsCodeResult = Static<typeof SendSmsCodeResult>;

export const RegisterBody = Type.Object({
  phone: Phone,
  code: SmsCode,
  password: Password,
  nickname: Type.String({ minLength: 1, maxLength: 32 }),
  device: DeviceInfo,
});
export type RegisterBody = Static<typeof RegisterBody>;

export const PasswordLoginBody = Type.Object({ phone: Phone, password: Password, device: DeviceInfo });
export type PasswordLoginBody = Static<typeof PasswordLoginBody>;

export const SmsLoginBody = Type.Object({ phone: Phone, code: SmsCode, device: DeviceInfo });
export type SmsLoginBody = Static<typeof SmsLoginBody>;

export const ResetPasswordBody = Type.Object({ phone: Phone, code: SmsCode, password: Password });
export type ResetPasswordBody = Static<typeof ResetPasswordBody>;

export const ChangePasswordBody = Type.Object({ oldPassword: Password, newPassword: Password });
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;

export const RefreshBody = Type.Object({ refreshToken: Type.String({ minLength: 16, maxLength: 512 }) });
export type RefreshBody = Static<typeof RefreshBody>;

export const TokenPair = Type.Object({
  accessToken: Type.String(),
  /** Milliseconds since the epoch at which the access token stops working. */
  accessExpiresAt: Timestamp,
  refreshToken: Type.String(),
  refreshExpiresAt: Timestamp,
});
export type TokenPair = Static<typeof TokenPair>;

export const Session = Type.Object({
  userId: Id,
  /** The server's id for this login of this device. */
  sessionId: Id,
  tokens: TokenPair,
});
export type Session = Static<typeof Session>;

export const Device = Type.Object({
  sessionId: Id,
  deviceId: Type.String(),
  name: Type.String(),
  platform: Type.String(),
  createdAt: Timestamp,
  lastSeenAt: Timestamp,
  current: Type.Boolean(),
});
export type Device = Static<typeof Device>;

export const DeviceList = Type.Object({ devices: Type.Array(Device) });
export type DeviceList = Static<typeof DeviceList>;

export const SessionParams = Type.Object({ sessionId: Id });
export type SessionParams = Static<typeof SessionParams>;
