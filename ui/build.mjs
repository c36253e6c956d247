// Builds the web UI into --out (default build/dist): the app bundle and its CSS under assets/
// with content hashes in their names, index.html, and the API reference page docs/index.html
// over swagger-ui-dist (its files copied under assets/ with hashed names too).
// `node build.mjs --tests` instead bundles test/*.test.ts into build/unit/ for `node --test`.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = resolve(outIndex >= 0 ? args[outIndex + 1] : join(here, 'build/dist'));

if (args.includes('--tests')) {
  const dir = join(here, 'test');
  const entries = readdirSync(dir).filter((f) => f.endsWith('.test.ts')).map((f) => join(dir, f));
  rmSync(join(here, 'build/unit'), { recursive: true, force: true });
  await build({
    entryPoints: entries, outdir: join(here, 'build/unit'), bundle: true, platform: 'node',
    format: 'esm', outExtension: { '.js': '.mjs' }, target: 'node18', logLevel: 'warning',
  });
  process.exit(0);
}

const hash = (text) => createHash('sha256').update(text).digest('hex').slice(0, 10);
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'assets'), { recursive: true });
mkdirSync(join(out, 'docs'), { recursive: true });

const result = await build({
  entryPoints: [join(here, 'src/main.ts')], bundle: true, minify: true, write: false,
  format: 'esm', target: ['chrome109', 'firefox115', 'safari16'], outdir: join(out, 'assets'),
  entryNames: 'app-[hash]', assetNames: '[name]-[hash]', sourcemap: false,
  logLevel: 'warning', legalComments: 'none',
});
const names = {};
for (const f of result.outputFiles) {
  writeFileSync(f.path, f.contents);
  names[f.path.endsWith('.css') ? 'css' : 'js'] = f.path.slice(out.length);
}
const indexHtml = readFileSync(join(here, 'src/index.html'), 'utf8')
  .replace('%APP_JS%', names.js).replace('%APP_CSS%', names.css);
writeFileSync(join(out, 'index.html'), indexHtml);
writeFileSync(join(out, 'favicon.svg'), readFileSync(join(here, 'src/favicon.svg')));

// /docs: swagger-ui-dist's bundle and CSS plus our own initializer (no inline script).
const swagger = join(here, 'node_modules/swagger-ui-dist');
const copyHashed = (text, base, ext) => {
  const name = `/assets/${base}-${hash(text)}.${ext}`;
  writeFileSync(join(out, name), text);
  return name;
};
const swaggerJs = copyHashed(readFileSync(join(swagger, 'swagger-ui-bundle.js'), 'utf8')
  .replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n'), 'swagger-ui-bundle', 'js');
const swaggerCss = copyHashed(readFileSync(join(swagger, 'swagger-ui.css'), 'utf8')
  .replace(/\/\*# sourceMappingURL=.*\*\/\s*$/, ''), 'swagger-ui', 'css');
const initJs = copyHashed(readFileSync(join(here, 'src/docs-init.js'), 'utf8'), 'docs-init', 'js');
writeFileSync(join(out, 'docs/index.html'), `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>chitragupt API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${swaggerCss}"></head>
<body><div id="swagger-ui"></div>
<script src="${swaggerJs}"></script><script src="${initJs}"></script></body></html>
`);
const sizes = readdirSync(join(out, 'assets')).map((f) => `${f} ${readFileSync(join(out, 'assets', f)).length}`);
console.log(`ui: built ${out}\n  ${sizes.join('\n  ')}`);
