// Build step: writes oclif.manifest.json (what `oclif manifest` writes) at the package root, so that
// every command start reads one JSON file instead of building every command's flags and help from
// the command classes (~30 ms per start with the bundled CLI, measured with hyperfine; README
// "Start-up"). `npm run build` runs it after the bundle (src/bundle-cli.ts), which is where oclif's
// explicit command discovery finds the commands; the file is never committed (.gitignore), so it
// always describes the built commands. oclif ignores a manifest whose version differs from
// package.json's, and so never runs a stale one after a version bump.
import {writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {Plugin} from '@oclif/core'

const root = fileURLToPath(new URL('../..', import.meta.url))
// ignoreManifest: build from the commands themselves, never from the previous build's manifest.
const plugin = new Plugin({root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true})
await plugin.load()
writeFileSync(new URL('oclif.manifest.json', new URL('../../', import.meta.url)), `${JSON.stringify(plugin.manifest, null, 2)}\n`)
