import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

interface QrCodeProps {
  /** The text to encode (e.g. a security code). */
  text: string;
  /** Width and height in CSS pixels. */
  size?: number;
  testId?: string;
  /** Read by screen readers. */
  label?: string;
}

/**
 * A QR code drawn from text. The element carries the text in `data-code`, so tests and assistive
 * tools need not decode pixels. Medium error correction survives a screenshot or a phone camera.
 */
export function QrCode({ text, size = 200, testId, label }: QrCodeProps) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    // Drawn at twice the size, so it stays sharp on high-density screens.
    QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, width: size * 2 })
      .then((url) => live && setSrc(url))
      .catch(() => live && setSrc(null));
    return () => {
      live = false;
    };
  }, [text, size]);
  return (
    <div
      className="zx-qr"
      data-testid={testId}
      data-code={text}
      role="img"
      aria-label={label}
      style={{ width: size, height: size }}
    >
      {src && <img src={src} alt="" width={size} height={size} draggable={false} />}
    </div>
  );
}
