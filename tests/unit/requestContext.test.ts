/** Request ids: which incoming header wins, what is refused, and that a request's log lines carry the id. */
import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger';
import { createContext, type Services } from '../../src/context';
import type { Neo4jClient } from '../../src/db/neo4jClient';
import { parseTraceparent, requestInfoFromHeaders } from '../../src/requestContext';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('traceparent', () => {
  test('a valid header gives its trace id', () => {
    expect(parseTraceparent(TRACEPARENT)).toBe(TRACE_ID);
    // A later version may append fields.
    expect(parseTraceparent(`01-${TRACE_ID}-00f067aa0ba902b7-01-extra`)).toBe(TRACE_ID);
  });

  test.each([
    ['upper-case hex', TRACEPARENT.toUpperCase()],
    ['version ff', `ff-${TRACE_ID}-00f067aa0ba902b7-01`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`],
    ['an all-zero parent id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['extra fields on version 00', `${TRACEPARENT}-extra`],
    ['a short trace id', `00-4bf92f35-00f067aa0ba902b7-01`],
    ['garbage', 'hello'],
  ])('%s is ignored', (_name, header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });
});

describe('the request id', () => {
  test('is the caller’s x-request-id when it is plain', () => {
    expect(requestInfoFromHeaders({ 'x-request-id': 'checkout-7f3a.42' })).toEqual({ requestId: 'checkout-7f3a.42' });
  });

  test('is the trace id of a valid traceparent when there is no x-request-id, and the trace id is kept either way', () => {
    expect(requestInfoFromHeaders({ traceparent: TRACEPARENT })).toEqual({ requestId: TRACE_ID, traceId: TRACE_ID });
    expect(requestInfoFromHeaders({ traceparent: TRACEPARENT, 'x-request-id': 'abc' })).toEqual({ requestId: 'abc', traceId: TRACE_ID });
  });

  test.each([
    ['missing', {}],
    ['too long', { 'x-request-id': 'a'.repeat(129) }],
    ['with spaces or quotes (log injection)', { 'x-request-id': 'abc" level=fatal' }],
    ['with a newline', { 'x-request-id': 'abc\ndef' }],
    ['empty', { 'x-request-id': '' }],
  ])('is a new UUID when the header is %s', (_name, headers) => {
    expect(requestInfoFromHeaders(headers).requestId).toMatch(UUID);
  });
});

test("a request's context logs with its id bound once; the service's logger stays as it was, and no loader is built unasked", () => {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw.push(chunk.toString('utf8'));
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger('info', sink);
  // Nothing here reads: a client with only the request timeout the context asks of it.
  const client = { requestTimeoutMs: 1_000 } as unknown as Neo4jClient;
  const context = createContext(client, logger.child({ traceId: TRACE_ID }), 'r-1', {} as Services);
  logger.info('service');
  context.logger.info('request');
  context.logger.child({ component: 'planner' }).info('request, deeper');
  expect(lines.map((l) => [l.msg, l.requestId, l.traceId])).toEqual([
    ['service', undefined, undefined],
    ['request', 'r-1', TRACE_ID],
    ['request, deeper', 'r-1', TRACE_ID],
  ]);
  expect(raw.map((line) => line.split('"requestId"').length - 1)).toEqual([0, 1, 1]);
  // The loaders and the look-ahead are built on first use: `{ __typename }` pays for none of them.
  const built = () => {
    const fields = context as unknown as Record<string, unknown>;
    return { loaders: fields.planner !== undefined, lookahead: fields.requestLookahead !== undefined };
  };
  expect(built()).toEqual({ loaders: false, lookahead: false });
  expect(context.loaders.entity).toBeDefined();
  expect(built()).toEqual({ loaders: true, lookahead: false });
});
