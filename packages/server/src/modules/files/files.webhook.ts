/** The facts an inspection webhook receives about a completed upload. */
export interface InspectionFacts {
  fileId: string;
  sha256: string;
  name: string;
  size: number;
  mime: string;
  ownerId: string;
  conversationId: string | null;
}

export type InspectionVerdict = { allow: true } | { allow: false; reason: string };

export class InspectionUnavailable extends Error {}

/**
 * Ask the external inspection system about a file: POST the facts as JSON; an answer
 * `{"allow": false, "reason": "..."}` refuses it, any other 2xx answer lets it through. An
 * unreachable system, a non-2xx answer or a timeout is InspectionUnavailable (the file is refused:
 * supervision that silently stops supervising is worse than a refused file).
 */
export async function inspectUpload(
  url: string,
  facts: InspectionFacts,
  timeoutMs: number,
): Promise<InspectionVerdict> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(facts),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new InspectionUnavailable(err instanceof Error ? err.message : String(err));
  }
  if (!res.ok) throw new InspectionUnavailable(`answered ${res.status}`);
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  const verdict = body as { allow?: unknown; reason?: unknown } | null;
  if (verdict && verdict.allow === false) {
    return {
      allow: false,
      reason: typeof verdict.reason === 'string' ? verdict.reason.slice(0, 200) : 'refused',
    };
  }
  return { allow: true };
}
