from __future__ import annotations

import os
import stat

import pytest

from analysis import atomic


def test_a_file_is_replaced_whole_with_the_usual_permissions(tmp_path):
    target = tmp_path / "page.html"
    target.write_text("old\n", encoding="utf-8")
    mask = os.umask(0o027)
    try:
        atomic.write_text(target, "new\r\nline\n")
    finally:
        os.umask(mask)
    assert target.read_bytes() == b"new\r\nline\n"  # written as given, no translation
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # 0o666 under the umask 0o027
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "index.html"
    target.write_text("old\n", encoding="utf-8")

    def fail(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        atomic.write_text(target, "new\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]
