import { describe, expect, it } from 'vitest';
import { defaultGroupTitle, MAX_GROUP_TITLE } from './groupTitle.ts';

describe('defaultGroupTitle', () => {
  it('joins the names with the Chinese list comma', () => {
    expect(defaultGroupTitle(['我', '张三', '李四'])).toBe('我、张三、李四');
  });

  it('stops before the title would exceed the server limit', () => {
    const names = Array.from({ length: 40 }, (_, i) => `成员${i}`);
    const title = defaultGroupTitle(names);
    expect(Array.from(title).length).toBeLessThanOrEqual(MAX_GROUP_TITLE);
    expect(title.startsWith('成员0、成员1')).toBe(true);
    expect(title.endsWith('、')).toBe(false);
  });

  it('cuts a single over-long name', () => {
    expect(Array.from(defaultGroupTitle(['长'.repeat(100)])).length).toBe(MAX_GROUP_TITLE);
  });
});
