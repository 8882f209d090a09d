"""Fetch the Data Docs' CSS, JavaScript and fonts from the npm registry into pipelines/quality/data_docs_assets/.

    .venv/bin/python scripts/vendor_data_docs_assets.py     # needs `npm` and the npm registry

Run it when Great Expectations' templates ask for other versions (tests/quality/test_quality_data_docs_offline.py
fails then, naming the address); the list of packages and files is `PACKAGES` in
pipelines/quality/data_docs_assets.py.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pipelines.quality.data_docs_assets import ASSETS_DIR, PACKAGES  # noqa: E402


def main() -> int:
    if not shutil.which("npm"):
        print("npm is needed (apt-get install -y npm)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="sgpulse-npm-") as tmp:
        for spec, files in PACKAGES.items():
            packed = subprocess.run(
                ["npm", "pack", "--silent", spec], cwd=tmp, check=True, capture_output=True, text=True
            ).stdout.split()[-1]
            with tarfile.open(Path(tmp) / packed) as archive:
                for inside, local in files.items():
                    member = archive.extractfile(f"package/{inside}")
                    if member is None:
                        raise SystemExit(f"{spec} has no {inside}")
                    target = ASSETS_DIR / local
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(member.read())
                    print(f"{spec}: {inside} -> {target.relative_to(ASSETS_DIR.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
