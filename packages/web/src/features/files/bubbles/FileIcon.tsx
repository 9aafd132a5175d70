import type { ReactNode } from 'react';
import {
  AudioOutlined,
  FileExcelOutlined,
  FileImageOutlined,
  FileOutlined,
  FilePdfOutlined,
  FilePptOutlined,
  FileTextOutlined,
  FileWordOutlined,
  FileZipOutlined,
  VideoCameraOutlined,
} from '@ant-design/icons';
import { fileIconKind, type FileIconKind } from '../format.ts';

const ICONS: Record<FileIconKind, { icon: ReactNode; color: string }> = {
  pdf: { icon: <FilePdfOutlined />, color: '#e5484d' },
  word: { icon: <FileWordOutlined />, color: '#2b6cd4' },
  excel: { icon: <FileExcelOutlined />, color: '#1e8e3e' },
  ppt: { icon: <FilePptOutlined />, color: '#d9730d' },
  zip: { icon: <FileZipOutlined />, color: '#8a6d3b' },
  image: { icon: <FileImageOutlined />, color: '#7c4dff' },
  video: { icon: <VideoCameraOutlined />, color: '#0f9d9a' },
  audio: { icon: <AudioOutlined />, color: '#c2185b' },
  text: { icon: <FileTextOutlined />, color: '#5f6b7a' },
  other: { icon: <FileOutlined />, color: '#8c8c8c' },
};

/** A file's icon by type (extension first, then MIME). */
export function FileIcon({ name, mime }: { name: string; mime: string }) {
  const kind = fileIconKind(name, mime);
  const { icon, color } = ICONS[kind];
  return (
    <span className="zx-file-icon" style={{ color }} data-icon={kind} aria-hidden>
      {icon}
    </span>
  );
}
