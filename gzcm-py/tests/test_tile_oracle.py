"""Stored tile bytes against the reference decoders: python-zstandard for `zstd` and
`shuffle_zstd` frames, python-lz4 for `lz4` blocks.

The file is parsed here from docs/format.md alone (preamble, JSON header, and either the 32-byte
index records of the padded layout or the packed index section of entries 33–37), each tile's
framing is taken apart by its wire format (opaque: the writer's 8-byte `rows, cols` header, or
nothing in a bare-payloads file, whose grid gives the shape; lz4: its own 12-byte header), and the
peer library must decode the payload to exactly the matrix's cells. Written by the CLI (`$GZCM_BIN`, else the workspace's
`target/debug/gzcm`); skipped with a reason when the CLI or a peer library is missing (a failure
under `GZCM_REQUIRE_TEST_DATA=1`).
"""

from __future__ import annotations

import json
import struct
import subprocess
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import numpy as np
import pytest

from conftest import gzcm_bin, require_module

zstandard = require_module("zstandard", "python-zstandard is the zstd oracle")
lz4_block = require_module("lz4.block", "python-lz4 is the lz4 oracle")

TILE = 16


def write(tmp_path: Path, matrix: np.ndarray, codec: str, packed: bool = False, symmetric: bool = False) -> Path:
    src = tmp_path / "m.npy"
    np.save(src, matrix)
    out = tmp_path / f"m-{codec}-{'packed' if packed else 'padded'}.gzcm"
    args = [str(gzcm_bin()), "convert", str(src), str(out), "--codec", codec, "--version", "3",
            "--tile-size", str(TILE), "--symmetric" if symmetric else "--no-symmetric", "--dtype", "u32"]
    if not packed:
        args.append("--padded-index")
    done = subprocess.run(args, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return out


def varints(data: bytes, at: int, count: int) -> Tuple[List[int], int]:
    """`count` LEB128 varints from `data[at:]`, and the position after them."""
    values = []
    for _ in range(count):
        value, shift = 0, 0
        while True:
            byte = data[at]
            at += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                break
        values.append(value)
    return values, at


def unzigzag(z: int) -> int:
    return (z >> 1) ^ -(z & 1)


def packed_records(data: bytes, index: Dict) -> List[Tuple[int, int, int, int, int]]:
    """`(row, col, offset, length, codec_id)` of a packed index section (docs/format.md entry 35)."""
    return [record[:5] for record in packed_records_with_flags(data, index)]


def packed_records_with_flags(data: bytes, index: Dict) -> List[Tuple[int, int, int, int, int, int, int]]:
    """`(row, col, offset, length, codec_id, flags, nnz)` of a packed index section (entry 35)."""
    count, start = index["shape"][0], index["offset"]
    end = start + index["length"]
    section = zstandard.ZstdDecompressor().decompress(data[start:end], max_output_size=count * 54)
    d_rows, at = varints(section, 0, count)
    d_cols, at = varints(section, at, count)
    gaps_lengths, at = varints(section, at, 2 * count)
    codec_ids, at = varints(section, at, count)
    flags, at = varints(section, at, count)
    nnz, at = varints(section, at, count)
    assert len(section) == at + 4 * count, "four crc32c bytes per record end the section"
    records, row, col, payload_end = [], 0, 0, end
    for k in range(count):
        row, col = row + unzigzag(d_rows[k]), col + unzigzag(d_cols[k])
        gap, length = gaps_lengths[2 * k], gaps_lengths[2 * k + 1]
        offset = payload_end + gap
        payload_end = offset + length
        records.append((row, col, offset, length, codec_ids[k], flags[k], nnz[k]))
    return records


def stored_tiles(path: Path) -> Tuple[Dict, List[Tuple[int, int, str, bytes]]]:
    """The header and every stored tile as `(tile_row, tile_col, codec, stored bytes)`."""
    data = path.read_bytes()
    assert data[:4] == b"GZCM"
    (json_len,) = struct.unpack_from("<I", data, 4)
    header = json.loads(data[8 : 8 + json_len])
    index = header["arrays"]["tile_index"]
    assert index["record_bytes"] == 32, index
    codecs = {c["id"]: c["name"] for c in header["codecs"]}
    if index["dtype"] == "gzcm-tile-index-1":
        records = []
        for k in range(index["shape"][0]):
            at = index["offset"] + 32 * k
            records.append(struct.unpack_from("<IIQIH", data, at))
    else:
        assert index["dtype"] == "gzcm-tile-index-z2", index
        records = packed_records(data, index)
    tiles = [(row, col, codecs[cid], data[offset : offset + length]) for row, col, offset, length, cid in records]
    return header, tiles


def opaque(stored: bytes, shape: Optional[Tuple[int, int]]) -> Tuple[int, int, bytes]:
    """Shape and payload of an opaque tile: behind its 8-byte header, or bare at the grid's `shape`."""
    if shape is not None:
        return shape[0], shape[1], stored
    rows, cols = struct.unpack_from("<ii", stored, 0)
    return rows, cols, stored[8:]


def decode_with_peer(codec: str, stored: bytes, shape: Optional[Tuple[int, int]] = None) -> np.ndarray:
    """Decodes a stored tile with the peer library; `shape` is the grid's for a bare payload."""
    if codec == "zstd":
        rows, cols, payload = opaque(stored, shape)
        raw = zstandard.ZstdDecompressor().decompress(payload, max_output_size=rows * cols * 4)
        return np.frombuffer(raw, dtype="<u4").reshape(rows, cols)
    if codec == "shuffle_zstd":
        rows, cols, payload = opaque(stored, shape)
        if payload[0] == 0x01:
            # The upper-triangle form (docs/codecs.md): the n (n + 1) / 2 cells with col >= row.
            assert rows == cols
            n = rows * (rows + 1) // 2
            planes = zstandard.ZstdDecompressor().decompress(payload[1:], max_output_size=n * 4)
            upper = np.frombuffer(planes, dtype=np.uint8).reshape(4, n).T.copy().view("<u4").ravel()
            tile = np.zeros((rows, cols), dtype="<u4")
            tile[np.triu_indices(rows)] = upper
            return tile + np.triu(tile, 1).T
        planes = zstandard.ZstdDecompressor().decompress(payload, max_output_size=rows * cols * 4)
        cells = np.frombuffer(planes, dtype=np.uint8).reshape(4, rows * cols).T.copy()
        return cells.view("<u4").reshape(rows, cols)
    if codec == "lz4":
        rows, cols, size = struct.unpack_from("<III", stored, 0)
        assert size == rows * cols * 4
        raw = lz4_block.decompress(stored[12:], uncompressed_size=size)
        return np.frombuffer(raw, dtype="<u4").reshape(rows, cols)
    raise AssertionError(codec)


def sample_counts(seed: int, largest_at: Tuple[int, int]) -> np.ndarray:
    """Counts spanning all four bytes, zero runs, and ragged edge tiles (45 × 38 over 16² tiles)."""
    rng = np.random.default_rng(seed)
    matrix = (rng.pareto(1.2, size=(45, 38)) * 50).astype(np.uint32)
    matrix[rng.random(matrix.shape) < 0.4] = 0
    matrix[largest_at] = 0xFFFF_FFF0
    return matrix


@pytest.mark.parametrize("codec", ["zstd", "shuffle_zstd", "lz4"])
def test_peer_libraries_decode_every_stored_tile(tmp_path: Path, codec: str) -> None:
    matrix = sample_counts(seed=11, largest_at=(3, 5))
    header, tiles = stored_tiles(write(tmp_path, matrix, codec))
    assert header["arrays"]["matrix"]["shape"] == [45, 38]
    seen = 0
    for row, col, name, stored in tiles:
        assert name == codec
        want = matrix[row * TILE : (row + 1) * TILE, col * TILE : (col + 1) * TILE]
        np.testing.assert_array_equal(decode_with_peer(codec, stored), want, err_msg=f"tile ({row}, {col})")
        seen += 1
    assert seen == 9, "every 16² tile of a 45 × 38 matrix holds a non-zero here"


@pytest.mark.parametrize("codec", ["zstd", "shuffle_zstd", "lz4"])
def test_peer_libraries_decode_the_bare_payloads_of_a_packed_file(tmp_path: Path, codec: str) -> None:
    matrix = sample_counts(seed=12, largest_at=(40, 30))
    header, tiles = stored_tiles(write(tmp_path, matrix, codec, packed=True))
    assert header["arrays"]["tile_index"]["dtype"] == "gzcm-tile-index-z2"
    seen = 0
    for row, col, name, stored in tiles:
        assert name == codec
        want = matrix[row * TILE : (row + 1) * TILE, col * TILE : (col + 1) * TILE]
        # Opaque payloads are bare: the grid's tile shape (smaller at the edges) is the only shape.
        shape = None if codec == "lz4" else want.shape
        np.testing.assert_array_equal(decode_with_peer(codec, stored, shape), want, err_msg=f"tile ({row}, {col})")
        seen += 1
    assert seen == 9, "every 16² tile of a 45 × 38 matrix holds a non-zero here"


def test_python_zstandard_decodes_the_upper_triangle_of_symmetric_diagonal_tiles(tmp_path: Path) -> None:
    counts = sample_counts(seed=13, largest_at=(20, 9))
    matrix = np.triu(counts[:38, :38]) + np.triu(counts[:38, :38], 1).T
    header, tiles = stored_tiles(write(tmp_path, matrix, "shuffle_zstd", packed=True, symmetric=True))
    triangles = 0
    for row, col, name, stored in tiles:
        assert row <= col and name == "shuffle_zstd"
        want = matrix[row * TILE : (row + 1) * TILE, col * TILE : (col + 1) * TILE]
        triangles += stored[0] == 0x01
        assert (stored[0] == 0x01) == (row == col), f"tile ({row}, {col}) starts with {stored[0]:#x}"
        np.testing.assert_array_equal(decode_with_peer(name, stored, want.shape), want, err_msg=f"tile ({row}, {col})")
    assert triangles == 3, "the three diagonal tiles of a 38 × 38 matrix over 16² tiles"


def test_python_zstandard_decodes_tile_groups(tmp_path: Path) -> None:
    """A file of tile groups (groups-1, docs/format.md entries 52–56) written by `gzcm load`,
    parsed from the document alone: every group's payload, decoded with python-zstandard, and
    every tile of its own give exactly the contacts the pairs hold."""
    rng = np.random.default_rng(5)
    length, bin_size = 4000, 10
    n = length // bin_size
    near = rng.integers(0, length, size=3000)
    pos = np.stack([near, np.clip(near + rng.integers(-40, 40, size=near.size), 0, length - 1)], axis=1)
    far = rng.integers(0, length, size=(150, 2))
    pairs = np.concatenate([pos, far])
    text = ["## pairs format v1.0", f"#chromsize: chr1 {length}", "#columns: readID chr1 pos1 chr2 pos2 strand1 strand2"]
    text += [f"r{k}\tchr1\t{a + 1}\tchr1\t{b + 1}\t+\t-" for k, (a, b) in enumerate(pairs.tolist())]
    src = tmp_path / "toy.pairs"
    src.write_text("\n".join(text) + "\n")
    out = tmp_path / "toy.gzcm"
    done = subprocess.run([str(gzcm_bin()), "load", str(src), str(out), "--resolutions", str(bin_size), "--tile-size", str(TILE)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    truth = np.zeros((n, n), dtype=np.int64)
    bins = np.sort(pairs // bin_size, axis=1)
    np.add.at(truth, (bins[:, 0], bins[:, 1]), 1)

    data = out.read_bytes()
    (json_len,) = struct.unpack_from("<I", data, 4)
    header = json.loads(data[8 : 8 + json_len])
    index = header["arrays"]["tile_index"]
    assert index["dtype"] == "gzcm-tile-index-z3", index
    codecs = {c["id"]: c["name"] for c in header["codecs"]}
    upper = np.zeros((n, n), dtype=np.int64)
    groups = 0
    for row, col, offset, length_, codec_id, flags, nnz in packed_records_with_flags(data, index):
        stored = data[offset : offset + length_]
        if not flags & 1:
            assert flags == 0 and codecs[codec_id] == "shuffle_zstd", "load's codec for the dense tiles"
            want = upper[row * TILE : (row + 1) * TILE, col * TILE : (col + 1) * TILE]
            tile = decode_with_peer("shuffle_zstd", stored, want.shape)
            if row == col:
                tile = np.triu(tile)
            want += tile
            continue
        groups += 1
        span = (flags >> 1) + 1
        assert codec_id == 0
        stream = zstandard.ZstdDecompressor().decompress(stored, max_output_size=10 + 11 * nnz)
        (count,), at = varints(stream, 0, 1)
        deltas, at = varints(stream, at, count)
        values, at = varints(stream, at, count)
        assert at == len(stream), "nothing follows the values"
        rows = min(TILE, n - row * TILE)
        keys = np.cumsum(np.asarray(deltas, dtype=np.int64) + 1) - 1
        c, r = keys // rows, keys % rows
        assert (c < span * TILE).all()
        upper[row * TILE + r, col * TILE + c] += np.asarray(values, dtype=np.int64) + 1
        counted = sum(2 if (col + cc // TILE == row and cc % TILE != rr) else 1 for cc, rr in zip(c.tolist(), r.tolist()))
        assert counted == nnz, f"group ({row}, {col})"
    assert groups > 0, "the far contacts are sparse enough for groups"
    np.testing.assert_array_equal(upper, truth)
