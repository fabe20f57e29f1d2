"""Tests of analysis.figures: reproducible, atomic figure files."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from analysis import config, figures  # noqa: E402


def _figure():
    """A small figure with text, bars and a line, the same every time."""
    with figures.style():
        fig, ax = plt.subplots(figsize=(4, 3))
        ax.bar(["road", "belt", "friendship"], [5, 3, 8])
        ax.plot([0, 1, 2], [2, 6, 4], color="black")
        ax.set_title("Toy counts")
        ax.set_ylabel("count")
    return fig


def test_writes_png_and_svg(tmp_path):
    fig = _figure()
    paths = figures.save_figure(fig, "01-toy", tmp_path)
    assert paths == [tmp_path / "01-toy.png", tmp_path / "01-toy.svg"]
    assert paths[0].read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert b"<svg" in paths[1].read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["01-toy.png", "01-toy.svg"]
    plt.close(fig)


def test_png_has_fixed_dpi(tmp_path):
    fig = _figure()
    png = figures.save_figure(fig, "dpi", tmp_path)[0].read_bytes()
    # IHDR: width and height in pixels, right after the 8-byte signature and chunk header
    width = int.from_bytes(png[16:20], "big")
    height = int.from_bytes(png[20:24], "big")
    assert (width, height) == (4 * config.FIGURE_DPI, 3 * config.FIGURE_DPI)
    plt.close(fig)


def test_saved_figure_is_closed_and_displays_as_its_png(tmp_path):
    fig = _figure()
    saved = figures.save_figure(fig, "open", tmp_path)
    assert not plt.fignum_exists(fig.number)  # the inline backend will not draw it again
    assert saved._repr_png_() == (tmp_path / "open.png").read_bytes()
    assert saved == [tmp_path / "open.png", tmp_path / "open.svg"]


def test_same_figure_twice_is_byte_identical(tmp_path):
    first = figures.save_figure(_figure(), "same", tmp_path / "a")
    second = figures.save_figure(_figure(), "same", tmp_path / "b")
    plt.close("all")
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes()


def test_byte_identical_in_another_process(tmp_path):
    here = figures.save_figure(_figure(), "proc", tmp_path / "here")
    plt.close("all")
    script = textwrap.dedent(
        f"""
        import matplotlib
        matplotlib.use("Agg")
        import sys
        sys.path.insert(0, {str(os.path.dirname(__file__))!r})
        from test_figures import _figure
        from analysis.figures import save_figure
        save_figure(_figure(), "proc", {str(tmp_path / "there")!r})
        """
    )
    env = dict(os.environ, PYTHONHASHSEED="12345", SOURCE_DATE_EPOCH="0")
    env["PYTHONPATH"] = os.pathsep.join([str(config.PROJECT_DIR), env.get("PYTHONPATH", "")])
    subprocess.run([sys.executable, "-c", script], check=True, env=env, cwd=tmp_path)
    for path in here:
        assert path.read_bytes() == (tmp_path / "there" / path.name).read_bytes()


def test_no_date_or_version_in_metadata(tmp_path):
    png, svg = figures.save_figure(_figure(), "meta", tmp_path)
    plt.close("all")
    svg_text = svg.read_text(encoding="utf-8")
    assert "<dc:date>" not in svg_text
    assert "Matplotlib v" not in svg_text and matplotlib.__version__ not in svg_text
    assert b"Software" not in png.read_bytes()
    assert matplotlib.__version__.encode() not in png.read_bytes()


def test_svg_ids_follow_the_fixed_hashsalt(tmp_path):
    with matplotlib.rc_context({"svg.hashsalt": "something-else"}):
        svg = figures.save_figure(_figure(), "salt", tmp_path / "a")[1]
    reference = figures.save_figure(_figure(), "salt", tmp_path / "b")[1]
    plt.close("all")
    assert svg.read_bytes() == reference.read_bytes()


@pytest.mark.parametrize("name", ["", "a/b", "../up", "a\\b", "/abs", ".hidden", "x.png", None])
def test_bad_name_rejected(tmp_path, name):
    fig = _figure()
    with pytest.raises(ValueError):
        figures.save_figure(fig, name, tmp_path)
    plt.close(fig)
    assert list(tmp_path.iterdir()) == []


def test_failure_leaves_no_partial_file_and_keeps_old_one(tmp_path):
    (tmp_path / "boom.png").write_bytes(b"old png")
    fig = _figure()
    calls = []

    def broken_savefig(handle, **kwargs):
        calls.append(kwargs["format"])
        if kwargs["format"] == "svg":
            handle.write(b"<svg half written")
            raise OSError("disk full")
        handle.write(b"\x89PNG new")

    fig.savefig = broken_savefig
    with pytest.raises(OSError, match="disk full"):
        figures.save_figure(fig, "boom", tmp_path)
    plt.close(fig)
    assert calls == ["png", "svg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["boom.png"]
    assert (tmp_path / "boom.png").read_bytes() == b"old png"


def test_default_out_dir_is_config(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "FIGURES_DIR", tmp_path / "figs")
    paths = figures.save_figure(_figure(), "default", None)
    plt.close("all")
    assert [p.parent for p in paths] == [tmp_path / "figs"] * 2


def test_style_sets_font_and_restores():
    before = dict(matplotlib.rcParams)
    with figures.style():
        assert matplotlib.rcParams["font.sans-serif"][0] == config.FIGURE_FONT
        assert matplotlib.rcParams["savefig.dpi"] == config.FIGURE_DPI
        assert matplotlib.rcParams["svg.hashsalt"] == config.SVG_HASHSALT
    assert dict(matplotlib.rcParams) == before
