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


def _text_width(text: str) -> float:
    """The width in pixels of a text drawn in the project's style."""
    with figures.style():
        fig = plt.figure()
        label = fig.text(0, 0, text, fontsize=20)
        fig.canvas.draw()
        width = label.get_window_extent().width
    plt.close(fig)
    return width


def test_chinese_urdu_and_hindi_labels_have_glyphs(tmp_path):
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with figures.style():
            fig, ax = plt.subplots(figsize=(4, 3))
            ax.barh(["中国", "ہے", "میں", "पाकिस्तान", "road"], [5, 4, 3, 2, 1])
        figures.save_figure(fig, "scripts", tmp_path)
    # DejaVu Sans alone has none of 中, 国, ے, ں, nor any Devanagari letter: matplotlib warns
    # "Glyph ... missing from font(s)" and draws an empty box
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == []


def test_arabic_letters_join():
    # beh joined to its neighbours takes its narrow initial, medial and final forms (written
    # out: U+FE91, U+FE92, U+FE90); a zero-width non-joiner between the letters keeps each one
    # isolated and wide (U+FE8F), which is what unshaped text would show
    joined, apart = _text_width("ببب"), _text_width("ب\u200cب\u200cب")
    assert joined == _text_width("\ufe91\ufe92\ufe90")
    assert apart == _text_width("\ufe8f\ufe8f\ufe8f") and joined < 0.8 * apart


def test_a_fallback_font_of_the_same_name_on_the_machine_is_not_taken():
    import copy
    import dataclasses

    from matplotlib import font_manager

    ours = {str(path) for path in figures.font_files().values()}
    manager = copy.copy(font_manager.fontManager)
    dejavu = font_manager.findfont("DejaVu Sans")
    entries = [e for e in font_manager.fontManager.ttflist if e.fname not in ours]
    # a machine's own font named Noto Sans SC, found first (here DejaVu Sans's file)
    machine = dataclasses.replace(next(e for e in entries if e.fname == dejavu),
                                  name="Noto Sans SC")
    manager.ttflist = [machine, *entries]
    assert manager.findfont("Noto Sans SC", fallback_to_default=False) == dejavu
    figures.register_fonts(manager)
    for family, path in figures.font_files().items():
        assert manager.findfont(family, fallback_to_default=False) == str(path)
    with figures.style():
        assert matplotlib.rcParams["font.family"] == [config.FIGURE_FONT,
                                                      *config.FIGURE_FALLBACK_FONTS]
