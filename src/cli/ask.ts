// A question at the terminal, answered by one line (terraform's "Only 'yes' will be accepted").
// Ctrl-C or Ctrl-D at the question is the user declining, not a bug: nothing has been done yet.
import {createInterface} from 'node:readline/promises'
import {UserError} from '../user-error.js'

/** Exit status of a question abandoned with Ctrl-C, as a shell reports an interrupted command. */
const EXIT_INTERRUPTED = 130

export async function ask(question: string): Promise<string> {
  const rl = createInterface({input: process.stdin, output: process.stderr})
  const abandoned = new Promise<never>((_, reject) => {
    rl.once('SIGINT', () => reject(new UserError('cancelled at the question (Ctrl-C); nothing was changed', undefined, EXIT_INTERRUPTED, 'cancelled')))
    rl.once('close', () => reject(new UserError('no answer (input closed); nothing was changed', undefined, 1, 'cancelled')))
  })
  abandoned.catch(() => {}) // settles again when rl is closed below after an answer
  try {
    return (await Promise.race([rl.question(question), abandoned])).trim()
  } finally {
    rl.close()
  }
}
