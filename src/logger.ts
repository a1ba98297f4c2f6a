import pino, { type Logger } from 'pino';
import { requestLogMixin } from './requestContext';

export type { Logger };

/**
 * Structured JSON logs on stdout; one place decides the shape of every line. A line written while a
 * request is served carries that request's id (see src/requestContext.ts), whichever logger wrote it.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, base: { service: 'geopolitics-knowledge-graph' }, timestamp: pino.stdTimeFunctions.isoTime, mixin: requestLogMixin },
    destination,
  );
}
