import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stdout; one place decides the shape of every line. A request's lines carry its id
 * because they are written with its context's logger, a child bound to the id (src/context.ts): passed on,
 * not found through an AsyncLocalStorage, whose promise hooks cost Node 20 a quarter of a small request.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'geopolitics-knowledge-graph' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}
