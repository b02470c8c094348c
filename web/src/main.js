// The page `gzcm serve` shows: HiGlass (from npm, bundled by build.mjs) with one heatmap per
// tileset the server offers, reading tiles from the same server's /api/v1.
import { viewer } from 'higlass';

const server = `${window.location.origin}/api/v1`;
const status = document.getElementById('status');

async function tilesets() {
  const response = await fetch(`${server}/tilesets/`);
  if (!response.ok) {
    throw new Error(`${server}/tilesets/ answered HTTP ${response.status}`);
  }
  return (await response.json()).results;
}

// One view per tileset, side by side (up to three a row), each a heatmap of the whole genome.
function viewConfig(list) {
  const perRow = Math.min(list.length, 3);
  const width = Math.floor(12 / perRow);
  return {
    editable: false,
    zoomFixed: false,
    trackSourceServers: [server],
    views: list.map((tileset, i) => ({
      uid: `view-${tileset.uuid}`,
      layout: { w: width, h: 12, x: (i % perRow) * width, y: Math.floor(i / perRow) * 12 },
      tracks: {
        center: [
          {
            uid: `heatmap-${tileset.uuid}`,
            type: 'heatmap',
            server,
            tilesetUid: tileset.uuid,
            options: { name: tileset.name, labelPosition: 'bottomRight', colorbarPosition: 'topRight' },
          },
        ],
      },
    })),
  };
}

async function main() {
  const list = await tilesets();
  if (list.length === 0) {
    status.textContent = 'the server offers no tileset';
    return;
  }
  status.textContent = `gzcm serve · ${list.map((t) => t.name).join(', ')}`;
  viewer(document.getElementById('viewer'), viewConfig(list), { bounded: true });
}

main().catch((error) => {
  status.textContent = `cannot show the maps: ${error.message}`;
});
