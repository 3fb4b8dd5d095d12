// `stagegate`: the operator's command line. Talks to the API with an operator token; a kill or
// restore can also go straight to the database (break-glass) when the API is down.
import { Command, CommanderError } from 'commander';
import { flagCommands } from './commands/flags.js';
import { operationCommands } from './commands/operations.js';
import { pipelineCommands } from './commands/pipeline.js';
import { userCommands } from './commands/users.js';
import { describeFailure, EXIT } from './errors.js';
import { createOutput } from './output.js';
import { createSession, type Session } from './session.js';

const program = new Command('stagegate')
  .description('Run releases from a terminal: flags, rollouts, overrides, the kill switch, the audit trail.')
  .option('--url <url>', 'the API (default: STAGEGATE_URL, else http://localhost:3000)')
  .option('--token <token>', 'an operator API token (default: STAGEGATE_TOKEN)')
  .option('--json', 'JSON on stdout (the default when stdout is not a terminal)')
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) })
  .showHelpAfterError();

let session: Session | undefined;
const current = () => (session ??= createSession(createOutput({ json: program.opts<{ json?: boolean }>().json }), program.opts<{ url?: string; token?: string }>()));

pipelineCommands(flagCommands(program, current), current);
userCommands(program, current);
operationCommands(program, current);

try {
  await program.parseAsync(process.argv);
  process.exitCode = EXIT.ok;
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and --version end here too, successfully.
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    const { line, exit } = describeFailure(error, session ? safeUrl(session) : undefined);
    process.stderr.write(`error: ${line}\n`);
    process.exitCode = exit;
  }
}

function safeUrl(s: Session): string | undefined {
  try {
    return s.connection().url;
  } catch {
    return undefined;
  }
}
