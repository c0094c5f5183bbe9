// An esbuild plugin for the CLI bundle (src/bundle-cli.ts): the etcd3 client parses its gRPC API
// from etcd3/proto/*.proto each time it loads (`protoLoader.loadSync(`${__dirname}/../proto/rpc.proto`)`),
// a path that is wrong once the module lives in a bundle, and then @grpc/proto-loader describes every
// message for gRPC reflection, which the client never uses (together ~30 ms of every command that
// talks to a cluster). The plugin parses the .proto files once, at build time, as proto-loader's
// loadSync would (protobufjs, keepCase), lists etcd3's service methods, and puts both into the client's
// module in place of that call, built at run time by src/cluster/etcd3-package-definition.ts with
// the client's own options. The bundle then has neither proto-loader nor protobufjs's .proto parser.
// If a new etcd3 loads its API differently, the build fails here rather than ship a client without one.
import {readFile} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {fileURLToPath} from 'node:url'
import type {Plugin} from 'esbuild'
import type {INamespace, Method, Namespace, Service} from 'protobufjs'
import type {ApiMethod} from './cluster/etcd3-package-definition.js'

const IMPORT = 'const proto_loader_1 = require("@grpc/proto-loader");\n'
const LOAD = /const packageDefinition = \(0, proto_loader_1\.loadSync\)\(`\$\{__dirname\}\/\.\.\/proto\/rpc\.proto`, (\{[^}]*\})\);/
const RUNTIME = fileURLToPath(new URL('./cluster/etcd3-package-definition.js', import.meta.url))

/** etcd3's API as proto-loader would load it for the client at `clientPath`: the parsed descriptor and every service method. */
export function etcd3Api(clientPath: string): {descriptor: INamespace; methods: ApiMethod[]} {
  // protobufjs and lodash.camelcase as proto-loader itself resolves them, so the names are its names.
  const fromClient = createRequire(clientPath)
  const fromLoader = createRequire(fromClient.resolve('@grpc/proto-loader'))
  const protobuf = fromLoader('protobufjs') as typeof import('protobufjs')
  const camelCase = fromLoader('lodash.camelcase') as (name: string) => string
  const root = new protobuf.Root().loadSync(fromClient.resolve('../proto/rpc.proto'), {keepCase: true})
  root.resolveAll()
  const methods: ApiMethod[] = []
  const visit = (namespace: Namespace, prefix: string): void => {
    for (const nested of namespace.nestedArray) {
      const name = prefix === '' ? nested.name : `${prefix}.${nested.name}`
      if (nested instanceof protobuf.Service) methods.push(...methodsOf(nested as Service, name, camelCase))
      else if (nested instanceof protobuf.Namespace && !(nested instanceof protobuf.Type)) visit(nested as Namespace, name)
    }
  }
  visit(root, '')
  return {descriptor: root.toJSON(), methods}
}

function methodsOf(service: Service, serviceName: string, camelCase: (name: string) => string): ApiMethod[] {
  return service.methodsArray.map((m: Method) => ({
    service: serviceName,
    name: m.name,
    originalName: camelCase(m.name),
    requestType: m.resolvedRequestType!.fullName.replace(/^\./, ''),
    responseType: m.resolvedResponseType!.fullName.replace(/^\./, ''),
    requestStream: m.requestStream === true,
    responseStream: m.responseStream === true,
  }))
}

export function inlineEtcd3Proto(): Plugin {
  return {
    name: 'inline-etcd3-proto',
    setup(build) {
      build.onLoad({filter: /[\\/]etcd3[\\/]lib[\\/]connection-pool\.js$/}, async (args) => {
        const source = await readFile(args.path, 'utf8')
        const load = LOAD.exec(source)
        if (!source.includes(IMPORT) || load === null) {
          throw new Error(`${args.path} no longer loads its API with @grpc/proto-loader's loadSync(rpc.proto): update src/inline-etcd3-proto.ts for this etcd3 version`)
        }
        const {descriptor, methods} = etcd3Api(args.path)
        const built = `const packageDefinition = require(${JSON.stringify(RUNTIME)}).etcd3PackageDefinition(${JSON.stringify(descriptor)}, ${JSON.stringify(methods)}, ${load[1]});`
        return {contents: source.replace(IMPORT, '').replace(load[0], built), loader: 'js'}
      })
    },
  }
}
