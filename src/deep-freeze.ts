// Specs and plans are frozen once loaded: nothing downstream may change what was validated or hashed.

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const field of Object.values(value)) deepFreeze(field)
    Object.freeze(value)
  }
  return value
}
