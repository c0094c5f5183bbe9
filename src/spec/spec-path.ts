// JSON paths inside the spec (['target', 'members', 0, 'peerURL']) and how users read them
// (target.members[0].peerURL): diagnostics carry the first, messages show the second.

export type SpecPath = readonly (string | number)[]

export function formatPath(path: SpecPath): string {
  let text = ''
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`
    else text += text === '' ? segment : `.${segment}`
  }
  return text === '' ? 'the top level' : text
}

/** A JSON Pointer from ajv ("/target/members/0") as a path; numeric segments of arrays become numbers. */
export function pathFromPointer(pointer: string, data: unknown): (string | number)[] {
  if (pointer === '') return []
  const path: (string | number)[] = []
  let node = data
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    const segment = Array.isArray(node) && /^\d+$/.test(key) ? Number(key) : key
    path.push(segment)
    node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[segment] : undefined
  }
  return path
}
