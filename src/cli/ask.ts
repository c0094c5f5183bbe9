// A question at the terminal, answered by one line (terraform's "Only 'yes' will be accepted").
import {createInterface} from 'node:readline/promises'

export async function ask(question: string): Promise<string> {
  const rl = createInterface({input: process.stdin, output: process.stderr})
  try {
    return (await rl.question(question)).trim()
  } finally {
    rl.close()
  }
}
