// The real-browser check of `gzcm serve`'s page: Chromium (the system's, driven by
// playwright-core) opens URL, waits until HiGlass has received tiles from /api/v1/tiles/ and
// the network is idle, screenshots the page, and checks the screenshot shows a heatmap (below
// the status line, most pixels coloured and their luminance varying).
// Usage: node test/screenshot.mjs CHROMIUM URL OUT.png. Exit 1, saying why, when it does not.
import { writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';

const [executablePath, url, out] = process.argv.slice(2);
if (!out) {
  console.error('usage: node test/screenshot.mjs CHROMIUM URL OUT.png');
  process.exit(2);
}
const MIN_VARIANCE = 200;
const MIN_COLOURED = 0.3;

function heatmapFigures(buffer) {
  const png = PNG.sync.read(buffer);
  const top = Math.min(40, png.height); // the status line
  let n = 0;
  let coloured = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let y = top; y < png.height; y += 1) {
    for (let x = 0; x < png.width; x += 1) {
      const i = (y * png.width + x) * 4;
      const [r, g, b] = [png.data[i], png.data[i + 1], png.data[i + 2]];
      const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
      n += 1;
      sum += luminance;
      sumSquares += luminance * luminance;
      if (r < 245 || g < 245 || b < 245) coloured += 1;
    }
  }
  const mean = sum / n;
  return { width: png.width, height: png.height, coloured: coloured / n, variance: sumSquares / n - mean * mean };
}

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--enable-unsafe-swiftshader', '--use-angle=swiftshader'],
});
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 600, height: 500 } });
  let tiles = 0;
  const errors = [];
  page.on('response', (response) => {
    if (response.url().includes('/api/v1/tiles/')) {
      if (response.ok()) tiles += 1;
      else errors.push(`${response.status()} ${response.url()}`);
    }
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  await page.goto(url, { waitUntil: 'load', timeout: 60000 });
  const deadline = Date.now() + 60000;
  while (tiles === 0 && Date.now() < deadline) {
    await page.waitForTimeout(100);
  }
  await page.waitForLoadState('networkidle', { timeout: 60000 });
  await page.waitForTimeout(1000); // HiGlass draws the tiles it received
  const shot = await page.screenshot();
  writeFileSync(out, shot);
  const f = heatmapFigures(shot);
  const status = await page.textContent('#status');
  console.log(
    `${url}: ${tiles} tile responses; ${f.width}×${f.height} screenshot ${out}: ` +
      `${(100 * f.coloured).toFixed(1)}% coloured, luminance variance ${f.variance.toFixed(1)}; status "${status}"`,
  );
  for (const error of errors) console.error(`  ${error}`);
  if (tiles === 0) {
    console.error('no tile response reached the page');
    failed = true;
  } else if (f.coloured < MIN_COLOURED || f.variance < MIN_VARIANCE) {
    console.error(`no heatmap: need ≥ ${100 * MIN_COLOURED}% coloured pixels and luminance variance ≥ ${MIN_VARIANCE}`);
    failed = true;
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
