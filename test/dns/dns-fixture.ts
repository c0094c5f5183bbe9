// Shared by the dns tests: a DnsOptions for each way of switching, and a temp dir that is removed after.
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after} from 'node:test'
import type {DnsOptions, DnsSwitch} from '../../src/spec/types.js'

export const NAME = 'etcd.example.internal'
export const TARGET_URLS = ['http://127.0.2.3:2379', 'http://127.0.2.1:2379', 'http://127.0.2.2:2379'] as const

export function dnsOptions(change: DnsSwitch, name = NAME): DnsOptions {
  return {name, switch: change, verify: true}
}

/** A fresh temp dir, removed when the test file ends. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-dns-'))
  after(() => rm(dir, {recursive: true, force: true}))
  return dir
}
