// Files shipped at the package root (schemas/, share/), found from this module's own location. The
// same code runs at different depths below the root: dist/src/ (tsc's output, which the unit tests
// import) and dist/cli/chunks/ (the bundled CLI that bin/run.js starts), so a fixed '../../..' would
// be right for one of them only. The root is the nearest directory up that holds package.json.
import {existsSync} from 'node:fs'

let root: URL | undefined

function packageRoot(): URL {
  if (root !== undefined) return root
  let dir = new URL('./', import.meta.url)
  while (!existsSync(new URL('package.json', dir))) {
    const parent = new URL('../', dir)
    if (parent.href === dir.href) throw new Error(`etcdplan's package.json was not found above ${import.meta.url}`)
    dir = parent
  }
  root = dir
  return root
}

/** A file of the installed package, by its path from the package root (e.g. 'share/etcdplan-host.sh'). */
export function packageFileUrl(relativePath: string): URL {
  return new URL(relativePath, packageRoot())
}
