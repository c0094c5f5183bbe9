// The mode a member's config file is written with on its host: a config that names key files
// (key-file, client-key-file, peer-key-file, ... any `*key-file`) tells where the member's private
// keys are, and is readable by its owner only (0600, issue 11); any other config is 0644, as etcd's
// packages ship theirs.

const NAMES_A_KEY_FILE = /^[ \t-]*["']?[A-Za-z0-9_-]*key-file["']?[ \t]*:[ \t]*\S/m

export function configFileMode(content: string): number {
  return NAMES_A_KEY_FILE.test(content) ? 0o600 : 0o644
}
