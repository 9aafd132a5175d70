export function Watermark() {
  return null;
}
