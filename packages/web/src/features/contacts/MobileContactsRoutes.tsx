import { Navigate, Route, Routes, useParams } from 'react-router';
import { DirectoryRoutes } from '../directory/DirectoryRoutes.tsx';
import { FriendRequestsView } from '../friends/FriendRequestsView.tsx';
import { AddContactView } from './AddContactView.tsx';
import { GroupListView } from './groups/GroupListView.tsx';
import { JoinGroupView } from './groups/JoinGroupView.tsx';
import { NewGroupView } from './groups/NewGroupView.tsx';
import { MobileContactList } from './list/MobileContactList.tsx';
import { ProfileView } from './profile/ProfileView.tsx';
import './contacts.css';
import './contacts-detail.css';

function ProfileRoute() {
  const { userId = '' } = useParams();
  return <ProfileView key={userId} userId={userId} />;
}

/** Contacts on a phone: the list is the tab's screen; every other screen takes the whole screen. */
export default function MobileContactsRoutes() {
  return (
    <Routes>
      <Route index element={<MobileContactList />} />
      <Route path="add" element={<AddContactView />} />
      <Route path="requests" element={<FriendRequestsView />} />
      <Route path="groups" element={<GroupListView />} />
      <Route path="directory/*" element={<DirectoryRoutes />} />
      <Route path="new-group" element={<NewGroupView />} />
      <Route path="join-group" element={<JoinGroupView />} />
      <Route path=":userId" element={<ProfileRoute />} />
      <Route path="*" element={<Navigate to="/contacts" replace />} />
    </Routes>
  );
}
