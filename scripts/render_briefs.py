"""Look at the briefs as a reader would: HTML printed by Chromium, DOCX converted by LibreOffice, PNG pages.

    .venv/bin/python scripts/render_briefs.py --briefs data/marts/briefs --out build/pages [--scope SG17]

For each brief folder under --briefs (or only --scope), writes <out>/<scope>/html-<n>.png (the HTML printed to
A4 PDF by Chromium) and <out>/<scope>/docx-<n>.png (the Word file converted to PDF by LibreOffice), both
through pdftoppm, then checks what a machine can: every page has text (no blank page), the watermark is on
every page when the brief is synthetic (and nowhere otherwise), and the HTML and Word page counts. Overlaps,
cut-off charts still need a human (or a model) to look at the PNGs.

Needs chromium, libreoffice (soffice) and pdftoppm/pdftotext (Debian: chromium libreoffice-writer-nogui
poppler-utils); without them it says which is missing and exits 2, so CI can skip it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

WATERMARK = "SAMPLE DATA — synthetic"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)


def tools() -> dict[str, str | None]:
    return {
        "chromium": next((p for n in CHROMIUM_NAMES if (p := shutil.which(n))), None),
        "soffice": shutil.which("soffice") or shutil.which("libreoffice"),
        "pdftoppm": shutil.which("pdftoppm"),
        "pdftotext": shutil.which("pdftotext"),
    }


def html_to_pdf(chromium: str, html: Path, pdf: Path) -> Path:
    with tempfile.TemporaryDirectory(prefix="sgpulse-chromium-") as profile:
        command = [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={pdf}",
            html.resolve().as_uri(),
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    if not pdf.exists():
        raise RuntimeError(f"chromium could not print {html}: {result.stderr.strip()[-400:]}")
    return pdf


def docx_to_pdf(soffice: str, docx: Path, out_dir: Path) -> Path:
    with tempfile.TemporaryDirectory(prefix="sgpulse-lo-") as profile:
        command = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(docx),
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    pdf = out_dir / (docx.stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError(f"libreoffice could not convert {docx}: {result.stderr.strip()[-400:]}")
    return pdf


def pdf_pages(pdftoppm: str, pdf: Path, prefix: Path, dpi: int) -> list[Path]:
    for old in prefix.parent.glob(prefix.name + "-*.png"):
        old.unlink()
    subprocess.run([pdftoppm, "-r", str(dpi), "-png", str(pdf), str(prefix)], check=True, timeout=300)
    return sorted(prefix.parent.glob(prefix.name + "-*.png"))


def page_texts(pdftotext: str, pdf: Path) -> list[str]:
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def check_pages(kind: str, texts: list[str], synthetic: bool) -> list[str]:
    """Problems a machine can see: blank pages, a missing (or unexpected) watermark on a page."""
    problems = []
    for n, text in enumerate(texts, start=1):
        if not text.strip():
            problems.append(f"{kind} page {n} is blank")
        has_mark = WATERMARK in " ".join(text.split())
        if synthetic and not has_mark:
            problems.append(f"{kind} page {n} has no watermark")
        if not synthetic and has_mark:
            problems.append(f"{kind} page {n} has a watermark but the data are not synthetic")
    return problems


def render_scope(folder: Path, out: Path, found: dict[str, str | None], dpi: int) -> list[str]:
    """Render one brief folder; return the problems found."""
    html = next(folder.glob("brief-*.html"), None)
    docx = next(folder.glob("brief-*.docx"), None)
    md = next(folder.glob("brief-*.md"), None)
    synthetic = bool(md and md.read_text(encoding="utf-8").startswith(f"**{WATERMARK}**"))
    target = out / folder.name
    target.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    counts = {}
    if html:
        pdf = html_to_pdf(found["chromium"], html, target / "html.pdf")
        pages = pdf_pages(found["pdftoppm"], pdf, target / "html", dpi)
        problems += check_pages("HTML", page_texts(found["pdftotext"], pdf), synthetic)
        counts["html"] = len(pages)
    if docx:
        pdf = docx_to_pdf(found["soffice"], docx, target)
        pdf = pdf.rename(target / "docx.pdf")
        pages = pdf_pages(found["pdftoppm"], pdf, target / "docx", dpi)
        problems += check_pages("DOCX", page_texts(found["pdftotext"], pdf), synthetic)
        counts["docx"] = len(pages)
    print(
        f"{folder.name}: "
        + ", ".join(f"{k} {v} pages" for k, v in counts.items())
        + (" [synthetic]" if synthetic else "")
        + (f" - {len(problems)} problem(s)" if problems else " - ok")
    )
    return [f"{folder.name}: {p}" for p in problems]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--briefs", type=Path, required=True, help="Folder of built briefs (sgpulse --out)")
    parser.add_argument("--out", type=Path, required=True, help="Where to write the page images")
    parser.add_argument("--scope", action="append", help="Only these briefs (e.g. SG17, sector); repeatable")
    parser.add_argument("--dpi", type=int, default=60, help="Resolution of the page images")
    args = parser.parse_args(argv)
    found = tools()
    missing = [name for name, path in found.items() if not path]
    if missing:
        print(
            f"render_briefs: missing {', '.join(missing)} (apt-get install chromium libreoffice-writer-nogui "
            "poppler-utils)",
            file=sys.stderr,
        )
        return 2
    folders = sorted(p for p in args.briefs.iterdir() if p.is_dir() and any(p.glob("brief-*")))
    if args.scope:
        folders = [p for p in folders if p.name in set(args.scope)]
    problems = []
    for folder in folders:
        problems += render_scope(folder, args.out, found, args.dpi)
    for problem in problems:
        print(f"PROBLEM {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
