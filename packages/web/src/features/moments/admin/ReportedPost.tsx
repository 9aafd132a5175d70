import type { MomentReport } from '@zhixin/protocol';
import { Image, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatTime, timeLanguage } from '../../chats/lib/time.ts';
import { useMediaSrc } from '../media.ts';

function ReportedMedia({ fileId, kind }: { fileId: string; kind: 'image' | 'video' }) {
  const { t } = useTranslation('moments');
  const thumb = useMediaSrc({ fileId, variant: 'thumbnail' });
  const full = useMediaSrc(kind === 'image' ? { fileId } : null);
  if (thumb.status !== 'ready')
    return (
      <span className="zx-mo-report-media zx-mo-report-media-blank" data-state={thumb.status}>
        {thumb.status === 'error' ? t('admin.mediaUnavailable') : null}
      </span>
    );
  return (
    <Image
      className="zx-mo-report-media"
      width={88}
      height={88}
      src={thumb.src}
      alt={kind === 'video' ? t('admin.video') : ''}
      preview={full.status === 'ready' ? { src: full.src } : false}
    />
  );
}

/** The reported post as the operator reviews it: author, time, text, pictures. */
export function ReportedPost({ report }: { report: MomentReport }) {
  const { t, i18n } = useTranslation('moments');
  const post = report.post;
  return (
    <div className="zx-mo-report-post" data-testid="reported-post">
      <div className="zx-mo-report-meta">
        <strong>{post.author.nickname}</strong>
        <span>{formatTime(post.createdAt, Date.now(), timeLanguage(i18n.language))}</span>
        {post.gone && <Tag>{t('admin.gone')}</Tag>}
      </div>
      <Typography.Paragraph className="zx-mo-report-text">{post.text}</Typography.Paragraph>
      {post.media.length > 0 && (
        <div className="zx-mo-report-media-row">
          {post.media.map((m) => (
            <ReportedMedia key={m.fileId} fileId={m.fileId} kind={m.kind} />
          ))}
        </div>
      )}
    </div>
  );
}
