import type { MessageContent } from '@zhixin/sdk';

export type ImageMessageContent = Extract<MessageContent, { kind: 'image' }>;
export type VideoMessageContent = Extract<MessageContent, { kind: 'video' }>;
export type FileMessageContent = Extract<MessageContent, { kind: 'file' }>;
export type VoiceMessageContent = Extract<MessageContent, { kind: 'voice' }>;
/** The contents that carry a file. */
export type MediaContent =
  ImageMessageContent | VideoMessageContent | FileMessageContent | VoiceMessageContent;
