import { Navigate, Route, Routes } from 'react-router';
import { MomentsHome } from './feed/MomentsHome.tsx';
import { MomentViewer } from './feed/MomentViewer.tsx';
import { PostPage } from './feed/PostPage.tsx';
import { SearchPage } from './feed/SearchPage.tsx';
import { InteractionsPage } from './interactions/InteractionsPage.tsx';
import { useMomentsLiveUpdates } from './moments-live.ts';
import { UserPage } from './user/UserPage.tsx';
import './moments.css';

/** Moments (战友圈) under /moments, in both layouts: the feeds, a user's page, interactions, one post, search. */
export default function MomentsRoutes() {
  useMomentsLiveUpdates();
  return (
    <>
      <Routes>
        <Route index element={<MomentsHome />} />
        <Route path="user/:userId" element={<UserPage />} />
        <Route path="interactions" element={<InteractionsPage />} />
        <Route path="post/:postId" element={<PostPage />} />
        <Route path="search" element={<SearchPage />} />
        <Route path="*" element={<Navigate to="/moments" replace />} />
      </Routes>
      <MomentViewer />
    </>
  );
}
