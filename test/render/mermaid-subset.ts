// A checker for the subset of mermaid's flowchart grammar that etcdplan writes (no mermaid CLI
// offline, and mermaid itself needs a browser): every line must be one of the forms below, node ids
// unique and defined before use, labels free of the characters that end or break a quoted label.
// It decodes each label back to its text, so a test can prove the escaping round-trips.

export interface MermaidGraph {
  readonly direction: string
  readonly nodes: ReadonlyMap<string, {readonly shape: 'box' | 'hexagon' | 'stadium'; readonly lines: readonly string[]}>
  readonly edges: readonly {readonly from: string; readonly to: string}[]
  readonly classes: ReadonlyMap<string, readonly string[]>
}

const ID = '[A-Za-z][A-Za-z0-9_]*'
const LABEL = '"([^"]*)"'
const NODE = new RegExp(`^  (${ID})(?:\\[${LABEL}\\]|\\{\\{${LABEL}\\}\\}|\\(\\[${LABEL}\\]\\))$`)
const EDGE = new RegExp(`^  (${ID}) --> (${ID})$`)
const CLASS_DEF = new RegExp(`^  classDef (${ID}) ([a-z-]+:[^,;\\s]+(?: [^,;\\s]+)*)(,[a-z-]+:[^,;\\s]+(?: [^,;\\s]+)*)*$`)
const CLASS = new RegExp(`^  class (${ID}(?:,${ID})*) (${ID})$`)
/** Words mermaid's flowchart lexer treats as keywords: never a node id. */
const RESERVED = new Set(['end', 'graph', 'flowchart', 'subgraph', 'class', 'classDef', 'click', 'style', 'linkStyle', 'default'])

export function parseMermaidSubset(text: string): MermaidGraph {
  const lines = text.replace(/\n$/, '').split('\n')
  const header = /^flowchart (TD|TB|LR|RL|BT)$/.exec(lines[0] ?? '')
  if (header === null) throw new Error(`line 1: expected "flowchart TD", got ${JSON.stringify(lines[0])}`)
  const nodes = new Map<string, {shape: 'box' | 'hexagon' | 'stadium'; lines: string[]}>()
  const edges: {from: string; to: string}[] = []
  const classDefs = new Set<string>()
  const classes = new Map<string, string[]>()
  const known = (id: string, where: string) => {
    if (!nodes.has(id)) throw new Error(`${where}: node ${id} is not defined`)
  }
  lines.slice(1).forEach((line, i) => {
    const where = `line ${i + 2}`
    if (/^  %%[^\n]*$/.test(line)) return
    let m = NODE.exec(line)
    if (m !== null) {
      const id = m[1]!
      if (RESERVED.has(id)) throw new Error(`${where}: ${id} is a mermaid keyword`)
      if (nodes.has(id)) throw new Error(`${where}: node ${id} defined twice`)
      const label = m[2] ?? m[3] ?? m[4]!
      nodes.set(id, {shape: m[2] !== undefined ? 'box' : m[3] !== undefined ? 'hexagon' : 'stadium', lines: decodeLabel(label, where)})
      return
    }
    if ((m = EDGE.exec(line)) !== null) {
      known(m[1]!, where)
      known(m[2]!, where)
      edges.push({from: m[1]!, to: m[2]!})
      return
    }
    if ((m = CLASS_DEF.exec(line)) !== null) {
      classDefs.add(m[1]!)
      return
    }
    if ((m = CLASS.exec(line)) !== null) {
      if (!classDefs.has(m[2]!)) throw new Error(`${where}: class ${m[2]} has no classDef before it`)
      for (const id of m[1]!.split(',')) known(id, where)
      classes.set(m[2]!, [...(classes.get(m[2]!) ?? []), ...m[1]!.split(',')])
      return
    }
    throw new Error(`${where}: not a line of the flowchart subset: ${JSON.stringify(line)}`)
  })
  return {direction: header[1]!, nodes, edges, classes}
}

/** The label's text lines: `<br/>` separates them, `#NN;` is a character code; nothing else may be special. */
function decodeLabel(label: string, where: string): string[] {
  return label.split('<br/>').map((part) => {
    const bad = /[<>`]|#(?!\d+;)/.exec(part)
    if (bad !== null) throw new Error(`${where}: unescaped ${JSON.stringify(bad[0])} in label ${JSON.stringify(label)}`)
    return part.replace(/#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
  })
}
