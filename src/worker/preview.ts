/** The preview worker's entry (the engine's is index.ts): see preview-api.ts. */
import { expose } from 'comlink';
import { previewApi } from './preview-api.ts';

expose(previewApi);
