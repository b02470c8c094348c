// Bundles the viewer page into dist/: index.html and viewer.js (HiGlass, React, pixi.js from
// node_modules, nothing from a CDN). `gzcm serve` serves the files of dist/ and nothing else.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist');
await build({
  entryPoints: ['src/main.js'],
  outfile: 'dist/viewer.js',
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  legalComments: 'linked',
  define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
  logLevel: 'warning',
});
copyFileSync('src/index.html', 'dist/index.html');
