// A checker for the subset of JSON Schema (2020-12) that schema/layoutof.schema.json uses: type, enum,
// const, properties, required, additionalProperties: false, items, oneOf, $ref to #/$defs/..., minimum,
// pattern. Any other keyword is refused, so the schema cannot use one that is silently not checked.

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = { [k: string]: Json };

const KNOWN = new Set([
  '$schema',
  '$id',
  'title',
  'description',
  '$defs',
  '$ref',
  'type',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'oneOf',
  'minimum',
  'pattern',
]);

function typeOf(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Every violation of `schema` by `value`, as "path: what" (empty when it conforms). */
export function validate(root: Schema, value: Json): string[] {
  const errors: string[] = [];
  check(root, root, value, '$', errors);
  return errors;
}

function check(root: Schema, s: Schema, v: Json, path: string, errors: string[]): void {
  for (const k of Object.keys(s))
    if (!KNOWN.has(k)) throw new Error(`schema keyword '${k}' at ${path} is not supported by this checker`);
  if (typeof s.$ref === 'string') {
    const m = /^#\/\$defs\/(\w+)$/.exec(s.$ref);
    const target = m && (root.$defs as { [k: string]: Schema } | undefined)?.[m[1]!];
    if (!target) throw new Error(`unresolved $ref ${s.$ref}`);
    check(root, target, v, path, errors);
  }
  const t = typeOf(v);
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((x) => x === t || (x === 'number' && t === 'integer')))
      errors.push(`${path}: ${t}, expected ${types.join(' or ')}`);
  }
  if (s.enum !== undefined && !(s.enum as Json[]).some((e) => e === v))
    errors.push(`${path}: ${JSON.stringify(v)} not one of ${JSON.stringify(s.enum)}`);
  if (s.const !== undefined && s.const !== v)
    errors.push(`${path}: ${JSON.stringify(v)}, expected ${JSON.stringify(s.const)}`);
  if (typeof s.minimum === 'number' && typeof v === 'number' && v < s.minimum)
    errors.push(`${path}: ${v} < ${s.minimum}`);
  if (typeof s.pattern === 'string' && typeof v === 'string' && !new RegExp(s.pattern, 'u').test(v))
    errors.push(`${path}: '${v}' does not match ${s.pattern}`);
  if (t === 'object') {
    const o = v as { [k: string]: Json };
    const props = (s.properties ?? {}) as { [k: string]: Schema };
    for (const r of (s.required ?? []) as string[]) if (!(r in o)) errors.push(`${path}: missing '${r}'`);
    for (const [k, x] of Object.entries(o)) {
      if (props[k]) check(root, props[k]!, x, `${path}.${k}`, errors);
      else if (s.additionalProperties === false) errors.push(`${path}: unexpected '${k}'`);
    }
  }
  if (t === 'array' && s.items)
    (v as Json[]).forEach((x, i) => check(root, s.items as Schema, x, `${path}[${i}]`, errors));
  if (Array.isArray(s.oneOf)) {
    const results = (s.oneOf as Schema[]).map((alt) => {
      const e: string[] = [];
      check(root, alt, v, path, e);
      return e;
    });
    const passing = results.filter((e) => e.length === 0).length;
    if (passing !== 1) {
      const best = results.reduce((a, b) => (b.length < a.length ? b : a));
      errors.push(
        passing === 0
          ? `${path}: matches no alternative (closest: ${best.slice(0, 3).join('; ')})`
          : `${path}: matches ${passing} alternatives`,
      );
    }
  }
}
