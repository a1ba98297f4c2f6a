import { ConfigError, loadConfig } from '../../src/config';

/** The problems loadConfig reports for an environment, or [] when it accepts it. */
export function configProblems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env, '/srv/app');
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}
