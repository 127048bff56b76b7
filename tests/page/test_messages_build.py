"""A build whose interface catalogues disagree stops with exit 2, naming FILE:LINE key, and leaves the old map."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from build_map import main
from geo.page import messages


def test_a_catalogue_lacking_a_key_stops_the_build_and_keeps_the_previous_map(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "map.html"
    output.write_text("the previous map", encoding="utf-8")
    folder = tmp_path / "messages"
    shutil.copytree(messages.MESSAGES_DIR, folder)
    ru = folder / "ru.yaml"
    text = ru.read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("core.status.disputed:"))
    # A typo in the key: the catalogue lacks core.status.disputed and has a key en.yaml lacks.
    ru.write_text(text.replace("core.status.disputed:", "core.status.dispute:"), encoding="utf-8")
    monkeypatch.setattr(messages, "MESSAGES_DIR", folder)
    assert main(["--data", str(data_copy), "--output", str(output)]) == 2
    err = capsys.readouterr().err
    assert f"{ru}:{line} core.status.dispute: expected only keys en.yaml has" in err
    assert f"{ru} core.status.disputed: expected the key (en.yaml has it" in err
    assert "Traceback" not in err
    assert output.read_text(encoding="utf-8") == "the previous map"
