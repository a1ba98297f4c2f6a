/**
 * Writes are never retried in a way that could apply them twice (Neo4jClient.writeTransaction). The driver's
 * managed transaction retries its work on a retryable error, a connection lost during COMMIT included; this
 * fake driver does exactly that, so the test can place the failure before or after the work finished.
 */
import { Neo4jError, type Driver, type ManagedTransaction } from 'neo4j-driver';
import { Neo4jClient } from '../../src/db/neo4jClient';
import { DatabaseUnavailableError } from '../../src/db/unavailable';

const lost = () => new Neo4jError('Connection lost', 'ServiceUnavailable', 'N/A', 'N/A');

/** A driver whose managed write fails once, `when` the work has finished (during COMMIT) or while it runs. */
function fakeDriver(when: 'during-commit' | 'during-work'): { driver: Driver; commits: number } {
  const state = { commits: 0, failed: false };
  const tx = {
    run: async () => {
      if (when === 'during-work' && !state.failed) {
        state.failed = true;
        throw lost();
      }
      return { records: [] };
    },
  } as unknown as ManagedTransaction;
  const session = {
    async executeWrite<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
      for (;;) {
        try {
          const value = await work(tx);
          if (when === 'during-commit' && !state.failed) {
            state.failed = true;
            // COMMIT was sent and the connection dropped: the server may have committed.
            state.commits += 1;
            throw lost();
          }
          state.commits += 1;
          return value;
        } catch (error) {
          if (!(error instanceof Neo4jError) || !error.retryable) throw error;
        }
      }
    },
    close: async () => undefined,
  };
  const driver = { session: () => session } as unknown as Driver;
  return {
    driver,
    get commits() {
      return state.commits;
    },
  };
}

test('a connection lost during COMMIT is not retried: the caller hears that the outcome is unknown', async () => {
  const fake = fakeDriver('during-commit');
  const client = new Neo4jClient(fake.driver, { queryTimeoutMs: 1_000 });
  let runs = 0;
  const write = client.writeTransaction(async () => {
    runs += 1;
    return 'written';
  });
  await expect(write).rejects.toBeInstanceOf(DatabaseUnavailableError);
  await expect(write).rejects.toThrow(/may or may not have been applied/);
  expect(runs).toBe(1);
  expect(fake.commits).toBe(1);
});

test('a failure before the work finished is retried, as the driver does, and the write lands once', async () => {
  const fake = fakeDriver('during-work');
  const client = new Neo4jClient(fake.driver, { queryTimeoutMs: 1_000 });
  let runs = 0;
  await expect(
    client.writeTransaction(async (tx) => {
      runs += 1;
      await tx.run('CREATE (:Fact)');
      return 'written';
    }),
  ).resolves.toBe('written');
  expect(runs).toBe(2);
  expect(fake.commits).toBe(1);
});
