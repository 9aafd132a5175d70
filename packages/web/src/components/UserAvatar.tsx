import { useProfile } from '../data/people.ts';
import './user-avatar.css';

const COLORS = ['#1677ff', '#13c2c2', '#52c41a', '#fa8c16', '#eb2f96', '#722ed1', '#2f54eb', '#fa541c'];

/** Where an uploaded image is served (avatars, launch and welcome images). */
export function imageSrc(imageId: string): string {
  return `/api/v1/images/${encodeURIComponent(imageId)}`;
}

function colorOf(key: string): string {
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) | 0;
  return COLORS[Math.abs(hash) % COLORS.length] as string;
}

interface AvatarProps {
  /** The image to show, if any. */
  imageId: string | null | undefined;
  /** The name whose first character stands in when there is no image. */
  name: string;
  /** Colours the stand-in; use the user or conversation id so it stays stable. */
  colorKey: string;
  size?: number;
  shape?: 'circle' | 'square';
}

/** A picture, or the first character of the name on a stable colour. Works in both layouts. */
export function Avatar({ imageId, name, colorKey, size = 40, shape = 'square' }: AvatarProps) {
  const style = {
    width: size,
    height: size,
    borderRadius: shape === 'circle' ? '50%' : Math.round(size / 8),
  };
  if (imageId)
    return <img className="zx-avatar" style={style} src={imageSrc(imageId)} alt={name} draggable={false} />;
  return (
    <span
      className="zx-avatar zx-avatar-initial"
      style={{ ...style, background: colorOf(colorKey), fontSize: Math.round(size * 0.42) }}
      aria-label={name}
    >
      {Array.from(name.trim())[0]?.toUpperCase() ?? '?'}
    </span>
  );
}

/** A user's avatar, loading their profile when unknown. */
export function UserAvatar({
  userId,
  size,
  shape,
}: {
  userId: string;
  size?: number;
  shape?: 'circle' | 'square';
}) {
  const profile = useProfile(userId);
  return (
    <Avatar
      imageId={profile?.avatarFileId}
      name={profile?.nickname ?? ''}
      colorKey={userId}
      size={size}
      shape={shape}
    />
  );
}
