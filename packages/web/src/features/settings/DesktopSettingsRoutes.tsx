// Placeholder until its feature lands.
export default function DesktopSettingsRoutes() {
  return null;
}
