import { openSettings, resetSettings, settingsPath } from '../io/settings.js';
import { parseFlags, writeLine, type CommandContext } from './context.js';

const HELP = `Usage
  $ fmnist-tui config          show the stored settings (model, hyperparameters)
  $ fmnist-tui config --path   print where they are kept
  $ fmnist-tui config --reset  forget them (next session: the seed's values)

The interactive session saves the settings each time training starts.
FMNIST_CONFIG_DIR moves the file to another folder.
`;

export async function runConfig(argv: string[], ctx: CommandContext): Promise<number> {
  const { values } = parseFlags('config', argv, {
    path: { type: 'boolean' },
    reset: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    ctx.stdout.write(HELP);
    return 0;
  }
  const options = { env: ctx.env };
  if (values.reset) {
    const path = resetSettings(options);
    writeLine(ctx.stdout, `settings reset (${path})`);
    return 0;
  }
  if (values.path) {
    writeLine(ctx.stdout, settingsPath(options));
    return 0;
  }
  const store = openSettings(options);
  writeLine(ctx.stdout, `# ${store.path}`);
  writeLine(ctx.stdout, JSON.stringify(store.load(), null, 2));
  return 0;
}
