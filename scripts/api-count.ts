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
  /** Methods without a TSDoc comment (the SDK documents every public method). */
  undocumented: string[];
  /** Methods whose TSDoc has an `@example`. */
  withExample: string[];
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
      const members = node.members.filter(isPublicMethod);
      // An overloaded method counts once; its documentation may sit on any of its signatures.
      const docs = new Map<string, string>();
      for (const m of members) {
        const name = m.name.getText(source);
        const text = ts
          .getJSDocCommentsAndTags(m)
          .map((d) => d.getText(source))
          .join('\n');
        docs.set(name, `${docs.get(name) ?? ''}${text}`);
      }
      const methods = [...docs.keys()];
      out.push({
        className: node.name.text,
        file: file.slice(ROOT.length),
        methods,
        undocumented: methods.filter((m) => !docs.get(m)),
        withExample: methods.filter((m) => docs.get(m)?.includes('@example')),
      });
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
  /** `Class.method` of every counted SDK method without TSDoc (should be none). */
  sdkUndocumented: string[];
  sdkWithExample: number;
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
    sdkUndocumented: classes.flatMap((c) => c.undocumented.map((m) => `${c.className}.${m}`)),
    sdkWithExample: classes.reduce((n, c) => n + c.withExample.length, 0),
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
  console.log(
    `  documented (TSDoc):  ${c.sdkMethods - c.sdkUndocumented.length}, of them with @example: ${c.sdkWithExample}` +
      (c.sdkUndocumented.length > 0 ? `; undocumented: ${c.sdkUndocumented.join(', ')}` : ''),
  );
  console.log(`Total kinds of API:   ${c.total} (the spec asks for at least 300)`);
  console.log(JSON.stringify(c));
}
