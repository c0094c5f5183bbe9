// ANSI escape sequences (SGR colours and styles), to assert that output is or is not coloured.
export const ANSI = /\u001b\[[0-9;]*m/

export function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '')
}
