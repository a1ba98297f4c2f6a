/**
 * Start-up errors of the embedded Neo4j. Every message is ONE line that says what went wrong and what
 * to do about it, so it can be printed as is (no stack) by the CLI and by the service's start-up code.
 */
export type StartupErrorCode =
  'PORT_IN_USE' | 'JAVA_MISSING' | 'MVN_MISSING' | 'DOWNLOAD_FAILED' | 'NEO4J_START_FAILED' | 'NEO4J_START_TIMEOUT';

export class StartupError extends Error {
  override readonly name = 'StartupError';
  readonly code: StartupErrorCode;
  /** Extra detail that does not fit the one-line message (e.g. where the logs are). */
  readonly hint?: string;

  constructor(code: StartupErrorCode, message: string, options?: { hint?: string; cause?: unknown }) {
    super(oneLine(message), options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options?.hint !== undefined) this.hint = options.hint;
  }
}

export function isStartupError(error: unknown): error is StartupError {
  return error instanceof StartupError;
}

/** Collapses whitespace runs containing line breaks so a message stays on one line. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

// ---- message builders (exported so callers and tests share the exact wording) ----

export const BOLT_PORT_ENV = 'NEO4J_EMBEDDED_BOLT_PORT';

export function portInUseError(port: number, host = '127.0.0.1'): StartupError {
  return new StartupError(
    'PORT_IN_USE',
    `Port ${port} on ${host} is already in use: stop the process using it or set ${BOLT_PORT_ENV} to a free port.`,
  );
}

/**
 * @param command the java executable that was tried
 * @param source how it was chosen: 'path' ("java" looked up on PATH), 'java_home' ($JAVA_HOME/bin/java)
 *   or 'option' (explicit javaCommand)
 * @param foundVersion the major version when java exists but is older than 17
 */
export function javaMissingError(command: string, source: 'path' | 'java_home' | 'option', foundVersion?: number): StartupError {
  // A JDK, not a JRE: provisioning has mvn compile the launcher in neo4j/, which needs javac.
  const fix = 'install a JDK 17 (for example apt-get install openjdk-17-jdk-headless) or set JAVA_HOME.';
  if (foundVersion !== undefined) {
    return new StartupError('JAVA_MISSING', `Java 17+ is required but ${command} is Java ${foundVersion}: ${fix}`);
  }
  const where = source === 'path' ? 'on PATH' : source === 'java_home' ? `at ${command} (from JAVA_HOME)` : `at ${command}`;
  const fixHere = source === 'java_home' ? 'point JAVA_HOME at a JDK 17+ or unset it to use java from PATH.' : fix;
  return new StartupError('JAVA_MISSING', `Java 17+ was not found ${where}: ${fixHere}`);
}

export function mvnMissingError(command: string): StartupError {
  const where = command === 'mvn' ? 'on PATH' : `at ${command}`;
  return new StartupError(
    'MVN_MISSING',
    `Maven (mvn) was not found ${where}: install Maven 3.8+ (for example apt-get install maven) and run npm run neo4j:provision again.`,
  );
}

export function downloadFailedError(version: string, mvnErrorLine: string): StartupError {
  const detail = mvnErrorLine.trim().replace(/[.\s]+$/, '') || 'mvn failed without an error message';
  return new StartupError(
    'DOWNLOAD_FAILED',
    `Downloading Neo4j ${version} from Maven Central failed: ${detail}. Check network access to Maven Central and run npm run neo4j:provision again.`,
  );
}
