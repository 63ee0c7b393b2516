"""Where the full source text is looked for: ../shared/source/ or the path in
LEAFLET_SOURCE. A path given there that does not exist is a mistake to
report, never a quiet skip."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflet_site import source
from leaflet_site.findings import LeafletError
from leaflet_site.names import SOURCE_ENV


def test_a_named_source_that_is_missing_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SOURCE_ENV, str(tmp_path / "nowhere.txt"))
    with pytest.raises(LeafletError) as raised:
        source.find(tmp_path)
    finding = raised.value.finding
    assert finding.file == SOURCE_ENV and "no file there" in finding.problem and source.SOURCE_NAME in finding.fix


def test_a_named_source_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = tmp_path / "source.txt"
    text.write_text("The leaflet.\n", encoding="utf-8")
    monkeypatch.setenv(SOURCE_ENV, str(text))
    assert source.find(tmp_path) == text


def test_no_source_here_is_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SOURCE_ENV, raising=False)
    assert source.find(tmp_path / "project") is None
