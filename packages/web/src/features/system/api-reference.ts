import type { OpenApiDocument } from '@zhixin/sdk';

/** One operation of the OpenAPI document, flattened for the reference page. */
export interface ApiEntry {
  key: string;
  method: string;
  path: string;
  operationId: string;
  summary: string;
  description: string;
  tag: string;
  parameters: { name: string; in: string; example: unknown }[];
  requestExample: unknown;
  responseExample: unknown;
}

export interface ApiGroup {
  tag: string;
  description: string;
  entries: ApiEntry[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head'];

interface MediaLike {
  example?: unknown;
}
interface OperationLike {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; example?: unknown }[];
  requestBody?: { content?: Record<string, MediaLike> };
  responses?: Record<string, { content?: Record<string, MediaLike> }>;
}

function firstExample(content: Record<string, MediaLike> | undefined): unknown {
  return Object.values(content ?? {}).find((m) => m.example !== undefined)?.example;
}

/** Every operation of the document, grouped by tag (sorted), each group by path then method. */
export function groupOperations(doc: OpenApiDocument): ApiGroup[] {
  const tagText = new Map<string, string>();
  for (const t of doc.tags ?? []) tagText.set(t.name, t.description ?? '');
  const groups = new Map<string, ApiEntry[]>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries((item ?? {}) as Record<string, OperationLike>)) {
      if (!METHODS.includes(method)) continue;
      const tag = raw.tags?.[0] ?? 'other';
      const entry: ApiEntry = {
        key: `${method} ${path}`,
        method: method.toUpperCase(),
        path,
        operationId: raw.operationId ?? '',
        summary: raw.summary ?? '',
        description: raw.description ?? '',
        tag,
        parameters: (raw.parameters ?? []).map((p) => ({ name: p.name, in: p.in, example: p.example })),
        requestExample: firstExample(raw.requestBody?.content),
        responseExample: firstExample(raw.responses?.['200']?.content),
      };
      groups.set(tag, [...(groups.get(tag) ?? []), entry]);
    }
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([tag, entries]) => ({
      tag,
      description: tagText.get(tag) ?? '',
      entries: entries.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method)),
    }));
}

/** Groups keeping only the entries whose path, operation id, summary or description contain `query`. */
export function filterGroups(groups: readonly ApiGroup[], query: string): ApiGroup[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...groups];
  return groups
    .map((g) => ({
      ...g,
      entries: g.entries.filter((e) =>
        [e.path, e.operationId, e.summary, e.description, e.method].some((s) => s.toLowerCase().includes(q)),
      ),
    }))
    .filter((g) => g.entries.length > 0);
}
