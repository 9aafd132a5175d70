/** Where moments live in the app (both layouts). */
export const MOMENTS_PATH = '/moments';

export function userPagePath(userId: string): string {
  return `${MOMENTS_PATH}/user/${encodeURIComponent(userId)}`;
}

export const INTERACTIONS_PATH = `${MOMENTS_PATH}/interactions`;

export function postPath(postId: string): string {
  return `${MOMENTS_PATH}/post/${encodeURIComponent(postId)}`;
}

export function searchPath(q = ''): string {
  return q ? `${MOMENTS_PATH}/search?q=${encodeURIComponent(q)}` : `${MOMENTS_PATH}/search`;
}
