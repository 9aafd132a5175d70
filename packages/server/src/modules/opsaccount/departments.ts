import type { DirectoryService } from '../directory/index.ts';
import type { DepartmentMembers } from './broadcast.runner.ts';

/** Department targeting through the directory: every active member of the department and below. */
export function departmentsFromDirectory(directory: Pick<DirectoryService, 'members'>): DepartmentMembers {
  return {
    async memberIds(departmentId) {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await directory.members({
          departmentId,
          recursive: true,
          limit: 200,
          ...(cursor ? { cursor } : {}),
        });
        for (const m of page.members) ids.push(m.profile.id);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return ids;
    },
  };
}
