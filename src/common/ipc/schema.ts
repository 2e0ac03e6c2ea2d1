/**
 * Small hand-written validators for what arrives over a message channel. A message's payload type
 * is inferred from its validator (`Infer<typeof schema>`), so the type the sender is held to and
 * the check the receiver runs come from one declaration and cannot drift.
 *
 *   const SendParams = v.object({ text: v.string({ max: 1000 }) });   // Schema<{ text: string }>
 *
 * Every string has a maximum length and every number a range: nothing unbounded gets through.
 * Objects are exact (no missing and no extra keys) and plain. A problem is described by the path
 * and the rule it broke, never by quoting the value (it may be large, or the user's code).
 * Pure: no DOM, no Node.
 */

export interface Schema<T> {
  /** undefined when `value` is a T, else what is wrong with it (`text: longer than 1000 characters`). */
  check(value: unknown, path?: string): string | undefined;
  /** What it accepts, for messages. */
  readonly expected: string;
  /** Phantom: carries the type, never set. */
  readonly _type?: T;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

const at = (path: string | undefined) => (path ? `${path}: ` : '');

function schema<T>(expected: string, check: (value: unknown, path: string | undefined) => string | undefined): Schema<T> {
  return { expected, check };
}

export interface StringRule {
  /** Longest accepted length, in UTF-16 code units (required: no string is unbounded). */
  max: number;
  min?: number;
  /** A further rule, and how to name it in a problem (`an absolute http(s) URL`). */
  test?: (value: string) => boolean;
  expected?: string;
}

export interface IntegerRule {
  min: number;
  max: number;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export const v = {
  /** No payload (`void`): the value must be absent. */
  none: schema<void>('nothing', (value, path) => (value === undefined ? undefined : `${at(path)}expected nothing`)),

  string(rule: StringRule): Schema<string> {
    const min = rule.min ?? 0;
    const expected = rule.expected ?? `a string of ${min}-${rule.max} characters`;
    return schema(expected, (value, path) => {
      if (typeof value !== 'string') return `${at(path)}expected ${expected}`;
      if (value.length > rule.max) return `${at(path)}longer than ${rule.max} characters (${value.length})`;
      if (value.length < min) return `${at(path)}shorter than ${min} characters`;
      if (rule.test && !rule.test(value)) return `${at(path)}expected ${expected}`;
      return undefined;
    });
  },

  integer(rule: IntegerRule): Schema<number> {
    const expected = `an integer from ${rule.min} to ${rule.max}`;
    return schema(expected, (value, path) =>
      typeof value === 'number' && Number.isInteger(value) && value >= rule.min && value <= rule.max ? undefined : `${at(path)}expected ${expected}`);
  },

  /**
   * One of the keys of `values`. Written `v.keyOf<Mode>({ slow: 1, fast: 1 })`, the compiler
   * checks that every member of the union is listed and nothing else.
   */
  keyOf<T extends string>(values: Record<T, unknown>): Schema<T> {
    const keys = Object.keys(values);
    const expected = `one of ${keys.join(', ')}`;
    return schema(expected, (value, path) =>
      typeof value === 'string' && keys.includes(value) ? undefined : `${at(path)}expected ${expected}`);
  },

  /** A plain object with exactly these keys. */
  object<S extends Record<string, Schema<unknown>>>(shape: S): Schema<{ [K in keyof S]: Infer<S[K]> }> {
    const keys = Object.keys(shape);
    const expected = `an object with ${keys.join(', ')}`;
    return schema(expected, (value, path) => {
      if (!isPlainObject(value)) return `${at(path)}expected ${expected}`;
      for (const key of Object.keys(value)) {
        if (!Object.hasOwn(shape, key)) return `${at(path)}unexpected key ${JSON.stringify(key.slice(0, 40))}`;
      }
      for (const key of keys) {
        const inner = path ? `${path}.${key}` : key;
        if (!Object.hasOwn(value, key)) return `${inner}: missing`;
        const problem = shape[key].check(value[key], inner);
        if (problem) return problem;
      }
      return undefined;
    });
  },
};
