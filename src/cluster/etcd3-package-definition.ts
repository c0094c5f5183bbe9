// The etcd3 client's gRPC package definition, as the CLI bundle builds it (src/inline-etcd3-proto.ts
// puts this in place of the client's `protoLoader.loadSync(rpc.proto)`). @grpc/proto-loader parses
// the .proto files and then describes every message as a descriptor proto for gRPC reflection, which
// etcd3 never uses: ~20 ms of every command that talks to a cluster. Here the API was parsed at build
// time, and each of etcd3's service methods gets exactly what grpc-js's loadPackageDefinition and
// client use (path, streaming, the (de)serializers, originalName), built the way proto-loader builds
// them: serialize = Type.encode(Type.fromObject(arg)), deserialize = Type.toObject(Type.decode(buf),
// the client's options). test/cluster/etcd3-package-definition.test.ts holds it to proto-loader's.
import protobuf from 'protobufjs/light.js'
import type {IConversionOptions, INamespace, Type} from 'protobufjs'

/** One gRPC method, as the build found it in etcd3's API (names fully qualified). */
export interface ApiMethod {
  readonly service: string // e.g. etcdserverpb.KV
  readonly name: string // e.g. Range
  readonly originalName: string // proto-loader's camelCase of name (e.g. range, hashKv): the client calls these
  readonly requestType: string
  readonly responseType: string
  readonly requestStream: boolean
  readonly responseStream: boolean
}

interface MethodDefinition {
  readonly path: string
  readonly requestStream: boolean
  readonly responseStream: boolean
  readonly requestSerialize: (value: object) => Buffer
  readonly requestDeserialize: (bytes: Buffer) => object
  readonly responseSerialize: (value: object) => Buffer
  readonly responseDeserialize: (bytes: Buffer) => object
  readonly originalName: string
}

export type PackageDefinition = Record<string, Record<string, MethodDefinition>>

export function etcd3PackageDefinition(descriptor: INamespace, methods: readonly ApiMethod[], options: IConversionOptions): PackageDefinition {
  const root = protobuf.Root.fromJSON(descriptor)
  root.resolveAll()
  const definition: PackageDefinition = {}
  for (const m of methods) {
    const request = root.lookupType(m.requestType)
    const response = root.lookupType(m.responseType)
    definition[m.service] ??= {}
    definition[m.service]![m.name] = {
      path: `/${m.service}/${m.name}`,
      requestStream: m.requestStream,
      responseStream: m.responseStream,
      requestSerialize: serializer(request),
      requestDeserialize: deserializer(request, options),
      responseSerialize: serializer(response),
      responseDeserialize: deserializer(response, options),
      originalName: m.originalName,
    }
  }
  return definition
}

function serializer(type: Type): (value: object) => Buffer {
  return (value) => {
    if (Array.isArray(value)) throw new Error(`Failed to serialize message: expected object with ${type.name} structure, got array instead`)
    // In Node protobufjs writes into a Buffer (its BufferWriter), as proto-loader returns it.
    return type.encode(type.fromObject(value)).finish() as Buffer
  }
}

function deserializer(type: Type, options: IConversionOptions): (bytes: Buffer) => object {
  return (bytes) => type.toObject(type.decode(bytes), options)
}
