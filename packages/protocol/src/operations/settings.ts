import { Type } from 'typebox';
import * as S from '../settings.ts';
import { op } from './op.ts';

const Empty = Type.Object({});

/** Per-user preferences, images and the operator's client settings. */
export const SettingsOperations = {
  'users.preferences': op({
    method: 'GET',
    path: '/me/preferences',
    request: Empty,
    response: S.Preferences,
    access: 'user',
    ws: true,
    summary: 'My client preferences (font size, language, notifications)',
    tag: 'users',
  }),
  'users.updatePreferences': op({
    method: 'PATCH',
    path: '/me/preferences',
    request: S.PreferencesPatch,
    response: S.Preferences,
    access: 'user',
    ws: true,
    summary: 'Change some of my preferences; they sync to my devices',
    tag: 'users',
  }),
  'images.upload': op({
    method: 'POST',
    path: '/images',
    request: S.ImageUploadBody,
    response: S.ImageRef,
    access: 'user',
    ws: false,
    summary: 'Upload a PNG, JPEG or WebP image of at most 512 KiB (e.g. an avatar)',
    tag: 'images',
  }),
  'settings.client': op({
    method: 'GET',
    path: '/settings/client',
    request: Empty,
    response: S.ClientSettings,
    access: 'public',
    ws: false,
    summary: 'What every client shows before sign-in: product name, launch and welcome pages',
    tag: 'settings',
  }),
  'settings.updateClient': op({
    method: 'PATCH',
    path: '/settings/client',
    request: S.ClientSettingsPatch,
    response: S.ClientSettings,
    access: 'admin',
    ws: false,
    summary: 'Change the client settings (administrators)',
    tag: 'settings',
  }),
} as const;
