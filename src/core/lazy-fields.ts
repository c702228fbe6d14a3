/**
 * `extra.fields` made on first read. A reader or the worker transfer keeps what the
 * fields are made from on `extra` under a non-enumerable symbol of its own; the property
 * is an own enumerable accessor that makes them on first read and then turns into a
 * plain data property. Reads, spreads, JSON and structured clone (`postMessage`) all see
 * an ordinary property (reading it, they make it). One descriptor serves every paper, so
 * a paper costs no closure.
 */
import type { PaperExtra } from './model';

export type Fields = Record<string, string>;

/**
 * The descriptor to define as `extra.fields`: `make(extra)` builds the fields from what
 * the caller kept on `extra`, `forget(extra)` drops that once the fields are made or set.
 */
export function lazyFields<E extends PaperExtra>(make: (extra: E) => Fields | undefined, forget: (extra: E) => void): PropertyDescriptor {
  const settle = (extra: E, fields: Fields | undefined): Fields | undefined => {
    Object.defineProperty(extra, 'fields', { value: fields, writable: true, enumerable: true, configurable: true });
    forget(extra);
    return fields;
  };
  return {
    enumerable: true,
    configurable: true,
    get(this: E): Fields | undefined {
      return settle(this, make(this));
    },
    set(this: E, fields: Fields | undefined): void {
      settle(this, fields);
    },
  };
}
