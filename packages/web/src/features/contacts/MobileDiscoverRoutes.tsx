// Placeholder until its feature lands.
export default function MobileDiscoverRoutes() {
  return null;
}
