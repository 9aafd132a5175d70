import { List, NavBar } from 'antd-mobile';
import { FolderOutline, TeamOutline, VideoOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useNavigate } from 'react-router';
import { MomentsDiscoverItem } from '../moments/index.ts';
import { ScanEntryItem } from '../scan/ScanEntryItem.tsx';
import { ScanScreen } from '../scan/ScanScreen.tsx';
import { GroupListView } from './groups/GroupListView.tsx';
import { useFileTransfer } from './list/useFileTransfer.ts';
import './contacts.css';
import './contacts-detail.css';

/** The discover tab: only what works today (my groups, the file transfer assistant). */
function DiscoverHome() {
  const { t } = useTranslation('contacts');
  const navigate = useNavigate();
  const fileTransfer = useFileTransfer();
  return (
    <div className="zx-mobile-screen">
      <NavBar back={null} backIcon={false}>
        {t('discover.title')}
      </NavBar>
      <div className="zx-mobile-scroll zx-ct-m-body">
        <List className="zx-ct-m-discover">
          <MomentsDiscoverItem />
          <ScanEntryItem />
          <List.Item
            prefix={
              <span className="zx-ct-entry-icon zx-ct-entry-icon-m" style={{ background: '#07c160' }}>
                <TeamOutline />
              </span>
            }
            onClick={() => void navigate('/discover/groups')}
          >
            <span data-testid="group-list">{t('entries.groups')}</span>
          </List.Item>
          <List.Item
            prefix={
              <span className="zx-ct-entry-icon zx-ct-entry-icon-m" style={{ background: '#1677ff' }}>
                <FolderOutline />
              </span>
            }
            disabled={fileTransfer.opening}
            onClick={fileTransfer.open}
          >
            <span data-testid="file-transfer">{t('entries.fileTransfer')}</span>
          </List.Item>
          <List.Item
            prefix={
              <span className="zx-ct-entry-icon zx-ct-entry-icon-m" style={{ background: '#fa8c16' }}>
                <VideoOutline />
              </span>
            }
            onClick={() => void navigate('/meetings')}
          >
            <span data-testid="nav-meetings">{t('meetings:entry')}</span>
          </List.Item>
        </List>
      </div>
    </div>
  );
}

export default function MobileDiscoverRoutes() {
  return (
    <Routes>
      <Route index element={<DiscoverHome />} />
      <Route path="groups" element={<GroupListView backTo="/discover" />} />
      <Route path="scan" element={<ScanScreen backTo="/discover" />} />
      <Route path="*" element={<Navigate to="/discover" replace />} />
    </Routes>
  );
}
