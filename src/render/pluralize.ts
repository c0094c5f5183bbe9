/** `1 error`, `2 errors`: English plurals for the nouns etcdplan counts (all regular). */
export function pluralize(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
