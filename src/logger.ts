import pino, { type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout; one place decides the shape of every line. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'geopolitics-knowledge-graph' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}
