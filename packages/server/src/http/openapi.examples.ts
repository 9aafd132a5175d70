/** A JSON Schema as TypeBox produces it (the subset examples are generated from). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  const?: unknown;
  enum?: unknown[];
  default?: unknown;
  examples?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  [key: string]: unknown;
}

/** Examples for the patterns the protocol uses (ids, phones, codes, handles). */
const BY_PATTERN: Record<string, string> = {
  '^[A-Za-z0-9_-]+$': '01JD3Q8Z5K7M9N2P4R6T8V0X1Y',
  '^(\\+86)?1[3-9][0-9]{9}$|^\\+[1-9][0-9]{6,14}$': '+8613800138000',
  '^[0-9]{6}$': '123456',
  '^[A-Za-z][A-Za-z0-9_-]{5,19}$': 'zhangsan01',
  '^[0-9a-f]{64}$': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
};

/** Examples by property name, so the reference reads like real use. */
const BY_NAME: Record<string, string> = {
  nickname: '张三',
  title: '项目组',
  text: '你好，明天十点开会',
  message: '我是产品部的王丽',
  remark: '王经理',
  name: '研发部',
  productName: '致信',
  password: 'correct horse battery',
  url: '/api/v1/images/01JD3Q8Z5K7M9N2P4R6T8V0X1Y',
  mime: 'image/png',
  department: '研发部',
  query: 'zhangsan01',
  phone: '+8613800138000',
  watermarkTemplate: '{nickname} {phoneTail}\n{date}',
  httpUrl: 'https://sms.example.com/send',
};

function stringExample(s: JsonSchema, name: string | undefined): string {
  if (s.pattern && BY_PATTERN[s.pattern] !== undefined) return BY_PATTERN[s.pattern] as string;
  if (s.format === 'binary') return '<bytes>';
  let text = (name && BY_NAME[name]) ?? (s.pattern ? 'value' : 'string');
  if (s.maxLength !== undefined && text.length > s.maxLength) text = text.slice(0, s.maxLength);
  while (s.minLength !== undefined && text.length < s.minLength) text += 'x';
  return text;
}

function numberExample(s: JsonSchema, name: string | undefined): number {
  if (name && /At$/.test(name)) return 1_767_225_600_000;
  const min = s.minimum ?? 0;
  const preferred = Math.max(min, 1);
  return s.maximum !== undefined ? Math.min(preferred, s.maximum) : preferred;
}

/** An example value that fits `schema`, built from its structure (bounded depth). */
export function exampleOf(schema: JsonSchema, name?: string, depth = 0): unknown {
  if (depth > 8) return null;
  if (schema.examples?.length) return schema.examples[0];
  if ('const' in schema) return schema.const;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum?.length) return schema.enum[0];
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) {
    const first = alternatives.find((a) => a.type !== 'null') ?? alternatives[0]!;
    return exampleOf(first, name, depth + 1);
  }
  if (schema.allOf?.length) {
    return Object.assign({}, ...schema.allOf.map((s) => exampleOf(s, name, depth + 1) as object));
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, prop] of Object.entries(schema.properties ?? {}))
        out[key] = exampleOf(prop, key, depth + 1);
      return out;
    }
    case 'array':
      return schema.items ? [exampleOf(schema.items, name, depth + 1)] : [];
    case 'string':
      return stringExample(schema, name);
    case 'integer':
    case 'number':
      return numberExample(schema, name);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return schema.properties ? exampleOf({ ...schema, type: 'object' }, name, depth) : null;
  }
}
