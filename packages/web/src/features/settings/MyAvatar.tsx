import { useSession } from '../../app/session.ts';
import { Avatar } from '../../components/UserAvatar.tsx';

/** My own avatar, from the session (so a new one shows everywhere at once). */
export function MyAvatar({ size, shape }: { size: number; shape?: 'circle' | 'square' }) {
  const me = useSession((s) => s.me);
  if (!me) return null;
  return <Avatar imageId={me.avatarFileId} name={me.nickname} colorKey={me.id} size={size} shape={shape} />;
}
