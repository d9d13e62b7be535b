/** Typed element lookup for the demo page's fixed markup (src/http/demo.ts). */

/** The element with `id`, checked to be of `type`; a missing one is a bug in the page, so it throws. */
export function byId<T extends HTMLElement>(id: string, type: { new (): T; prototype: T }): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`demo page: #${id} is missing or not a ${type.name}`);
  return el;
}
