"""The registry from Python: list, get, raw encode/decode, unknown names."""

from __future__ import annotations

import numpy as np
import pytest

import gzcm

from conftest import contact_map

BUILTINS = {"bsc", "bsc_cmc", "cmc", "cmc_zstd", "lz4", "rans", "shuffle_zstd", "zstd"}


def test_list_codecs_is_sorted_and_has_the_builtins() -> None:
    names = gzcm.list_codecs()
    assert names == sorted(names)
    assert BUILTINS <= set(names)


@pytest.mark.parametrize("name", sorted(BUILTINS))
@pytest.mark.parametrize("dtype", [np.uint32, np.float32])
def test_every_builtin_round_trips_a_tile_raw(name: str, dtype) -> None:
    codec = gzcm.get_codec(name)
    assert codec.name == name
    assert codec.wire in ("opaque", "self")
    tile = contact_map(64, seed=3).astype(dtype)
    payload = codec.encode(tile)
    assert isinstance(payload, bytes) and payload
    back = codec.decode(payload, tile.shape, np.dtype(dtype).name)
    assert back.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(back, tile)


def test_wire_formats_match_the_declarations() -> None:
    assert gzcm.get_codec("lz4").wire == "self"
    assert gzcm.get_codec("zstd").wire == "opaque"


def test_unknown_codec_error_carries_name_available_and_suggestion() -> None:
    with pytest.raises(gzcm.UnknownCodecError) as caught:
        gzcm.get_codec("zstdd")
    err = caught.value
    assert isinstance(err, KeyError) and isinstance(err, gzcm.GzcmError)
    assert err.name == "zstdd"
    assert err.available == sorted(gzcm.list_codecs())
    assert err.suggestion == "zstd"
    assert "did you mean `zstd`" in str(err)


def test_decode_of_garbage_raises_a_codec_error() -> None:
    codec = gzcm.get_codec("zstd")
    with pytest.raises(gzcm.CodecError):
        codec.decode(b"\x00not a zstd frame", (16, 16), "uint32")


def test_encode_refuses_a_wrong_dtype() -> None:
    with pytest.raises(gzcm.InvalidInputError, match="uint32 or float32"):
        gzcm.get_codec("zstd").encode(np.zeros((4, 4), dtype=np.int64))


def test_integer_only_codecs_refuse_fractions() -> None:
    with pytest.raises(gzcm.CodecError, match="not a whole count"):
        gzcm.get_codec("cmc").encode(np.full((4, 4), 0.5, dtype=np.float32))
