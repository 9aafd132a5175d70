let myId: string | null = null;

/** The signed-in user's id, as the data layer knows it (set by startDataLayer). */
export function myUserId(): string {
  if (!myId) throw new Error('the data layer is not started');
  return myId;
}

export function setMyUserId(id: string | null): void {
  myId = id;
}

/** Whether a user id is the signed-in user's (false while signed out). */
export function isMe(userId: string): boolean {
  return userId === myId;
}
