// Placeholder until its feature lands.
export default function MobileChatsRoutes() {
  return null;
}
