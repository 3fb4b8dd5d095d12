// One esbuild setup for what ships as plain JavaScript (the server, the CLI): our workspace packages
// (TypeScript sources) are bundled; every npm package stays external and is imported from where pnpm
// installed it, so nothing is duplicated and native/WASM assets keep their paths.
import { builtinModules } from 'node:module';

const builtins = new Set(builtinModules);

const npmInPlace = {
  name: 'npm-in-place',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith('@stagegate/') || args.pluginData?.inner) return undefined;
      if (args.path.startsWith('node:') || builtins.has(args.path.split('/')[0])) return { external: true };
      const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: { inner: true } });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: resolved.path, external: true };
    });
  },
};

/**
 * Bundles `entry` into one ES module at `outfile` (with a `banner`, e.g. a shebang). `build` is
 * esbuild's, from the calling package (each one that ships JavaScript depends on esbuild itself).
 */
export function bundle(build, { entry, outfile, banner }) {
  return build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    plugins: [npmInPlace],
    logLevel: 'warning',
    ...(banner && { banner: { js: banner } }),
  });
}
