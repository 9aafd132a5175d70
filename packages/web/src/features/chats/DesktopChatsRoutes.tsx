// Placeholder until its feature lands.
export default function DesktopChatsRoutes() {
  return null;
}
