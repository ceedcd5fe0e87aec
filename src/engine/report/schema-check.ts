/**
 * A small JSON Schema (2020-12) checker for the keywords `schema/report.schema.json` uses, so
 * the app checks an imported report against the same schema the tests check exports with —
 * without shipping a general validator (ajv and its code generation) to the browser.
 *
 * Supported: type, enum, const, properties, required, additionalProperties, items,
 * prefixItems, minItems, maxItems, minimum, maximum, exclusiveMinimum, minLength, pattern,
 * format "date-time", anyOf, oneOf, $ref to "#/$defs/...", plus annotations. `unsupportedKeywords`
 * lists anything else a schema holds, and a test keeps that list empty: a keyword this file did
 * not know would otherwise be silently ignored.
 *
 * Messages name the path the way a user reads it (`processors[3].linesIn: expected a number`).
 */

export type Schema = { readonly [keyword: string]: unknown };

export interface SchemaIssue {
  /** `processors[3].linesIn`; "" for the value itself. */
  path: string;
  message: string;
}

const ANNOTATIONS = new Set(['$schema', '$id', '$comment', 'title', 'description', 'examples', 'default', '$defs']);
const CHECKED = new Set([
  'type', 'enum', 'const', 'properties', 'required', 'additionalProperties', 'items', 'prefixItems', 'minItems',
  'maxItems', 'minimum', 'maximum', 'exclusiveMinimum', 'minLength', 'pattern', 'format', 'anyOf', 'oneOf', '$ref',
]);
const FORMATS = new Set(['date-time']);

/** Keywords (and formats) of `schema` this checker would ignore, with where they are. */
export function unsupportedKeywords(schema: Schema): string[] {
  const out: string[] = [];
  const visit = (node: unknown, where: string): void => {
    if (typeof node === 'boolean') return;
    if (!isPlainObject(node)) return void out.push(`${where}: not a schema`);
    for (const [key, value] of Object.entries(node)) {
      if (key === '$defs' || key === 'properties') {
        for (const [name, sub] of Object.entries(value as object)) visit(sub, `${where}/${key}/${name}`);
      } else if (key === 'anyOf' || key === 'oneOf' || key === 'prefixItems') {
        (value as unknown[]).forEach((sub, i) => visit(sub, `${where}/${key}/${i}`));
      } else if (key === 'items' || key === 'additionalProperties') {
        visit(value, `${where}/${key}`);
      } else if (key === 'format' && !FORMATS.has(value as string)) {
        out.push(`${where}: format ${String(value)}`);
      } else if (key === '$ref' && !(typeof value === 'string' && value.startsWith('#/$defs/'))) {
        out.push(`${where}: $ref ${String(value)}`);
      } else if (!CHECKED.has(key) && !ANNOTATIONS.has(key)) {
        out.push(`${where}: ${key}`);
      }
    }
  };
  visit(schema, '#');
  return out;
}

/** The first `limit` ways `value` breaks `schema` (refs resolve against `root`); [] when it fits. */
export function checkSchema(value: unknown, schema: Schema, root: Schema = schema, limit = 10): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  new Checker(root, issues, limit).check(value, schema, '');
  return issues;
}

class Checker {
  private readonly patterns = new Map<string, RegExp>();

  constructor(
    private readonly root: Schema,
    private readonly issues: SchemaIssue[],
    private readonly limit: number,
  ) {}

  private get full(): boolean {
    return this.issues.length >= this.limit;
  }

  private fail(path: string, message: string): void {
    if (!this.full) this.issues.push({ path, message });
  }

  check(value: unknown, node: unknown, path: string): void {
    if (node === true || this.full) return;
    if (node === false) return this.fail(path, 'is not allowed here');
    const s = this.resolve(node as Schema);
    if (s.type !== undefined && !typeMatches(value, s.type as string | string[])) {
      return this.fail(path, `expected ${typeNouns(s.type as string | string[])} (got ${describe(value)})`);
    }
    if (s.const !== undefined && value !== s.const) return this.fail(path, `expected ${JSON.stringify(s.const)} (got ${describe(value)})`);
    if (s.enum !== undefined && !(s.enum as unknown[]).includes(value)) {
      return this.fail(path, `expected one of ${(s.enum as unknown[]).map((v) => JSON.stringify(v)).join(', ')} (got ${describe(value)})`);
    }
    if (s.anyOf !== undefined) this.alternatives(value, s.anyOf as Schema[], false, path);
    if (s.oneOf !== undefined) this.alternatives(value, s.oneOf as Schema[], true, path);
    if (typeof value === 'number') this.number(value, s, path);
    else if (typeof value === 'string') this.string(value, s, path);
    else if (Array.isArray(value)) this.array(value, s, path);
    else if (isPlainObject(value)) this.object(value, s, path);
  }

  private resolve(s: Schema): Schema {
    // Refs only point into $defs, and defs are not refs themselves in our schema; loop anyway.
    let node = s;
    for (let hops = 0; typeof node.$ref === 'string' && hops < 32; hops++) {
      const name = node.$ref.slice('#/$defs/'.length);
      const defs = this.root.$defs as Record<string, Schema> | undefined;
      if (!defs || !Object.hasOwn(defs, name)) throw new Error(`schema: unknown $ref ${node.$ref}`);
      node = defs[name];
    }
    return node;
  }

  private number(value: number, s: Schema, path: string): void {
    if (typeof s.minimum === 'number' && value < s.minimum) this.fail(path, `expected at least ${s.minimum} (got ${value})`);
    if (typeof s.maximum === 'number' && value > s.maximum) this.fail(path, `expected at most ${s.maximum} (got ${value})`);
    if (typeof s.exclusiveMinimum === 'number' && !(value > s.exclusiveMinimum)) this.fail(path, `expected more than ${s.exclusiveMinimum} (got ${value})`);
  }

  private string(value: string, s: Schema, path: string): void {
    if (typeof s.minLength === 'number' && [...value.slice(0, s.minLength * 2)].length < s.minLength) {
      this.fail(path, s.minLength === 1 ? 'expected a non-empty text' : `expected at least ${s.minLength} characters`);
    }
    if (s.format === 'date-time' && !isDateTime(value)) this.fail(path, `expected a date and time in ISO 8601 (got ${describe(value)})`);
    if (typeof s.pattern === 'string' && !this.regex(s.pattern).test(value)) this.fail(path, `is not in the expected form (got ${describe(value)})`);
  }

  private array(value: unknown[], s: Schema, path: string): void {
    if (typeof s.minItems === 'number' && value.length < s.minItems) this.fail(path, `expected at least ${s.minItems} items (got ${value.length})`);
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) this.fail(path, `expected at most ${s.maxItems} items (got ${value.length})`);
    const prefix = (s.prefixItems as Schema[] | undefined) ?? [];
    for (let i = 0; i < prefix.length && i < value.length; i++) this.check(value[i], prefix[i], `${path}[${i}]`);
    if (s.items === undefined) return;
    if (s.items === false && value.length > prefix.length) return this.fail(path, `expected at most ${prefix.length} items (got ${value.length})`);
    for (let i = prefix.length; i < value.length && !this.full; i++) this.check(value[i], s.items, `${path}[${i}]`);
  }

  private object(value: Record<string, unknown>, s: Schema, path: string): void {
    const properties = (s.properties as Record<string, Schema> | undefined) ?? {};
    for (const key of (s.required as string[] | undefined) ?? []) {
      if (!Object.hasOwn(value, key)) this.fail(join(path, key), 'missing');
    }
    for (const key of Object.keys(value)) {
      if (this.full) return;
      if (Object.hasOwn(properties, key)) this.check(value[key], properties[key], join(path, key));
      else if (s.additionalProperties !== undefined) this.check(value[key], s.additionalProperties, join(path, key));
    }
  }

  /**
   * anyOf / oneOf. Our alternatives differ by type (null or an object) or by a `const`
   * property (a trace policy's `mode`): the issues reported are those of the alternative the
   * value was meant to be, not "matches none of 3 schemas".
   */
  private alternatives(value: unknown, options: Schema[], exactlyOne: boolean, path: string): void {
    const resolved = options.map((o) => this.resolve(o));
    const fits = resolved.filter((o) => this.quietlyValid(value, o)).length;
    if (fits === 1 || (fits > 1 && !exactlyOne)) return;
    if (fits > 1) return this.fail(path, 'matches more than one of the allowed forms');
    const key = discriminator(resolved);
    if (key !== null && isPlainObject(value)) {
      const chosen = resolved.find((o) => (o.properties as Record<string, Schema>)[key].const === value[key]);
      if (chosen) return this.check(value, chosen, path);
      const consts = resolved.map((o) => JSON.stringify((o.properties as Record<string, Schema>)[key].const));
      return this.fail(join(path, key), `expected one of ${consts.join(', ')} (got ${describe(value[key])})`);
    }
    const sameType = resolved.filter((o) => this.couldBe(value, o));
    if (sameType.length === 1) return this.check(value, sameType[0], path);
    this.fail(path, `expected ${resolved.map(nounOf).join(' or ')} (got ${describe(value)})`);
  }

  /** Whether `value` is of a JSON type `s` allows (its details aside). */
  private couldBe(value: unknown, s: Schema): boolean {
    if (s.type !== undefined) return typeMatches(value, s.type as string | string[]);
    if (s.const !== undefined) return s.const === value;
    const options = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
    return options === undefined || options.some((o) => this.couldBe(value, this.resolve(o)));
  }

  private quietlyValid(value: unknown, s: Schema): boolean {
    const issues: SchemaIssue[] = [];
    new Checker(this.root, issues, 1).check(value, s, '');
    return issues.length === 0;
  }

  private regex(source: string): RegExp {
    let re = this.patterns.get(source);
    if (re === undefined) this.patterns.set(source, (re = new RegExp(source, 'u')));
    return re;
  }
}

/** A property that holds a `const` in every alternative, e.g. `mode`. */
function discriminator(options: Schema[]): string | null {
  const first = options[0]?.properties as Record<string, Schema> | undefined;
  if (!first) return null;
  for (const key of Object.keys(first)) {
    if (options.every((o) => (o.properties as Record<string, Schema> | undefined)?.[key]?.const !== undefined)) return key;
  }
  return null;
}

function nounOf(s: Schema): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.type !== undefined) return typeNouns(s.type as string | string[]);
  return 'another form';
}

const NOUNS: Record<string, string> = {
  object: 'an object',
  array: 'a list',
  string: 'a text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  null: 'null',
};

function typeNouns(type: string | string[]): string {
  return (Array.isArray(type) ? type : [type]).map((t) => NOUNS[t] ?? t).join(' or ');
}

function typeMatches(value: unknown, type: string | string[]): boolean {
  if (Array.isArray(type)) return type.some((t) => typeMatches(value, t));
  switch (type) {
    case 'object':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    default:
      throw new Error(`schema: unknown type ${type}`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a value is, in a few words, for messages; never the whole value (it may be huge or hostile). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return value.length > 40 ? `${JSON.stringify(value.slice(0, 40))}…` : JSON.stringify(value);
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `a.b`, or `a["odd key"]` for keys a reader could not tell apart from the path's dots. */
export function join(path: string, key: string): string {
  if (IDENTIFIER.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** RFC 3339 date-time (what ajv-formats checks): real calendar date, time, and an offset. */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;
const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isDateTime(text: string): boolean {
  const m = DATE_TIME.exec(text);
  if (m === null) return false;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (month < 1 || month > 12 || day < 1 || day > (month === 2 && !leap ? 28 : DAYS[month - 1])) return false;
  if (hour > 23 || minute > 59 || second > 60) return false;
  return m[9] === undefined || (Number(m[9]) <= 23 && Number(m[10]) <= 59);
}
