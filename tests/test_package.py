"""The front door: ``import analysis as da`` and every module's ``__all__``."""

from __future__ import annotations

import importlib
import importlib.util
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


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _is_module(dotted: str) -> bool:
    try:
        return importlib.util.find_spec(dotted) is not None
    except (ImportError, ValueError):
        return False


#: What a test may do with a module's private name besides import or call it: keep the
#: original of a function it replaces with monkeypatch (``real = module._read``), or reset
#: the module's state (``module._cache.cache_clear()``, ``module._clients.pop(key)``).
RESETS = {"cache_clear", "clear", "pop"}


def private_uses(source: str) -> list[tuple[int, str]]:
    """The lines of a test file that import a private name of :mod:`analysis`, call one, or
    read one other than as :data:`RESETS` allow: ``(line, name)``."""
    import ast

    tree = ast.parse(source)
    modules: dict[str, str] = {}  # a name the file binds to an analysis module -> the module
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "analysis":
                    if any(_private(part) for part in alias.name.split(".")):
                        found.append((node.lineno, alias.name))
                    if alias.asname:
                        modules[alias.asname] = alias.name
                    else:
                        modules["analysis"] = "analysis"
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "analysis":
            for alias in node.names:
                dotted = f"{node.module}.{alias.name}"
                if _private(alias.name) or any(_private(p) for p in node.module.split(".")):
                    found.append((node.lineno, dotted))
                elif _is_module(dotted):
                    modules[alias.asname or alias.name] = dotted

    def module_of(node) -> str | None:
        if isinstance(node, ast.Name):
            return modules.get(node.id)
        if isinstance(node, ast.Attribute):
            outer = module_of(node.value)
            if outer is not None and _is_module(f"{outer}.{node.attr}"):
                return f"{outer}.{node.attr}"
        return None

    patched = {(module_of(node.args[0]), node.args[1].value) for node in ast.walk(tree)
               if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
               and node.func.attr == "setattr" and len(node.args) == 3
               and isinstance(node.args[1], ast.Constant)}
    allowed = set()  # private attributes read as RESETS allow, and originals of patched ones
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in RESETS and isinstance(node.func.value, ast.Attribute)):
            allowed.add(id(node.func.value))
        elif (isinstance(node, ast.Assign) and isinstance(node.value, ast.Attribute)
              and (module_of(node.value.value), node.value.attr) in patched):
            allowed.add(id(node.value))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and _private(node.attr) and id(node) not in allowed
                and (owner := module_of(node.value)) is not None):
            found.append((node.lineno, f"{owner}.{node.attr}"))
    return sorted(found)


def test_tests_use_only_public_names_of_the_package():
    """Tests go through what a user calls: no test imports, calls or compares a private name
    of an analysis module (they may replace one with monkeypatch, or reset its cache)."""
    from pathlib import Path

    tests = Path(__file__).parent
    found = {path.name: uses for path in sorted(tests.glob("*.py"))
             if (uses := private_uses(path.read_text(encoding="utf-8")))}
    assert found == {}


def test_the_private_name_check_sees_imports_calls_and_reads():
    source = '''
from analysis.cli import _plain_lines, main
from analysis import _scan
import analysis.text.segment
from analysis.text import segment as seg
from analysis.textmodels import lss

def test(monkeypatch):
    real = seg._regex_token_spans  # kept, patched: allowed
    monkeypatch.setattr(seg, "_regex_token_spans", lambda text: real(text))
    kept = lss._context  # kept, not patched
    seg._warned  # read
    lss._keyness_chi2(1, 2, 3, 4)  # called
    analysis.text.segment._scan is None  # compared
    lss._context.cache_clear()  # reset: allowed
    main.__doc__  # not private
    object()._x  # not a module's
'''
    assert private_uses(source) == [
        (2, "analysis.cli._plain_lines"), (3, "analysis._scan"),
        (11, "analysis.textmodels.lss._context"), (12, "analysis.text.segment._warned"),
        (13, "analysis.textmodels.lss._keyness_chi2"), (14, "analysis.text.segment._scan")]
