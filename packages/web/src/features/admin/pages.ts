import type { Access } from '@zhixin/protocol';
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

/** One page of the admin console: its menu entry and its screen (a lazily loaded default export). */
export interface AdminPage {
  /** The path under /admin, e.g. 'feedback' → /admin/feedback. */
  path: string;
  /** A key of the `admin` i18n namespace for the menu label. */
  labelKey: string;
  /** Who may use the page: the access of the operations it calls (the menu hides it from others). */
  access: Exclude<Access, 'public' | 'user'>;
  Screen: LazyExoticComponent<ComponentType>;
}

/**
 * The pages of the admin console, in menu order. Each feature that gives operators something to do
 * adds its page here (one entry, its screen in its own feature folder).
 */
export const ADMIN_PAGES: AdminPage[] = [
  {
    path: 'dashboard',
    access: 'operator',
    labelKey: 'menu.dashboard',
    Screen: lazy(() => import('../stats/StatsDashboard.tsx')),
  },
  {
    path: 'users',
    access: 'operator',
    labelKey: 'menu.users',
    Screen: lazy(() => import('../admin-users/UsersAdmin.tsx')),
  },
  {
    path: 'all-groups',
    access: 'operator',
    labelKey: 'menu.allGroups',
    Screen: lazy(() => import('../admin-users/GroupsAdmin.tsx')),
  },
  {
    path: 'license',
    access: 'operator',
    labelKey: 'menu.license',
    Screen: lazy(() => import('../admin-users/LicenseAdmin.tsx')),
  },
  {
    path: 'directory',
    access: 'admin',
    labelKey: 'menu.directory',
    Screen: lazy(() => import('../directory/admin/DirectoryAdmin.tsx')),
  },
  {
    path: 'broadcast',
    access: 'admin',
    labelKey: 'menu.broadcast',
    Screen: lazy(() => import('../opsaccount/admin/BroadcastAdmin.tsx')),
  },
  {
    path: 'feedback',
    access: 'admin',
    labelKey: 'menu.feedback',
    Screen: lazy(() => import('../opsaccount/admin/FeedbackAdmin.tsx')),
  },
  {
    path: 'groups',
    access: 'admin',
    labelKey: 'menu.groups',
    Screen: lazy(() => import('../contacts/groups/admin/TemporaryGroupsAdmin.tsx')),
  },
  {
    path: 'files',
    access: 'operator',
    labelKey: 'menu.files',
    Screen: lazy(() => import('../files/admin/FilesSettingsAdmin.tsx')),
  },
  {
    path: 'evidence',
    access: 'auditor',
    labelKey: 'menu.evidence',
    Screen: lazy(() => import('../files/admin/EvidenceAdmin.tsx')),
  },
  {
    path: 'moments',
    access: 'operator',
    labelKey: 'menu.moments',
    Screen: lazy(() => import('../moments/admin/MomentReportsAdmin.tsx')),
  },
  {
    path: 'settings',
    access: 'operator',
    labelKey: 'menu.settings',
    Screen: lazy(() => import('../system/SystemSettingsAdmin.tsx')),
  },
  {
    path: 'exports',
    access: 'operator',
    labelKey: 'menu.exports',
    Screen: lazy(() => import('../system/ExportsAdmin.tsx')),
  },
  {
    path: 'api',
    access: 'operator',
    labelKey: 'menu.api',
    Screen: lazy(() => import('../system/ApiReferenceAdmin.tsx')),
  },
];
