export function MyAvatar(_props: { size: number }) {
  return null;
}
