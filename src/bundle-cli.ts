// Build step: bundles the CLI (src/cli/etcdplan-cli.ts, with oclif, the commands and every
// dependency) into dist/cli/etcdplan.js, which bin/run.js starts. Node loads an ES module file by
// file (resolve, read, compile, link), and a command used to load about 400 of them (etcd3, grpc-js
// and protobufjs alone ~150): validate took 186 ms, status 292 ms before (README "Start-up"). The
// commands' `await import()`s stay separate chunks (splitting), so no command loads another's code
// and gRPC loads only where a cluster is reached. `npm run build` runs it after tsc and the
// validators, from their output; the unit tests import dist/src, the CLI's tests run this bundle.
import {build} from 'esbuild'
import {fileURLToPath} from 'node:url'
import {inlineEtcd3Proto} from './inline-etcd3-proto.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

await build({
  absWorkingDir: root,
  entryPoints: {etcdplan: 'dist/src/cli/etcdplan-cli.js'},
  outdir: 'dist/cli',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Left to node_modules, never loaded by etcdplan: oclif requires typescript and ts-node only to run
  // a plugin from its TypeScript sources, which src/cli/etcdplan-cli.ts turns off; grpc-js requires
  // @grpc/proto-loader only to serve channelz or ORCA as a gRPC server, and etcd3 no longer needs it
  // (src/inline-etcd3-proto.ts), so the bundle carries neither it nor protobufjs's .proto parser.
  external: ['typescript', 'ts-node', '@grpc/proto-loader'],
  // The CommonJS dependencies call require() (node built-ins, protobufjs's optional `long`), which
  // an ES module does not have: each output file gets its own, resolving from where it lies.
  banner: {js: "import {createRequire as __etcdplanCreateRequire} from 'node:module'; const require = __etcdplanCreateRequire(import.meta.url);"},
  // Whitespace and syntax minified (less to parse at start-up), identifiers not, so stack traces
  // still say which function (the source map, NODE_OPTIONS=--enable-source-maps, maps them to src/).
  // keepNames: a function or class esbuild renames to avoid a clash keeps its `.name`, which code
  // reads (etcd-failure.ts tells gRPC errors by their class's name); it cost nothing measurable.
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  plugins: [inlineEtcd3Proto()],
  logLevel: 'warning',
})
