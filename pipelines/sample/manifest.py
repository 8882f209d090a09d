"""SHA-256 manifest of a written sample, in `sha256sum` format: proves that a change to the generator left
its output byte-identical, and that the bundled `data/raw` is what the generator writes.

    python -m pipelines.sample.manifest data/raw > tests/sample/data_raw.sha256   (run by `make sample`)
    cd data/raw && sha256sum -c ../../tests/sample/data_raw.sha256
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path


def digests(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under `folder`, keyed by its POSIX path relative to `folder`."""
    folder = Path(folder)
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def format_manifest(files: dict[str, str]) -> str:
    return "".join(f"{digest}  {name}\n" for name, digest in sorted(files.items()))


def read_manifest(path: Path) -> dict[str, str]:
    files = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        files[name] = digest
    return files


if __name__ == "__main__":
    sys.stdout.write(format_manifest(digests(Path(sys.argv[1] if len(sys.argv) > 1 else "data/raw"))))
