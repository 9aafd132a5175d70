// Placeholder until its feature lands.
export default function AuthRoutes() {
  return null;
}
