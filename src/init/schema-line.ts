// The first line of a spec written by `init`: `# yaml-language-server: $schema=...`, so that editors
// with the YAML language server complete and check the spec against the schema validate uses.
//
// Which path: the repo's own examples (plans/*.yaml) point at the schema relative to the file
// (`../schemas/spec.schema.json`), which keeps working in every clone; so a spec written inside the
// package's directory (a checkout of etcdplan) gets a relative path the same way. Anywhere else the
// spec is the user's and no relative path reaches the schema: it gets the absolute path of the schema
// in the installed package (the language server reads local files by absolute path), which stays
// right until etcdplan is installed elsewhere; rerunning init or editing the line fixes that.
import {dirname, isAbsolute, relative, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {specSchemaUrl} from '../spec/spec-schema.js'

export function schemaLine(outputFile: string, schemaFile: string = fileURLToPath(specSchemaUrl())): string {
  return `# yaml-language-server: $schema=${schemaReference(outputFile, schemaFile)}`
}

export function schemaReference(outputFile: string, schemaFile: string): string {
  const packageRoot = dirname(dirname(schemaFile))
  const outputDir = dirname(resolve(outputFile))
  const fromPackage = relative(packageRoot, outputDir)
  const inside = fromPackage === '' || (!fromPackage.startsWith('..') && !isAbsolute(fromPackage))
  if (!inside) return schemaFile
  const path = relative(outputDir, schemaFile)
  return path.startsWith('.') ? path : `./${path}`
}
