/**
 * Target 3, the floor: the same answers from hand-written Cypher through neo4j-driver, behind a minimal
 * node:http endpoint (POST /op/<name>, JSON variables in, JSON out as `{ "data": ... }`), so that HTTP and
 * JSON costs are like the GraphQL targets'. No GraphQL, no DataLoader, no mapping to models; each
 * operation is one statement (the neighborhood: one per level, as in the service).
 */
import http from 'node:http';
import neo4j from 'neo4j-driver';
import { createDriver } from '../../src/db/neo4jClient';
import type { CypherRunner, Operation } from '../operations';
import { closeServer, listenOnLoopback, type RunningTarget } from './common';
import { POOL_SIZE, QUERY_TIMEOUT_MS } from './ours';

const MAX_BODY = 1024 * 1024;

export async function startFloor(uri: string, operations: readonly Operation[]): Promise<RunningTarget> {
  const driver = createDriver({ uri, maxPoolSize: POOL_SIZE });
  const cypher: CypherRunner = async (statement, params) => {
    // Whole numbers are sent as Neo4j integers, as the service does (LIMIT needs one).
    const typed = Object.fromEntries(
      Object.entries(params).map(([k, v]) => [k, typeof v === 'number' && Number.isInteger(v) ? neo4j.int(v) : v]),
    );
    const result = await driver.executeQuery(statement, typed, {
      routing: neo4j.routing.READ,
      transactionConfig: { timeout: QUERY_TIMEOUT_MS },
    });
    return result.records.map((record) => record.toObject());
  };
  const byName = new Map(operations.map((op) => [op.name, op]));
  let inFlight = 0;

  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    const op = req.method === 'POST' && req.url?.startsWith('/op/') ? byName.get(req.url.slice(4)) : undefined;
    if (!op) {
      req.resume();
      send(404, { error: 'not found' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY) {
        send(413, { error: 'body too large' });
        return;
      }
      let variables: Record<string, unknown>;
      try {
        variables = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        send(400, { error: 'body is not JSON' });
        return;
      }
      inFlight += 1;
      op.floor
        .run(cypher, variables)
        .then(
          (data) => send(200, { data }),
          (error: unknown) => send(500, { error: String((error as Error)?.message ?? error) }),
        )
        .finally(() => (inFlight -= 1));
    });
  });
  const origin = await listenOnLoopback(server);
  return {
    endpoint: (operation) => `${origin}/op/${operation}`,
    inFlight: () => inFlight,
    stop: async () => {
      await closeServer(server);
      await driver.close();
    },
  };
}
