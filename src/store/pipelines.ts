/** Saved pipelines: named pipeline configs a user keeps and picks later. */

import type { LinesightDatabase, SavedPipeline } from './schema.ts';
import { fail, writeTransaction, type StoreResult } from './tx.ts';

export const MAX_PIPELINE_NAME = 200;

/**
 * Saves (or replaces) the pipeline named `name`. The text is kept verbatim, valid or not, so a
 * draft can be kept; validate it when it is loaded into the editor. Names are trimmed.
 */
export async function savePipeline(db: LinesightDatabase, name: string, text: string): Promise<StoreResult<SavedPipeline>> {
  const trimmed = name.trim();
  const saved: SavedPipeline = { name: trimmed, text, savedAt: new Date().toISOString() };
  return writeTransaction(db, ['pipelines'], async (tx) => {
    if (trimmed === '') fail('invalid', 'A saved pipeline needs a name.');
    if (trimmed.length > MAX_PIPELINE_NAME) fail('invalid', `A pipeline name has at most ${MAX_PIPELINE_NAME} characters.`);
    await tx.objectStore('pipelines').put(saved);
    return saved;
  });
}

/** Saved pipelines by name (IndexedDB orders string keys by UTF-16 code units: "B" before "a"). */
export async function listPipelines(db: LinesightDatabase): Promise<SavedPipeline[]> {
  return db.getAll('pipelines');
}

/** `value`: whether a pipeline of that name was stored. */
export async function deletePipeline(db: LinesightDatabase, name: string): Promise<StoreResult<boolean>> {
  return writeTransaction(db, ['pipelines'], async (tx) => {
    const store = tx.objectStore('pipelines');
    const existed = (await store.getKey(name)) !== undefined;
    await store.delete(name);
    return existed;
  });
}
