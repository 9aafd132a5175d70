/** The longest group title the server takes. */
export const MAX_GROUP_TITLE = 64;

/**
 * A title for a group whose creator gave none: the first names, joined as Chinese lists are,
 * cut to what the server accepts. `['我', '张三', '李四']` → '我、张三、李四'.
 */
export function defaultGroupTitle(names: readonly string[], separator = '、'): string {
  let title = '';
  for (const name of names) {
    const next = title ? `${title}${separator}${name}` : name;
    if (Array.from(next).length > MAX_GROUP_TITLE) break;
    title = next;
  }
  return (
    title ||
    Array.from(names[0] ?? '')
      .slice(0, MAX_GROUP_TITLE)
      .join('')
  );
}
