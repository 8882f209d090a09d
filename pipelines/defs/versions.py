"""Code versions of the assets: content hashes (hashlib), the same in every process.

Dagster marks an asset "code version changed" (unsynced) when the version it was materialised with differs
from the one loaded now; Python's `hash()` of a string changes with every process, so it cannot be used.
A SQL model's version is the hash of its SQL; a Python asset's is the hash of the plain modules that compute
it (named where the asset is defined), of every `pipelines` module they import (at any depth, also imports
inside functions) and of the configuration files it reads: changing a helper re-versions every asset that
can reach it, and nothing else does.
"""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # pipelines/
DIGITS = 16  # 64 bits: shown in the UI, and ample to tell versions of one asset apart


def text_version(text: str) -> str:
    """The version of a piece of code given as text (a SQL model)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGITS]


def code_version(*sources: str) -> str:
    """The version of Python code: `pipelines` modules (dotted names) with every module they reach, and
    files relative to `pipelines/` (names with a `/`, e.g. `config/results_framework.yaml`)."""
    paths: set[Path] = set()
    for source in sources:
        if "/" in source:
            path = PACKAGE_DIR / source
            if not path.is_file():
                raise FileNotFoundError(f"code version source {source} not found in {PACKAGE_DIR}")
            paths.add(path)
        else:
            paths.update(module_closure(source))
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:DIGITS]


@functools.cache
def module_closure(module: str) -> tuple[Path, ...]:
    """Source files of `module` and of every `pipelines` module it imports, directly or not, sorted."""
    seen: set[Path] = set()
    pending = [module]
    if not _files_of(module):
        raise ModuleNotFoundError(f"code version source {module} is not a module of {PACKAGE_DIR.name}")
    while pending:
        for path in _files_of(pending.pop()):
            if path not in seen:
                seen.add(path)
                pending.extend(_imports(path))
    return tuple(sorted(seen))


@functools.cache
def _module_files() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its name, as its __init__.py)."""
    files = {}
    for path in PACKAGE_DIR.rglob("*.py"):
        parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
        files[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return files


def _files_of(module: str) -> list[Path]:
    """The file of a `pipelines` module and the `__init__.py` of each package it sits in (run on import)."""
    known = _module_files()
    parts = module.split(".")
    return [known[name] for depth in range(1, len(parts) + 1) if (name := ".".join(parts[:depth])) in known]


# Import statements at the start of a line (also indented, inside functions). A regex rather than `ast`: walking
# every syntax tree took 0.5 s of each code-location load; a docstring that quotes an import only adds a file.
_IMPORT = re.compile(r"^[ \t]*import[ \t]+([\w., \t]+)", re.M)
_FROM = re.compile(r"^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]+)", re.M)


@functools.cache
def _imports(path: Path) -> tuple[str, ...]:
    """Dotted names a file imports (a `from a import b` gives `a` and `a.b`: b may be a module)."""
    text = path.read_text(encoding="utf-8")
    package = path.relative_to(PACKAGE_DIR.parent).parent.parts
    names = []
    for match in _IMPORT.finditer(text):
        names.extend(part.split()[0] for part in match.group(1).split(",") if part.strip())
    for match in _FROM.finditer(text):
        base = match.group(1)
        if base.startswith("."):
            level = len(base) - len(base.lstrip("."))
            base = ".".join([*package[: len(package) - level + 1], *filter(None, [base.lstrip(".")])])
        names.append(base)
        members = match.group(2).strip("() \n").replace("\n", " ").split(",")
        names.extend(f"{base}.{m.split()[0]}" for m in members if m.strip())
    return tuple(names)
