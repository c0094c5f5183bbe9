// A file-system error in the words an operator needs ("permission denied", "it is a directory"),
// instead of Node's "EACCES: permission denied, open '/x'" with the path repeated.

export function fsErrorReason(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'no such file'
    case 'EISDIR':
      return 'it is a directory'
    case 'ENOTDIR':
      return 'a part of its path is a file, not a directory'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'EROFS':
      return 'read-only file system'
    default:
      return (error as Error).message
  }
}
