import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Finds a WASM or data file shipped by a dependency. Bundles in dist/ carry a flat copy beside
 * themselves (esbuild.mjs copies them); unbundled runs (tests from out/) resolve the package.
 */
export function assetPath(fileName: string, packagePath: string | (() => string)): string {
  const beside = path.join(__dirname, fileName);
  if (existsSync(beside)) return beside;
  const where = typeof packagePath === 'string' ? packagePath : 'its package';
  try {
    const inPackage = typeof packagePath === 'string' ? require.resolve(packagePath) : packagePath();
    if (existsSync(inPackage)) return inPackage;
  } catch {
    // fall through to the error below
  }
  throw new Error(`missing runtime file ${fileName} (looked beside ${__dirname} and in ${where})`);
}
