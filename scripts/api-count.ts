/**
 * `npm run api:count`: how many kinds of API the platform offers (R-X9 asks for at least 300):
 * REST operations (the operations table plus the plain HTTP routes), WebSocket operations, and the
 * public methods of the SDK (`ZhixinClient` and its managers), read from the SDK's source with the
 * TypeScript compiler so private helpers are not counted. Prints a summary, then one JSON line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { Operations } from '../packages/protocol/src/index.ts';
import { PLAIN_ROUTES } from '../packages/server/src/http/openapi.plain.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SDK = join(ROOT, 'packages/sdk/src');

export interface SdkClassCount {
  className: string;
  file: string;
  methods: string[];
}

function isPublicMethod(member: ts.ClassElement): member is ts.MethodDeclaration {
  if (!ts.isMethodDeclaration(member)) return false;
  if (ts.isPrivateIdentifier(member.name)) return false;
  const mods = ts.getModifiers(member) ?? [];
  return !mods.some(
    (m) =>
      m.kind === ts.SyntaxKind.PrivateKeyword ||
      m.kind === ts.SyntaxKind.ProtectedKeyword ||
      m.kind === ts.SyntaxKind.StaticKeyword,
  );
}

/** Public instance methods of every exported class in the given SDK files. */
export function sdkMethods(files: readonly string[]): SdkClassCount[] {
  const out: SdkClassCount[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    source.forEachChild((node) => {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const exported = (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      if (!exported) return;
      const methods = node.members.filter(isPublicMethod).map((m) => m.name.getText(source));
      out.push({ className: node.name.text, file: file.slice(ROOT.length), methods: [...new Set(methods)] });
    });
  }
  return out;
}

export interface ApiCount {
  restOperations: number;
  plainRoutes: number;
  rest: number;
  wsOperations: number;
  sdkMethods: number;
  total: number;
  sdkClasses: Record<string, number>;
}

export function countApis(): ApiCount {
  const ops = Object.values(Operations);
  // The exports route serves five files; it is one route with a path parameter, counted once.
  const plainRoutes =
    Object.values(PLAIN_ROUTES).reduce((n, methods) => n + Object.keys(methods).length, 0) + 1;
  const managers = readdirSync(join(SDK, 'managers'))
    .filter((f) => f.endsWith('-manager.ts'))
    .map((f) => join(SDK, 'managers', f));
  const classes = sdkMethods([join(SDK, 'client.ts'), ...managers]).filter(
    (c) => c.className === 'ZhixinClient' || c.className.endsWith('Manager'),
  );
  const sdk = classes.reduce((n, c) => n + c.methods.length, 0);
  const rest = ops.length + plainRoutes;
  const ws = ops.filter((o) => o.ws).length;
  return {
    restOperations: ops.length,
    plainRoutes,
    rest,
    wsOperations: ws,
    sdkMethods: sdk,
    total: rest + ws + sdk,
    sdkClasses: Object.fromEntries(classes.map((c) => [c.className, c.methods.length])),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const c = countApis();
  console.log(
    `REST operations:      ${c.rest} (${c.restOperations} in the operations table + ${c.plainRoutes} plain routes)`,
  );
  console.log(`WebSocket operations: ${c.wsOperations} (the same operations, also over /ws)`);
  console.log(`SDK public methods:   ${c.sdkMethods} (${Object.keys(c.sdkClasses).length} classes)`);
  console.log(`Total kinds of API:   ${c.total} (the spec asks for at least 300)`);
  console.log(JSON.stringify(c));
}
