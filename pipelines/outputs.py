"""Staged outputs: a run writes its briefs and Data Docs beside the published ones and swaps them in with
the warehouse, so that a failed run leaves the previous outputs exactly as they were.

    <out>/.stage-<run_id>/   what the run builds: a copy of every brief folder, updated; index; data_docs
    <out>/.old-<run_id>/     the published entries it replaced, kept until the warehouse is swapped in too

Only the entries a stage holds are replaced; everything else in <out> (the run records under quality/, the
chart cache, files of the user's own) is left alone.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

STAGE_PREFIX, ASIDE_PREFIX = ".stage-", ".old-"
# Never copied into a stage nor replaced by one: records of every run, the render cache, the Data Docs
# (built afresh by each run).
NOT_STAGED = {"quality", ".cache", "data_docs"}


def stage_dir(out_dir: Path, run_id: str) -> Path:
    return Path(out_dir) / f"{STAGE_PREFIX}{run_id}"


def ensure_stage(out_dir: Path, run_id: str) -> Path:
    """The run's staging folder (created empty the first time a step of the run asks for it)."""
    stage = stage_dir(out_dir, run_id)
    stage.mkdir(parents=True, exist_ok=True)
    return stage


def stage_briefs(out_dir: Path, run_id: str) -> Path:
    """The staging folder with a copy of every published brief folder, for the run's briefs to update.

    A copy (not hard links): the briefs are written in place, and a link would change the published file.
    Every brief folder is copied, not only this year's, so the index the run writes lists them all.
    """
    out_dir = Path(out_dir)
    stage = ensure_stage(out_dir, run_id)
    if out_dir.is_dir():
        for entry in sorted(out_dir.iterdir()):
            if entry.name.startswith(".") or entry.name in NOT_STAGED or not entry.is_dir():
                continue
            if (stage / entry.name).exists() or not any(entry.glob("brief-*")):
                continue
            shutil.copytree(entry, stage / entry.name, symlinks=True)
    return stage


@dataclass
class Swap:
    """The published entries replaced by a stage's, undoable until `finish`."""

    out_dir: Path
    stage: Path
    aside: Path
    done: list[tuple[Path, Path | None]] = field(default_factory=list)  # (published, set-aside copy or None)

    def rollback(self) -> None:
        """Put every replaced entry back, and the staged ones back into the stage."""
        for published, kept in reversed(self.done):
            if published.exists() or published.is_symlink():  # not when its own rename failed
                os.rename(published, self.stage / published.name)
            if kept is not None:
                os.rename(kept, published)
        self.done.clear()

    def finish(self) -> None:
        """Drop the replaced entries and the emptied stage (the new outputs are published)."""
        shutil.rmtree(self.aside, ignore_errors=True)
        shutil.rmtree(self.stage, ignore_errors=True)


def swap_in(out_dir: Path, stage: Path) -> Swap:
    """Replace the published entries by the stage's, setting the replaced ones aside; undone on failure.

    Each entry moves by one rename (atomic): a reader sees the old folder or the new one, never a mix. An
    entry of another kind in the way (a folder where a file is published, or the reverse) is not replaced:
    it is someone's, so the swap stops and is undone.
    """
    out_dir = Path(out_dir)
    aside = out_dir / (ASIDE_PREFIX + stage.name.removeprefix(STAGE_PREFIX))
    swap = Swap(out_dir, stage, aside)
    try:
        aside.mkdir(exist_ok=True)
        for staged in sorted(stage.iterdir()):
            published = out_dir / staged.name
            kept = None
            if published.exists() or published.is_symlink():
                if published.is_dir() != staged.is_dir():
                    kind = "folder" if published.is_dir() else "file"
                    raise IsADirectoryError(
                        f"{published} is a {kind} where sgpulse publishes a "
                        f"{'folder' if staged.is_dir() else 'file'}; move it away"
                    )
                kept = aside / staged.name
                os.rename(published, kept)
            swap.done.append((published, kept))
            os.rename(staged, published)
    except BaseException:
        swap.rollback()
        shutil.rmtree(aside, ignore_errors=True)
        raise
    return swap


def discard_stage(out_dir: Path, run_id: str) -> None:
    shutil.rmtree(stage_dir(out_dir, run_id), ignore_errors=True)


def remove_stale(out_dir: Path, keep_run: str | None = None, published_by: str | None = None) -> list[str]:
    """Clear what runs that were killed left in the output folder (the caller holds the warehouse's lock).

    A set-aside folder means a run was killed while it swapped its outputs in. If the warehouse was swapped in
    too (`published_by`, meta.publication's run, is that run), its outputs are complete: the old entries go.
    Otherwise the old entries go back where they were, so the outputs match the published warehouse again.
    Stages of other runs are removed. Returns what was cleared, for the run's log.
    """
    out_dir = Path(out_dir)
    cleared = []
    if not out_dir.is_dir():
        return cleared
    for entry in sorted(out_dir.iterdir()):
        run = entry.name.removeprefix(ASIDE_PREFIX)
        if not entry.name.startswith(ASIDE_PREFIX) or run == keep_run:
            continue
        if run != published_by:
            for kept in sorted(entry.iterdir()):
                current = out_dir / kept.name
                if current.is_dir() and not current.is_symlink():
                    shutil.rmtree(current)
                elif current.exists() or current.is_symlink():
                    current.unlink()
                os.rename(kept, current)
            cleared.append(f"{entry.name} (outputs restored)")
        else:
            cleared.append(entry.name)
        shutil.rmtree(entry, ignore_errors=True)
    for entry in sorted(out_dir.iterdir()):
        if entry.name.startswith(STAGE_PREFIX) and entry.name.removeprefix(STAGE_PREFIX) != keep_run:
            shutil.rmtree(entry, ignore_errors=True)
            cleared.append(entry.name)
    return cleared
