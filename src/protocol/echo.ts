/**
 * How error messages quote what the client sent (ids, voice names, formats, message types): a short prefix only, so
 * no reply grows with the input and a huge field cannot be bounced back at the server's expense. Pure.
 */

/** Longest piece of client input an error message repeats. */
export const ECHO_CHARS = 32;

/** `value` as error messages quote it: at most ECHO_CHARS UTF-16 units, then "…" when cut. */
export function echo(value: string): string {
  if (value.length <= ECHO_CHARS) return value;
  let head = value.slice(0, ECHO_CHARS);
  // Do not leave half of a surrogate pair at the cut.
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
  return `${head}…`;
}
