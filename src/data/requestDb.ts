import { Neo4jClient, QueryCounter, type Params } from '../db/neo4jClient';
import type { RecordShape } from 'neo4j-driver';

/** The database as one request sees it: every read is counted against that request. */
export class RequestDb {
  readonly counter = new QueryCounter();

  constructor(private readonly client: Neo4jClient) {}

  read<T extends RecordShape = RecordShape>(cypher: string, params: Params = {}): Promise<T[]> {
    return this.client.read<T>(cypher, params, this.counter);
  }
}
