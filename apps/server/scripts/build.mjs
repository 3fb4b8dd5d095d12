// Compiles the server to one ES module, dist/main.js, so production runs plain `node` rather than
// tsx. Our workspace packages (TypeScript sources) are bundled; every npm package stays external and
// is imported from where pnpm installed it, so nothing is duplicated and native/WASM assets keep their paths.
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
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

await build({
  entryPoints: [`${root}src/main.ts`],
  outfile: `${root}dist/main.js`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  plugins: [npmInPlace],
  logLevel: 'warning',
});
