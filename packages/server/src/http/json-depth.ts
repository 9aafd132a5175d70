/**
 * Deepest nesting of objects and arrays any request needs (message content, settings and import
 * bodies stay under 8); the validators recurse, so a JSON bomb of 20,000 nested arrays would
 * overflow their stack and answer 500 instead of a typed error.
 */
export const MAX_JSON_DEPTH = 32;

/** Whether objects and arrays nest deeper than `max` levels. Iterative, so it cannot overflow itself. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<{ v: unknown; depth: number }> = [{ v: value, depth: 1 }];
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push({ v: child, depth: depth + 1 });
  }
  return false;
}
