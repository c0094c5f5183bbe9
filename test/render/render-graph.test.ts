// The step graph (show --graph): the mermaid output parsed by a checker of the flowchart subset it
// uses, the DOT output parsed by Graphviz itself (`dot -Tjson`), both against the runbook plans'
// real edges; escaping proved by round-tripping hostile text. The byte-exact goldens are
// plans/*.plan.mmd and plans/*.plan.dot (test/golden/plans.test.ts).
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {readPlanFile} from '../../src/plan/plan-file.js'
import {STEP_KINDS} from '../../src/plan/step-kinds.js'
import type {Plan, Step} from '../../src/plan/types.js'
import {buildPlanGraph} from '../../src/render/plan-graph.js'
import {escapeMermaidLabel, renderGraphMermaid} from '../../src/render/render-graph-mermaid.js'
import {quote, renderGraphDot} from '../../src/render/render-graph-dot.js'
import {renderPlanMarkdown} from '../../src/render/render-plan-markdown.js'
import {repoRoot} from '../fixtures/repo-root.js'
import {runCli} from '../fixtures/run-cli.js'
import {tempDir} from '../fixtures/temp-dir.js'
import {buildPlanFixture} from './plan-fixture.js'
import {parseMermaidSubset} from './mermaid-subset.js'

const runbook = await readPlanFile(`${repoRoot}/plans/runbook.plan.json`)
const snapshot = await readPlanFile(`${repoRoot}/plans/runbook-snapshot.plan.json`)
const edgeCount = (plan: Plan) => plan.steps.reduce((n, s) => n + s.dependsOn.length, 0)
const HOSTILE = 'a "quoted" <b>tag</b> & #35; `tick` back\\slash \\N\nnext line'

interface DotJson {
  readonly name: string
  readonly objects: readonly {readonly name: string; readonly label: string; readonly tooltip?: string; readonly shape?: string; readonly style?: string}[]
  readonly edges?: readonly {readonly tail: number; readonly head: number}[]
}

/** Graphviz parses the DOT (a syntax error fails here) and gives back the attributes as it read them. */
function parseDot(text: string): DotJson {
  const result = spawnSync('dot', ['-Tjson'], {input: text, encoding: 'utf8'})
  if (result.error !== undefined) throw new Error(`Graphviz's dot is needed for this test (${result.error.message}): run scripts/ensure-lab-tools.sh`)
  assert.equal(result.status, 0, `dot refused the graph: ${result.stderr}`)
  return JSON.parse(result.stdout) as DotJson
}

/** An escString attribute as Graphviz read it, back to its text: `\n` a line break, `\x` the character x. */
const unescapeDot = (value: string) => value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c))

describe('show --graph mermaid', () => {
  for (const [name, plan] of [['runbook', runbook], ['runbook-snapshot', snapshot]] as const) {
    it(`${name}: a flowchart TD with one node per step and one edge per dependsOn, labels as the model says`, () => {
      const graph = parseMermaidSubset(renderGraphMermaid(plan))
      assert.equal(graph.direction, 'TD')
      assert.equal(graph.nodes.size, plan.steps.length)
      assert.equal(graph.edges.length, edgeCount(plan))
      const model = buildPlanGraph(plan)
      const idOf = new Map(model.nodes.map((n) => [n.key, n.stepId]))
      for (const node of model.nodes) assert.deepEqual(graph.nodes.get(node.key)?.lines, node.lines)
      const edges = graph.edges.map((e) => `${idOf.get(e.from)} -> ${idOf.get(e.to)}`).sort()
      assert.deepEqual(edges, plan.steps.flatMap((s) => s.dependsOn.map((d) => `${d} -> ${s.id}`)).sort())
    })
  }

  it('marks the manual DNS switch as an operator stop (hexagon), the stops as possible ones (dashed)', () => {
    const graph = parseMermaidSubset(renderGraphMermaid(runbook))
    const key = (id: string) => buildPlanGraph(runbook).nodes.find((n) => n.stepId === id)!.key
    assert.equal(graph.nodes.get(key('switch-dns'))?.shape, 'hexagon')
    assert.ok(graph.nodes.get(key('switch-dns'))?.lines.includes('operator: apply stops here'))
    assert.deepEqual(graph.classes.get('operator'), [key('switch-dns')])
    assert.deepEqual(graph.classes.get('mayOperator'), ['stop-member/etcd1', 'stop-member/etcd2', 'stop-member/etcd3'].map(key))
    assert.equal(graph.nodes.get(key('add-learner/etcd4'))?.shape, 'box')
    assert.ok(graph.nodes.get(key('preflight'))?.lines.includes('13 checks'), 'the gates are counted')
    // Every step is in exactly one action class, coloured like the text plan.
    const inClasses = ['add', 'change', 'remove', 'read'].flatMap((c) => graph.classes.get(c) ?? [])
    assert.equal(new Set(inClasses).size, runbook.steps.length)
    assert.equal(inClasses.length, runbook.steps.length)
  })

  it('with the manual node provider, every step on a host may stop for the operator', () => {
    const model = buildPlanGraph(runbook, {provider: 'manual'})
    const may = model.nodes.filter((n) => n.operator === 'may').map((n) => n.stepId)
    assert.ok(may.includes('write-config/etcd4') && may.includes('restart-member/etcd4') && may.includes('stop-member/etcd1'), may.join(', '))
    assert.ok(!may.includes('add-learner/etcd4'), 'a membership change is made through the cluster, not on a host')
  })

  it('an rfc2136 DNS switch is not an operator stop', () => {
    const steps = runbook.steps.map((s): Step => (s.kind === 'switch-dns' ? {...s, via: 'rfc2136'} : s))
    assert.equal(buildPlanGraph({...runbook, steps}).nodes.find((n) => n.stepId === 'switch-dns')?.operator, 'may')
  })

  it('escapes every character that would end or break a quoted label, and the text round-trips', () => {
    const escaped = escapeMermaidLabel(HOSTILE)
    assert.doesNotMatch(escaped, /["<>`\n]/)
    const graph = parseMermaidSubset(`flowchart TD\n  s1["${escaped}"]\n`)
    assert.deepEqual(graph.nodes.get('s1')?.lines, [HOSTILE.replace('\n', ' ')])
  })

  it('stays valid for step ids that are not mermaid-safe (the node ids never come from step ids)', () => {
    const plan = buildPlanFixture()
    const steps = plan.steps.map((s, i): Step => ({...s, id: `${s.id}/"x" <end> #${i}`, dependsOn: i === 0 ? [] : [`${plan.steps[i - 1]!.id}/"x" <end> #${i - 1}`]}))
    const graph = parseMermaidSubset(renderGraphMermaid({...plan, steps}))
    assert.equal(graph.nodes.size, steps.length)
    assert.equal(graph.nodes.get('s2')?.lines[0], `2 + ${steps[1]!.id}`)
  })

  it('is deterministic', () => assert.equal(renderGraphMermaid(runbook), renderGraphMermaid(structuredClone(runbook))))

  it('is embedded in the markdown plan as a ```mermaid block', () => {
    const md = renderPlanMarkdown(runbook)
    const block = /\n```mermaid\n([\s\S]*?)\n```\n/.exec(md)
    assert.ok(block, 'a mermaid block')
    assert.equal(`${block[1]}\n`, renderGraphMermaid(runbook))
  })
})

describe('show --graph dot', () => {
  for (const [name, plan] of [['runbook', runbook], ['runbook-snapshot', snapshot]] as const) {
    it(`${name}: Graphviz parses it: one node per step, one edge per dependsOn, labels and gates as written`, () => {
      const dot = parseDot(renderGraphDot(plan))
      assert.equal(dot.name, `etcdplan ${plan.name}`)
      assert.equal(dot.objects.length, plan.steps.length)
      assert.equal(dot.edges?.length ?? 0, edgeCount(plan))
      const model = buildPlanGraph(plan)
      model.nodes.forEach((node, i) => {
        assert.equal(dot.objects[i]!.name, node.key)
        assert.equal(unescapeDot(dot.objects[i]!.label), node.lines.join('\n'))
        assert.equal(unescapeDot(dot.objects[i]!.tooltip ?? ''), [node.stepId, ...node.gates.map((g) => `- ${g}`)].join('\n'))
      })
      const stepOf = (index: number) => model.nodes[index]!.stepId
      assert.deepEqual((dot.edges ?? []).map((e) => `${stepOf(e.tail)} -> ${stepOf(e.head)}`).sort(), plan.steps.flatMap((s) => s.dependsOn.map((d) => `${d} -> ${s.id}`)).sort())
    })
  }

  it('draws the operator stop as a hexagon and the possible stops dashed', () => {
    const dot = parseDot(renderGraphDot(runbook))
    const byStep = (id: string) => dot.objects[runbook.steps.findIndex((s) => s.id === id)]!
    assert.equal(byStep('switch-dns').shape, 'hexagon')
    assert.match(byStep('stop-member/etcd1').style ?? '', /dashed/)
    assert.equal(byStep('add-learner/etcd4').shape, 'box')
  })

  it('escapes quotes, backslashes and line breaks: hostile text round-trips through Graphviz', () => {
    const plan = buildPlanFixture()
    const steps = plan.steps.map((s, i): Step => (i === 0 ? {...s, preconditions: [{check: 'voters-healthy', description: HOSTILE}]} : s))
    const dot = parseDot(renderGraphDot({...plan, steps}))
    assert.equal(unescapeDot(dot.objects[0]!.tooltip!), `preflight\n- ${HOSTILE}`)
    assert.equal(quote('a"b\\c\nd'), '"a\\"b\\\\c\\nd"')
  })
})

describe('etcdplan show --graph', () => {
  it('prints the mermaid and DOT graphs of a plan file, exit 0', () => {
    const mermaid = runCli(['show', 'plans/runbook.plan.json', '--graph', 'mermaid'])
    assert.equal(mermaid.status, 0, mermaid.stderr)
    assert.equal(mermaid.stdout, renderGraphMermaid(runbook))
    const dot = runCli(['show', 'plans/runbook.plan.json', '--graph', 'dot'])
    assert.equal(dot.status, 0, dot.stderr)
    assert.equal(dot.stdout, renderGraphDot(runbook))
  })

  it('reads the spec the plan records for its node provider: with manual, every step on a host may stop; without the spec, only what the plan knows', () => {
    const dir = tempDir('etcdplan-graph-manual-')
    const manual = readFileSync(`${repoRoot}/plans/runbook.yaml`, 'utf8').replace('  provider: local\n', '  provider: manual\n').replace(/\n  local:\n(    .*\n)+/, '\n')
    assert.match(manual, /provider: manual\n/)
    writeFileSync(join(dir, 'etcdplan.yaml'), manual)
    assert.equal(runCli(['plan', 'etcdplan.yaml', '--offline', '-o', 'plan.json'], {cwd: dir}).status, 0)
    const dashed = () => parseMermaidSubset(runCli(['show', 'plan.json', '--graph', 'mermaid'], {cwd: dir}).stdout).classes.get('mayOperator')?.length
    const hostSteps = runbook.steps.filter((s) => STEP_KINDS[s.kind].actsOnHost).length
    assert.equal(dashed(), hostSteps)
    // Changed since the plan (its hash differs): its provider no longer speaks for the plan.
    writeFileSync(join(dir, 'etcdplan.yaml'), manual.replace('catchUpTolerance: 100', 'catchUpTolerance: 50'))
    assert.equal(dashed(), 3, 'the three stop-member steps, which may stop whatever the provider')
  })

  it('refuses an unknown graph language with the choices', () => {
    const r = runCli(['show', 'plans/runbook.plan.json', '--graph', 'svg'])
    assert.notEqual(r.status, 0)
    assert.match(r.stderr, /mermaid, dot/)
    assert.equal(r.stdout, '')
  })
})
