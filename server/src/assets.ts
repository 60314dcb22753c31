import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Finds a WASM or data file shipped by a dependency. Bundles in dist/ carry a flat copy beside
 * themselves (esbuild.mjs copies them); unbundled runs (tests from out/) resolve the package.
 */
export function assetPath(fileName: string, packagePath: string): string {
  const beside = path.join(__dirname, fileName);
  if (existsSync(beside)) return beside;
  try {
    return require.resolve(packagePath);
  } catch {
    throw new Error(`missing runtime file ${fileName} (looked beside ${__dirname} and for ${packagePath})`);
  }
}
