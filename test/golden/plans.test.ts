// The example plans in plans/ are golden files: each spec's committed plan file, its markdown
// rendering and its step graph (mermaid .mmd, Graphviz .dot) are regenerated here and compared byte
// for byte. After an intended change, regenerate them with `npm run plans` and review the diff like
// any other code change.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {planSpecFile} from '../../src/plan/plan-spec-file.js'
import {serialisePlan} from '../../src/plan/plan-file.js'
import {renderPlanMarkdown} from '../../src/render/render-plan-markdown.js'
import {renderGraphMermaid} from '../../src/render/render-graph-mermaid.js'
import {renderGraphDot} from '../../src/render/render-graph-dot.js'
import {repoRoot} from '../fixtures/repo-root.js'

const withFinalNewline = (text: string) => (text.endsWith('\n') ? text : `${text}\n`)
const specs = readdirSync(`${repoRoot}/plans`).filter((f) => f.endsWith('.yaml'))

describe('golden plans in plans/', () => {
  it('there is at least the runbook example', () => assert.ok(specs.includes('runbook.yaml')))
  for (const file of specs) {
    const base = file.replace(/\.yaml$/, '')
    it(`${file}: the committed plan file and markdown are what etcdplan makes today`, async () => {
      process.chdir(repoRoot)
      const result = await planSpecFile(`plans/${file}`)
      assert.ok(result.plan, `plans/${file} does not plan: ${JSON.stringify(result.diagnostics)}`)
      assert.equal(serialisePlan(result.plan), readFileSync(`${repoRoot}/plans/${base}.plan.json`, 'utf8'), `plans/${base}.plan.json is out of date: run npm run plans`)
      assert.equal(withFinalNewline(renderPlanMarkdown(result.plan)), readFileSync(`${repoRoot}/plans/${base}.plan.md`, 'utf8'), `plans/${base}.plan.md is out of date: run npm run plans`)
      assert.equal(renderGraphMermaid(result.plan), readFileSync(`${repoRoot}/plans/${base}.plan.mmd`, 'utf8'), `plans/${base}.plan.mmd is out of date: run npm run plans`)
      assert.equal(renderGraphDot(result.plan), readFileSync(`${repoRoot}/plans/${base}.plan.dot`, 'utf8'), `plans/${base}.plan.dot is out of date: run npm run plans`)
    })
  }
})
