import { fileURLToPath, pathToFileURL } from 'node:url';

/** The index keys files by path; documents that are not files (untitled:) keep their URI as key. */
export function uriToKey(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

export function keyToUri(key: string): string {
  return key.includes(':') && !/^[a-zA-Z]:[\\/]/.test(key) && !key.startsWith('/') ? key : pathToFileURL(key).href;
}
