// An esbuild plugin for the CLI bundle (src/bundle-cli.ts): the etcd3 client parses its gRPC API
// from etcd3/proto/*.proto at module load (`loadSync(`${__dirname}/../proto/rpc.proto`)`), a path
// that is wrong once the module lives in a bundle, and a parse (protobufjs) that every command talking
// to a cluster pays again. The plugin parses the .proto files once, at build time, with the options
// @grpc/proto-loader's loadSync gives protobufjs (keepCase), and puts the parsed descriptor into the
// module as JSON, loaded with proto-loader's fromJSON and the client's own options. If a new etcd3
// loads its API differently, the build fails here rather than shipping a client without one.
import {readFile} from 'node:fs/promises'
import {createRequire} from 'node:module'
import type {Plugin} from 'esbuild'

const LOAD_CALL = '(0, proto_loader_1.loadSync)(`${__dirname}/../proto/rpc.proto`, {'

export function inlineEtcd3Proto(): Plugin {
  return {
    name: 'inline-etcd3-proto',
    setup(build) {
      build.onLoad({filter: /[\\/]etcd3[\\/]lib[\\/]connection-pool\.js$/}, async (args) => {
        const source = await readFile(args.path, 'utf8')
        if (!source.includes(LOAD_CALL)) {
          throw new Error(`${args.path} no longer loads its API with ${LOAD_CALL}…: update src/inline-etcd3-proto.ts for this etcd3 version`)
        }
        const requireFromClient = createRequire(args.path)
        const protobuf = requireFromClient('protobufjs') as typeof import('protobufjs')
        const root = new protobuf.Root().loadSync(requireFromClient.resolve('../proto/rpc.proto'), {keepCase: true})
        const descriptor = JSON.stringify(root.toJSON())
        return {contents: source.replace(LOAD_CALL, `(0, proto_loader_1.fromJSON)(${descriptor}, {`), loader: 'js'}
      })
    },
  }
}
