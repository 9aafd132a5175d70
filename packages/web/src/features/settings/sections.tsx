import {
  BellOutlined,
  DatabaseOutlined,
  InfoCircleOutlined,
  LockOutlined,
  StopOutlined,
  SafetyOutlined,
  SettingOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import { StorageSection } from '../files/settings/StorageSection.tsx';
import { AboutSection } from './AboutSection.tsx';
import { AccountSection } from './AccountSection.tsx';
import { BlockListSection } from './BlockListSection.tsx';
import { GeneralSection } from './GeneralSection.tsx';
import { NotificationsSection } from './NotificationsSection.tsx';
import { PrivacySection } from './PrivacySection.tsx';
import { ProfileSection } from './ProfileSection.tsx';

export type SectionKey =
  'profile' | 'account' | 'privacy' | 'blocked' | 'general' | 'notifications' | 'storage' | 'about';

export interface Section {
  key: SectionKey;
  icon: ReactNode;
  render: () => ReactNode;
}

/** The settings sections, in menu order; both layouts list them the same way. */
export const SECTIONS: readonly Section[] = [
  { key: 'profile', icon: <UserOutlined />, render: () => <ProfileSection /> },
  { key: 'account', icon: <SafetyOutlined />, render: () => <AccountSection /> },
  { key: 'privacy', icon: <LockOutlined />, render: () => <PrivacySection /> },
  { key: 'blocked', icon: <StopOutlined />, render: () => <BlockListSection /> },
  { key: 'general', icon: <SettingOutlined />, render: () => <GeneralSection /> },
  { key: 'notifications', icon: <BellOutlined />, render: () => <NotificationsSection /> },
  { key: 'storage', icon: <DatabaseOutlined />, render: () => <StorageSection /> },
  { key: 'about', icon: <InfoCircleOutlined />, render: () => <AboutSection /> },
];
