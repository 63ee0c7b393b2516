"""The build's cache on disk: a result is reused only for the same inputs and
the same code, and a cache that cannot be used changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflet_site import cache
from leaflet_site.names import CACHE_ENV


class Maker:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> bytes:
        self.calls += 1
        return f"result {self.calls}".encode()


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_the_same_inputs_are_made_once(folder: Path) -> None:
    make = Maker()
    first = cache.cached("kind", ("a", b"b"), make)
    assert cache.cached("kind", ("a", b"b"), make) == first and make.calls == 1
    assert len(list((folder / "kind").iterdir())) == 1


def test_other_inputs_are_made_again(folder: Path) -> None:
    make = Maker()
    cache.cached("kind", ("ab", "c"), make)
    assert cache.cached("kind", ("a", "bc"), make) == b"result 2"  # the parts' bounds count
    assert cache.cached("other", ("ab", "c"), make) == b"result 3"  # and the kind


def test_changed_code_is_never_answered_from_the_cache(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make = Maker()
    cache.cached("kind", ("a",), make)
    monkeypatch.setattr(cache, "code_version", lambda: "another version of the package")
    assert cache.cached("kind", ("a",), make) == b"result 2"


def test_off_makes_it_every_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, "off")
    make = Maker()
    cache.cached("kind", ("a",), make)
    assert cache.cached("kind", ("a",), make) == b"result 2"


def test_a_cache_that_cannot_be_written_is_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    make = Maker()
    assert cache.cached("kind", ("a",), make) == b"result 1"
    assert cache.cached("kind", ("a",), make) == b"result 2"


def test_the_oldest_go_first(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "KEPT", 3)
    for n in range(5):
        cache.cached("kind", (str(n),), Maker())
    assert len(list((folder / "kind").iterdir())) == 3
    make = Maker()
    cache.cached("kind", ("4",), make)
    assert make.calls == 0  # the newest is kept


def test_a_qr_code_from_the_cache_is_the_one_drawn_now(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build keeps each QR code's picture (printing._qr): what it reads
    back is byte for byte the picture drawn with no cache."""
    from leaflet_site import printing

    address = "https://leaflets.example.org/nerve-root-injection/latest/risks/"
    printing._qr.cache_clear()  # remembered in the process too: draw it afresh
    kept = printing._qr(address, "png")
    assert len(list((folder / "qr").iterdir())) == 1
    printing._qr.cache_clear()
    assert printing._qr(address, "png") == kept
    monkeypatch.setenv(CACHE_ENV, "off")
    printing._qr.cache_clear()
    assert printing._qr(address, "png") == kept
    printing._qr.cache_clear()
