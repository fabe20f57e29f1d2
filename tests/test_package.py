"""The front door: ``import analysis as da`` and every module's ``__all__``."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys

import analysis


def test_every_verb_is_one_import_away_and_documented_with_an_example():
    import analysis as da

    assert {"load_corpus", "process", "frequency", "keyness", "kwic", "collocates", "trends",
            "dfm", "lookup", "keyness_plot"} <= set(da.__all__)
    for name in da.__all__:
        verb = getattr(da, name)
        assert callable(verb) and verb.__name__ == name, name
        doc = inspect.getdoc(verb) or ""
        assert "Examples\n--------" in doc and ">>> " in doc, f"{name}: no runnable example"
    assert set(da.__all__) <= set(dir(da))


def test_a_verb_keeps_its_place_when_its_module_is_imported():
    """``analysis.frequency`` is both a module and its verb: importing the module (as any
    analysis does) must not put the module where the verb is."""
    code = ("import analysis as da, analysis.frequency, analysis.dfm\n"
            "from analysis.frequency import gries_dp\n"
            "import sys\n"
            "print(type(da.frequency).__name__, type(da.dfm).__name__,\n"
            "      type(sys.modules['analysis.frequency']).__name__)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["function", "function", "module"]


def test_importing_the_package_imports_no_analysis():
    code = ("import analysis, sys\n"
            "print(sorted(m for m in sys.modules if m.startswith('analysis')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "['analysis']"


def test_every_modules_all_lists_its_public_functions_and_classes():
    missing = {}
    for info in pkgutil.walk_packages(analysis.__path__, "analysis."):
        if info.name in ("analysis.__main__", "analysis._scan", "analysis.config"):
            continue
        module = importlib.import_module(info.name)
        public = {n for n, o in vars(module).items() if not n.startswith("_")
                  and (inspect.isfunction(getattr(o, "__wrapped__", o))
                       or inspect.isclass(o))
                  and getattr(o, "__module__", None) == info.name}
        absent = public - set(getattr(module, "__all__", ()))
        if absent:
            missing[info.name] = sorted(absent)
    assert missing == {}


def test_the_api_reference_builds_offline_without_a_warning(tmp_path):
    """``make docs``: a page for every module, no warning (-W error), no remote script."""
    import re

    from analysis import config

    script = config.PACKAGE_DIR.parent / "docs" / "reference.py"
    done = subprocess.run([sys.executable, "-W", "error", str(script), str(tmp_path)],
                          capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr == "", done.stderr[-2000:]
    names = [m.name for m in pkgutil.walk_packages(analysis.__path__, "analysis.")
             if m.name not in ("analysis.__main__", "analysis._scan")]
    for name in ["analysis", *names]:
        page = tmp_path / (name.replace(".", "/") + ".html")
        assert page.is_file(), name
    pages = "".join(p.read_text(encoding="utf-8") for p in tmp_path.rglob("*.html"))
    assert re.search(r'<script[^>]+src="https?:', pages) is None
