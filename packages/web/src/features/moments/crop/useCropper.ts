import { useEffect, useState } from 'react';
import {
  initialCrop,
  moveCrop,
  resizeCrop,
  rotateClockwise,
  rotatedSize,
  type Corner,
  type CropRatio,
  type Rect,
  type Rotation,
  type Size,
} from './crop-math.ts';
import { decodeImage, renderCrop } from './render-crop.ts';

export interface CropperState {
  image: ImageBitmap | null;
  failed: boolean;
  rotation: Rotation;
  ratio: CropRatio;
  /** In pixels of the rotated picture. */
  crop: Rect;
  bounds: Size;
  setRatio(ratio: CropRatio): void;
  rotate(): void;
  reset(): void;
  move(dx: number, dy: number): void;
  resize(corner: Corner, dx: number, dy: number): void;
  /** The cropped picture as a file. */
  render(): Promise<File>;
}

const NO_RECT: Rect = { x: 0, y: 0, width: 0, height: 0 };

/** The state of one cropping session over `file`: decoding, ratio, rotation, the crop rectangle. */
export function useCropper(file: File): CropperState {
  const [image, setImage] = useState<ImageBitmap | null>(null);
  const [failed, setFailed] = useState(false);
  const [rotation, setRotation] = useState<Rotation>(0);
  const [ratio, setRatioState] = useState<CropRatio>('free');
  const [crop, setCrop] = useState<Rect>(NO_RECT);

  useEffect(() => {
    let live = true;
    let decoded: ImageBitmap | null = null;
    decodeImage(file)
      .then((bitmap) => {
        decoded = bitmap;
        if (!live) return bitmap.close();
        setImage(bitmap);
        setCrop(initialCrop(bitmap, 'free'));
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
      decoded?.close();
    };
  }, [file]);

  const bounds = image ? rotatedSize(image, rotation) : { width: 0, height: 0 };
  const setRatio = (next: CropRatio) => {
    setRatioState(next);
    setCrop(initialCrop(bounds, next));
  };
  const rotate = () => {
    if (!image) return;
    const next = rotateClockwise(rotation);
    setRotation(next);
    setCrop(initialCrop(rotatedSize(image, next), ratio));
  };
  const reset = () => {
    if (!image) return;
    setRotation(0);
    setRatioState('free');
    setCrop(initialCrop(rotatedSize(image, 0), 'free'));
  };
  return {
    image,
    failed,
    rotation,
    ratio,
    crop,
    bounds,
    setRatio,
    rotate,
    reset,
    move: (dx, dy) => setCrop((c) => moveCrop(c, dx, dy, bounds)),
    resize: (corner, dx, dy) => setCrop((c) => resizeCrop(c, corner, dx, dy, bounds, ratio)),
    render: () => {
      if (!image) return Promise.reject(new Error('image not decoded'));
      return renderCrop(image, rotation, crop, ratio, { name: file.name, type: file.type });
    },
  };
}
