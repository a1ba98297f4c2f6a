import DataLoader from 'dataloader';

/**
 * Group arguments are plain data that is never changed once made (look-ahead shares them across
 * requests), so each object's JSON is worked out once rather than on every load.
 */
const jsonByObject = new WeakMap<object, string>();
export function jsonOf(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  let json = jsonByObject.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    jsonByObject.set(value, json);
  }
  return json;
}

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
        const groupKey = jsonOf(key.group);
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
    { cacheKeyFn: (key) => `${jsonOf(key.id)} ${jsonOf(cacheKeyOf(key.group))}` },
  );
}
