import DataLoader from 'dataloader';

export interface GroupedKey<G> {
  id: string;
  group: G;
}

/**
 * A DataLoader for keys that carry arguments besides the id (filters, page sizes). Keys with equal
 * arguments are fetched together, so N parents asking the same question cost one round trip, not N.
 *
 * `cacheKeyOf` picks the part of the arguments that decides the answer, when the rest only says what to
 * fetch along with it: a page fetched with its far ends answers a later request for the page alone.
 */
export function groupedLoader<G, R>(
  fetch: (ids: string[], group: G) => Promise<R[]>,
  cacheKeyOf: (group: G) => unknown = (group) => group,
): DataLoader<GroupedKey<G>, R, string> {
  return new DataLoader<GroupedKey<G>, R, string>(
    async (keys) => {
      const groups = new Map<string, { group: G; indexes: number[] }>();
      keys.forEach((key, index) => {
        const groupKey = JSON.stringify(key.group);
        const entry = groups.get(groupKey) ?? { group: key.group, indexes: [] };
        entry.indexes.push(index);
        groups.set(groupKey, entry);
      });
      const results = new Array<R>(keys.length);
      await Promise.all(
        [...groups.values()].map(async ({ group, indexes }) => {
          const values = await fetch(
            indexes.map((i) => keys[i]!.id),
            group,
          );
          indexes.forEach((keyIndex, i) => {
            results[keyIndex] = values[i]!;
          });
        }),
      );
      return results;
    },
    { cacheKeyFn: (key) => JSON.stringify([key.id, cacheKeyOf(key.group)]) },
  );
}
