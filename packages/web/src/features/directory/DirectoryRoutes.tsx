import { Route, Routes, useParams } from 'react-router';
import { DirectoryView } from './DirectoryView.tsx';

function DepartmentRoute() {
  const { departmentId = '' } = useParams();
  return <DirectoryView key={departmentId} departmentId={departmentId} />;
}

/** `/contacts/directory/*`: the root, then one screen per department (both layouts). */
export function DirectoryRoutes() {
  return (
    <Routes>
      <Route index element={<DirectoryView departmentId={null} />} />
      <Route path=":departmentId" element={<DepartmentRoute />} />
    </Routes>
  );
}
