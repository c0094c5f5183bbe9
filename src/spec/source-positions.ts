// Where a JSON path of the spec is in the YAML text, so every diagnostic can say FILE:LINE:COL.
// Paths are resolved against the parsed document (not the text), so flow style ({name: etcd2}),
// anchors and comments are all handled by the yaml package.
import {isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair} from 'yaml'
import type {SpecPath} from './spec-path.js'

export interface Position {
  readonly line: number
  readonly col: number
}

export interface SourcePositions {
  /** Position of the value at `path`, or of its nearest existing ancestor. */
  locateValue(path: SpecPath): Position
  /** Position of the key that holds the value at `path` (for unknown keys); the value's otherwise. */
  locateKey(path: SpecPath): Position
}

const START: Position = {line: 1, col: 1}

export function createSourcePositions(doc: Document | null, lineCounter: LineCounter): SourcePositions {
  const at = (node: Node | null | undefined): Position | undefined => {
    const offset = node?.range?.[0]
    return offset === undefined ? undefined : lineCounter.linePos(offset)
  }

  /** The deepest pair/node reached along `path`. */
  const walk = (path: SpecPath): {node: Node | null; pair: Pair | null; complete: boolean} => {
    let node: Node | null = (doc?.contents as Node | null | undefined) ?? null
    let pair: Pair | null = null
    for (const segment of path) {
      if (node !== null && isAlias(node)) node = (node.resolve(doc!) as Node | undefined) ?? null
      if (node !== null && isMap(node)) {
        // The last of duplicate keys is the one whose value counts, as in the parsed value.
        const found = lastPairWithKey(node.items as Pair[], String(segment))
        if (found === undefined) return {node, pair, complete: false}
        pair = found
        node = (found.value as Node | null) ?? null
        if (node === null) return {node: found.key as Node, pair, complete: false}
      } else if (node !== null && isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
        pair = null
        node = (node.items[segment] as Node | null) ?? null
        if (node === null) return {node, pair, complete: false}
      } else {
        return {node, pair, complete: false}
      }
    }
    return {node, pair, complete: true}
  }

  return {
    locateValue(path) {
      const {node, pair} = walk(path)
      // An empty value (`learner:`) has a zero-width node at the end of the line; the key is clearer.
      if (pair !== null && node !== null && isScalar(node) && node.value === null && node.range?.[0] === node.range?.[1]) {
        return at(pair.key as Node) ?? START
      }
      return at(node) ?? START
    },
    locateKey(path) {
      const {node, pair, complete} = walk(path)
      if (complete && pair !== null) return at(pair.key as Node) ?? START
      return at(node) ?? START
    },
  }
}

function lastPairWithKey(items: readonly Pair[], key: string): Pair | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (keyText(items[i]!.key) === key) return items[i]
  return undefined
}

function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value)
  return String(key)
}
