// Checks that a screenshot of the viewer page shows a heatmap: below the status line, most
// pixels are coloured (not the white page) and their luminance varies (not one flat colour).
// Usage: node test/heatmap.mjs SHOT.png [MIN_VARIANCE]. Exit 1, saying why, when it does not.
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';

const [file, minVariance = '200'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node test/heatmap.mjs SHOT.png [MIN_VARIANCE]');
  process.exit(2);
}
const png = PNG.sync.read(readFileSync(file));
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
const variance = sumSquares / n - mean * mean;
const fraction = coloured / n;
console.log(
  `${file}: ${png.width}×${png.height}, ${(100 * fraction).toFixed(1)}% coloured, luminance variance ${variance.toFixed(1)}`,
);
if (fraction < 0.3 || variance < Number(minVariance)) {
  console.error(`no heatmap: need ≥ 30% coloured pixels and luminance variance ≥ ${minVariance}`);
  process.exit(1);
}
