// The tool's version, from package.json (bundled in by esbuild).
import manifest from '../../package.json';

export const toolVersion: string = manifest.version;
