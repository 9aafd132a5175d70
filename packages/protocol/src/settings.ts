import { Type, type Static } from 'typebox';
import { Id } from './common.ts';

/** One step of the client's font scale (R-U3). */
export const FontSize = Type.Union([
  Type.Literal('small'),
  Type.Literal('standard'),
  Type.Literal('large'),
  Type.Literal('xlarge'),
]);
export type FontSize = Static<typeof FontSize>;

export const Language = Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]);
export type Language = Static<typeof Language>;

export const NotificationPreferences = Type.Object({
  /** Show system notifications for new messages at all. */
  enabled: Type.Boolean(),
  /** Play a sound with each notification. */
  sound: Type.Boolean(),
  /** Include the sender and text in the notification; otherwise only "new message". */
  showPreview: Type.Boolean(),
});
export type NotificationPreferences = Static<typeof NotificationPreferences>;

/** A user's client preferences, kept on the account so every device of theirs agrees. */
export const Preferences = Type.Object({
  fontSize: FontSize,
  language: Language,
  notifications: NotificationPreferences,
});
export type Preferences = Static<typeof Preferences>;

export const PreferencesPatch = Type.Object(
  {
    fontSize: Type.Optional(FontSize),
    language: Type.Optional(Language),
    notifications: Type.Optional(Type.Partial(NotificationPreferences, { additionalProperties: false })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type PreferencesPatch = Static<typeof PreferencesPatch>;

/** An image the operator or a user uploaded for display, served at `GET /api/v1/images/{id}`. */
export const ImageMime = Type.Union([
  Type.Literal('image/png'),
  Type.Literal('image/jpeg'),
  Type.Literal('image/webp'),
]);
export type ImageMime = Static<typeof ImageMime>;

/** At most 512 KiB of image, base64-encoded (the client scales avatars down before sending). */
export const ImageUploadBody = Type.Object(
  {
    mime: ImageMime,
    dataBase64: Type.String({ minLength: 4, maxLength: Math.ceil((512 * 1024) / 3) * 4 }),
  },
  { additionalProperties: false },
);
export type ImageUploadBody = Static<typeof ImageUploadBody>;

export const ImageRef = Type.Object({ id: Id, url: Type.String() });
export type ImageRef = Static<typeof ImageRef>;

/** The launch (splash) page shown while the client starts (R-U4). */
export const LaunchPage = Type.Object({
  enabled: Type.Boolean(),
  imageId: Type.Union([Id, Type.Null()]),
  text: Type.String({ maxLength: 200 }),
  /** How long the launch page stays at least, in ms. */
  durationMs: Type.Integer({ minimum: 0, maximum: 10_000 }),
});
export type LaunchPage = Static<typeof LaunchPage>;

/** The welcome page shown on the sign-in screen (R-U4). */
export const WelcomePage = Type.Object({
  enabled: Type.Boolean(),
  imageId: Type.Union([Id, Type.Null()]),
  title: Type.String({ maxLength: 60 }),
  text: Type.String({ maxLength: 500 }),
});
export type WelcomePage = Static<typeof WelcomePage>;

/** Operator-set settings every client reads before sign-in. */
export const ClientSettings = Type.Object({
  /** The product name shown in the client (e.g. "致信"). */
  productName: Type.String({ minLength: 1, maxLength: 40 }),
  launch: LaunchPage,
  welcome: WelcomePage,
  /** Whether new users may register themselves. */
  registrationOpen: Type.Boolean(),
});
export type ClientSettings = Static<typeof ClientSettings>;

export const ClientSettingsPatch = Type.Object(
  {
    productName: Type.Optional(ClientSettings.properties.productName),
    launch: Type.Optional(Type.Partial(LaunchPage, { additionalProperties: false })),
    welcome: Type.Optional(Type.Partial(WelcomePage, { additionalProperties: false })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ClientSettingsPatch = Static<typeof ClientSettingsPatch>;
