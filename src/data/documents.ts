import type { DocumentModel } from '../models/document';
import type { RequestDb } from '../db/neo4jClient';
import { str, type Props } from './graph';

export function documentFromProps(props: Props): DocumentModel {
  return {
    id: props.id as string,
    title: props.title as string,
    titleIsEditorial: props.titleIsEditorial === true,
    publisher: str(props.publisher),
    url: str(props.url),
    publishedAt: str(props.publishedAt),
    language: str(props.language),
    attribution: str(props.attribution),
    text: props.text as string,
  };
}

export async function documentsByIds(db: RequestDb, ids: readonly string[]): Promise<(DocumentModel | null)[]> {
  const rows = await db.read<{ d: Props }>('MATCH (d:Document) WHERE d.id IN $ids RETURN d {.*} AS d', { ids: [...ids] });
  const byId = new Map(rows.map((row) => [row.d.id as string, documentFromProps(row.d)]));
  return ids.map((id) => byId.get(id) ?? null);
}
