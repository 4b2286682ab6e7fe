// Shared by the command-line scripts: the server's own config, or exit 2 naming the bad variable.
import { ConfigError, loadConfig, type Config } from '../server/config/config.js';

export function configOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`invalid configuration: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}
