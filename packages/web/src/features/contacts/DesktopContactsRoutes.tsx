import { TeamOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useParams } from 'react-router';
import { DirectoryRoutes } from '../directory/DirectoryRoutes.tsx';
import { FriendRequestsView } from '../friends/FriendRequestsView.tsx';
import { AddContactView } from './AddContactView.tsx';
import { GroupListView } from './groups/GroupListView.tsx';
import { JoinGroupView } from './groups/JoinGroupView.tsx';
import { NewGroupView } from './groups/NewGroupView.tsx';
import { ContactListPane } from './list/ContactListPane.tsx';
import { ProfileView } from './profile/ProfileView.tsx';
import './contacts.css';
import './contacts-detail.css';

function ProfileRoute() {
  const { userId = '' } = useParams();
  return <ProfileView key={userId} userId={userId} />;
}

function NothingSelected() {
  const { t } = useTranslation('contacts');
  return (
    <div className="zx-ct-placeholder">
      <TeamOutlined className="zx-ct-placeholder-icon" />
      <p>{t('selectHint')}</p>
    </div>
  );
}

/** Contacts on the desktop: the list pane on the left, the chosen screen on the right. */
export default function DesktopContactsRoutes() {
  return (
    <div className="zx-panes">
      <ContactListPane />
      <section className="zx-main-pane">
        <Routes>
          <Route index element={<NothingSelected />} />
          <Route path="add" element={<AddContactView />} />
          <Route path="requests" element={<FriendRequestsView />} />
          <Route path="groups" element={<GroupListView />} />
          <Route path="directory/*" element={<DirectoryRoutes />} />
          <Route path="new-group" element={<NewGroupView />} />
          <Route path="join-group" element={<JoinGroupView />} />
          <Route path=":userId" element={<ProfileRoute />} />
          <Route path="*" element={<Navigate to="/contacts" replace />} />
        </Routes>
      </section>
    </div>
  );
}
