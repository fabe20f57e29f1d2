"""Tests of the project's environment: requirements and lock, committed notebooks, seed
corpus."""

from __future__ import annotations

import hashlib
import re
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from analysis import build, config

ROOT = config.PROJECT_DIR

SEED_SHA256 = {
    "000_25f78f2dd7ffcf91.txt": "019725c031d2a028ff170215771109f225b97411d19b916bad1ab84b51ab34e6",
    "003_1564a39f4359748c.txt": "065dd5c3a75d551f68b57ee8843e884e8e2c853cce44caf569ad5cf37970da84",
}

_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(==|=)\s*([^\s=,;<>!~]+)$")
LOCK = ROOT / "requirements.lock"


def _normalize(name: str) -> str:
    """PEP 503 name normalization: ``vaderSentiment`` and ``vadersentiment`` are one package."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _parse_pin(spec: str) -> tuple[str, str]:
    match = _PIN.match(spec.strip())
    assert match, f"not an exact pin: {spec!r}"
    return _normalize(match.group(1)), match.group(3)


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _pyproject_requirements() -> dict[str, Requirement]:
    """Every requirement of the project and of its extras, by normalized name."""
    project = _pyproject()["project"]
    specs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        specs.extend(extra)
    requirements = {_normalize(r.name): r for r in map(Requirement, specs)}
    assert len(requirements) == len(specs), "a package is listed twice in pyproject.toml"
    return requirements


def _lock_pins() -> dict[str, str]:
    """requirements.lock: one exact ``name==version`` a line (pip freeze), comments aside."""
    lines = [line for line in LOCK.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    pins = dict(_parse_pin(line) for line in lines)
    assert len(pins) == len(lines), "a package is listed twice in requirements.lock"
    return pins


def _environment_entries() -> tuple[list[str], list[str]]:
    """The conda and pip entries of environment.yml's ``dependencies`` (a strict, tiny parser).

    The file's layout is fixed: ``dependencies:`` at column 0, conda entries as ``  - x``,
    pip entries under ``  - pip:`` as ``      - x``. Anything else under ``dependencies``
    fails the test rather than being silently ignored.
    """
    conda: list[str] = []
    pip: list[str] = []
    section = None
    for raw in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        if not line.startswith(" "):
            section = "dependencies" if line == "dependencies:" else None
            continue
        if section is None:
            continue
        item = re.fullmatch(r"( *)- (.+)", line)
        assert item, f"unexpected line under dependencies: {raw!r}"
        indent, value = len(item.group(1)), item.group(2).strip()
        if indent == 2 and value == "pip:":
            section = "pip"
        elif indent == 2:
            section = "dependencies"
            conda.append(value)
        elif section == "pip" and indent > 2:
            pip.append(value)
        else:
            raise AssertionError(f"unexpected line under dependencies: {raw!r}")
    return conda, pip


def _environment_pins() -> dict[str, str]:
    conda, pip = _environment_entries()
    unpinned = {"python", "pip", "c-compiler"}
    specs = [s for s in conda if _normalize(re.split(r"[=<> ]", s)[0]) not in unpinned]
    specs += [s for s in pip if not s.startswith(("-e ", "-c "))]
    pins = dict(_parse_pin(spec) for spec in specs)
    assert len(pins) == len(specs), "a package is listed twice in environment.yml"
    return pins


def test_the_lock_holds_a_version_in_range_for_every_requirement():
    lock, problems = _lock_pins(), []
    for name, requirement in _pyproject_requirements().items():
        if name not in lock:
            problems.append(f"{name}: not in requirements.lock (make lock)")
        elif not requirement.specifier.contains(lock[name], prereleases=True):
            problems.append(f"{name}=={lock[name]} is outside {requirement}")
    assert problems == []
    assert "analysis" not in lock  # the project itself is installed from the tree
    assert {"numpy", "pandas", "matplotlib", "nbclient", "jupyterlab", "pytest"} <= set(lock)


def test_environment_pins_every_requirement_at_the_locked_version():
    environment, lock = _environment_pins(), _lock_pins()
    assert set(environment) == set(_pyproject_requirements())
    assert {name: lock.get(name) for name in environment} == environment
    _, pip = _environment_entries()
    assert pip[-2:] == ["-e .", "-c requirements.lock"]  # the rest of the lock, for conda too


def test_requirements_are_ranges_with_reasons_for_upper_bounds():
    """Lower bounds so that the package installs beside others; an upper bound (or an
    exclusion) only with the known break it avoids, said in a comment on its line."""
    exact, unexplained = [], []
    for requirement in _pyproject_requirements().values():
        operators = {spec.operator for spec in requirement.specifier}
        if operators & {"==", "===", "~="}:
            exact.append(str(requirement))
        if ">=" not in operators:
            exact.append(f"{requirement} (no lower bound)")
        if operators & {"<", "<=", "!="}:
            line = next(raw for raw in (ROOT / "pyproject.toml").read_text(
                encoding="utf-8").splitlines() if raw.strip().startswith(f'"{requirement.name}'))
            if "#" not in line:
                unexplained.append(str(requirement))
    assert exact == [] and unexplained == []


def test_jupyterlab_is_an_extra_not_a_requirement_of_the_library():
    project = _pyproject()["project"]
    library = {_normalize(Requirement(spec).name) for spec in project["dependencies"]}
    assert "jupyterlab" not in library
    assert [Requirement(s).name for s in project["optional-dependencies"]["lab"]] == [
        "jupyterlab"]
    # what the build of the reports needs stays a requirement
    assert {"ipykernel", "jupyter-client", "nbclient", "nbconvert", "nbformat",
            "matplotlib"} <= library


def test_make_installs_from_the_lock():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = re.findall(r"^\t\$\(BIN\)/python -m pip install (.*)$", makefile, re.MULTILINE)
    assert installs and all(line.startswith("-c $(LOCK) ") for line in installs)
    assert re.search(r"^LOCK := requirements\.lock$", makefile, re.MULTILINE)
    assert re.search(r"^lock:$", makefile, re.MULTILINE)  # how the lock is made again
    # make test runs the browser test in JupyterLab and annotates with spaCy
    assert "'.[dev,dask,lab,annotate]'" in makefile


def test_lowest_constraints_are_the_lower_bounds():
    from lowest import lower_bounds

    bounds = lower_bounds(ROOT / "pyproject.toml")
    requirements = _pyproject_requirements()
    extras = _pyproject()["project"]["optional-dependencies"]
    tested = set(_pyproject()["project"]["dependencies"]) | {
        spec for extra in ("dev", "dask", "lab") for spec in extras[extra]}
    assert {_normalize(n) for n in bounds} == {_normalize(Requirement(s).name) for s in tested}
    for name, version in bounds.items():
        specifier = requirements[_normalize(name)].specifier
        assert specifier.contains(version)
        assert [s.version for s in specifier if s.operator == ">="] == [version]


def test_environment_python_matches_requires_python():
    conda, _ = _environment_entries()
    assert "python=3.11" in conda and "pip" in conda
    assert "c-compiler" in conda  # pip builds the token scanner (setup.py)
    requires = SpecifierSet(_pyproject()["project"]["requires-python"])
    assert str(requires) == ">=3.11"  # 3.11 is the version tested; no known break after it
    assert requires.contains("3.11.7") and not requires.contains("3.10.14")
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert re.search(r"^channels:\n  - conda-forge\n", text, re.MULTILINE)


def test_notebooks_dir_holds_the_notebooks_the_readme_lists():
    """The build runs every NN-name notebook of notebooks/; the README's table names them all,
    and the folder holds no other notebook (a stray one would be neither built nor read)."""
    import nbformat  # not at collection: its schema checkers take seconds to import
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `(\d\d-[a-z0-9-]+)` \|", readme, re.MULTILINE)
    assert listed == ["01-corpus-overview", "02-keyword-frequency", "03-framing-four-roads",
                      "04-topic-comparison", "05-explore", "06-positions"]
    built = [p.name for p in build.find_notebooks(config.NOTEBOOKS_DIR)]
    assert built == [f"{name}.ipynb" for name in listed]
    assert sorted(p.name for p in config.NOTEBOOKS_DIR.glob("*.ipynb")) == built
    for name in built:
        nb = nbformat.read(config.NOTEBOOKS_DIR / name, as_version=4)
        assert any(c.cell_type == "code" for c in nb.cells), f"{name} has no code cell"


def test_notebooks_are_committed_without_outputs():
    import nbformat  # not at collection: its schema checkers take seconds to import
    dirty = []
    notebooks = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            if cell.get("outputs"):
                dirty.append(f"{path.name}: cell {index} has outputs")
            if cell.get("execution_count") is not None:
                dirty.append(f"{path.name}: cell {index} has an execution count")
            if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
                dirty.append(f"{path.name}: cell {index} is an injected-parameters cell")
    assert dirty == []


@pytest.mark.parametrize("name", sorted(SEED_SHA256))
def test_seed_is_byte_identical(name):
    data = (config.SEEDS_DIR / name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == SEED_SHA256[name]


def _imports_of_library() -> dict[str, set[str]]:
    """Module -> the library modules it imports (at any level of the file), from the source."""
    import ast

    from analysis import config

    modules = {}
    for path in config.PACKAGE_DIR.rglob("*.py"):
        parts = path.relative_to(config.PACKAGE_DIR.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            found |= {t for t in targets if t in modules and t != name}
        graph[name] = found - {"analysis"}
    return graph


def test_no_library_module_imports_in_a_circle():
    graph = _imports_of_library()
    assert {"analysis.text.process", "analysis.units", "analysis.framing.roads"} <= set(graph)
    assert "analysis.units" in graph["analysis.overview"]  # the reader sees real imports
    done, cycles = set(), []

    def visit(module, path):
        if module in path:
            cycles.append(path[path.index(module):] + [module])
            return
        if module in done:
            return
        for target in sorted(graph[module]):
            visit(target, path + [module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    assert cycles == []
