// Placeholder until its feature lands.
export default function MobileMeRoutes() {
  return null;
}
