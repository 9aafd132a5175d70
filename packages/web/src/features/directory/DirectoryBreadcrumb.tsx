import type { Department } from '@zhixin/protocol';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** 组织架构 › 总部 › 研发中心: every step but the last leads back up. */
export function DirectoryBreadcrumb({ path }: { path: readonly Department[] }) {
  const { t } = useTranslation('directory');
  const steps = [{ id: '', name: t('root') }, ...path.map((d) => ({ id: d.id, name: d.name }))];
  return (
    <nav className="zx-dir-crumbs" data-testid="directory-breadcrumb" aria-label={t('title')}>
      {steps.map((step, i) => (
        <Fragment key={step.id || 'root'}>
          {i > 0 && <span className="zx-dir-crumb-sep">›</span>}
          {i === steps.length - 1 ? (
            <span className="zx-dir-crumb zx-dir-crumb-current">{step.name}</span>
          ) : (
            <Link
              className="zx-dir-crumb"
              to={step.id ? `/contacts/directory/${step.id}` : '/contacts/directory'}
              data-department-id={step.id}
            >
              {step.name}
            </Link>
          )}
        </Fragment>
      ))}
    </nav>
  );
}
