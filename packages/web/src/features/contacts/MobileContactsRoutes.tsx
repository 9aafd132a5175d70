// Placeholder until its feature lands.
export default function MobileContactsRoutes() {
  return null;
}
