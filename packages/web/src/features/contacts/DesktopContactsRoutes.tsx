// Placeholder until its feature lands.
export default function DesktopContactsRoutes() {
  return null;
}
