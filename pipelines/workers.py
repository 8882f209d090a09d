"""Worker processes for a run's reports and its overlap model, started early and warmed up.

Started when a run starts (the `report_workers` resource), they import what their steps need and start
Vega's engine while the ingest and the models run, instead of in those steps: one pool for the briefs
(~2 s each worker: Altair, python-docx, vl-convert) and one analysis process for the overlap mart (~1 s:
scikit-learn) and then the Data Docs (~2.5 s: Great Expectations).
"""

from __future__ import annotations

import functools
import importlib
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor

NICENESS = 19
WATCH_SECONDS = 0.5  # how often a worker looks whether its parent still runs


def new_pool(workers: int, warm_up: Callable[[], None] | None = None) -> ProcessPoolExecutor:
    """A pool of `workers` fresh processes ("spawn"), each running `warm_up` as it starts; they end when
    the process that started them ends, however it ends."""
    # Forking a process that runs DuckDB and Dagster threads is not safe; spawned workers start clean.
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(os.getpid(), warm_up),
    )


def _start_worker(parent: int, warm_up: Callable[[], None] | None) -> None:
    watch_parent(parent)
    if warm_up is not None:
        warm_up()


def watch_parent(parent: int, every: float = WATCH_SECONDS) -> threading.Thread:
    """End this process as soon as `parent` is no longer its parent (it died and the process was re-parented).

    A killed refresh (SIGKILL, a crash, an out-of-memory kill) cannot stop its workers, and they held ~0.8 GB
    under PID 1. Linux's parent-death signal (PR_SET_PDEATHSIG) is not enough: it fires when the *thread*
    that started the worker ends, and a pool starts its workers from whichever thread submits first.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(1)

    thread = threading.Thread(target=watch, name="sgpulse-parent-watch", daemon=True)
    thread.start()
    return thread


def stop_children(timeout: float = 5.0) -> None:
    """Terminate this process's worker processes and wait for them (on SIGTERM, before exiting)."""
    children = multiprocessing.active_children()
    for child in children:
        child.terminate()
    for child in children:
        child.join(timeout)
        if child.is_alive():
            child.kill()
            child.join(1)


class Workers:
    """`workers` processes launched now (by a thread) and warming up at the lowest priority; `stop` them at the end."""

    def __init__(self, workers: int, warm_up: Callable[[], None]):
        self.pool = new_pool(workers, _quietly(warm_up))
        self._launched: list[Future] = []
        # Launching a spawned process took ~0.2 s of the launching thread: not the run's thread, then.
        self._launcher = threading.Thread(target=self._launch, args=(workers,), name="sgpulse-workers")
        self._launcher.start()

    def _launch(self, workers: int) -> None:
        # A spawn pool launches a process for each task submitted while none is idle: one task per worker.
        # A task runs after its worker's warm-up: when all are done, every worker is warm.
        self._launched = [self.pool.submit(int) for _ in range(workers)]

    def warm(self) -> bool:
        """Whether the launching tasks are done, without waiting: for one worker, whether it has warmed up."""
        return not self._launcher.is_alive() and all(future.done() for future in self._launched)

    def stop(self) -> None:
        """Stop the workers and shut the pool down; call it when none of the caller's tasks is running.

        Idle or still warming up (a run that failed early), a worker holds nothing to clean up: stopping it
        skips its interpreter's clean-up (~0.3 s for a brief worker, ~0.6 s with Great Expectations) and what
        remains of its warm-up.
        """
        self._launcher.join()
        terminate = getattr(self.pool, "terminate_workers", None)  # Python 3.14
        if terminate is not None:
            terminate()
        else:
            for process in list((self.pool._processes or {}).values()):
                process.terminate()
        self.pool.shutdown(wait=True, cancel_futures=True)


def warm_up_briefs() -> None:
    """What a worker's first brief would otherwise pay: imports, Vega's engine, python-docx's template."""
    import io

    import altair as alt
    import pandas as pd
    import vl_convert as vlc
    from docx import Document

    from pipelines.briefs import content, data, render_docx, render_html, render_markdown  # noqa: F401

    chart = alt.Chart(pd.DataFrame({"x": ["a"], "y": [1.0]})).mark_bar().encode(x="x:N", y="y:Q")
    vlc.svg_to_png(vlc.vegalite_to_svg(chart.to_dict()), scale=1)
    Document().save(io.BytesIO())


def warm_up_analysis() -> None:
    """What the overlap mart and then the Data Docs would otherwise pay first: scikit-learn, Great Expectations."""
    # In the order the run needs them: the overlap mart comes before the checks, the Data Docs last.
    for module in (
        "sklearn.feature_extraction.text",
        "sklearn.manifold",
        "sklearn.cluster",
        "sklearn.metrics",
        "pipelines.analytics.overlap",
        "great_expectations",
        "pipelines.quality.docs",
    ):
        importlib.import_module(module)


def _quietly(warm_up: Callable[[], None]) -> Callable[[], None]:
    return functools.partial(_run_quietly, warm_up)


def _run_quietly(warm_up: Callable[[], None]) -> None:
    # The run's own steps come first: the warm-up should take the cores they leave idle, not the ingest's.
    # At nice 0 it slowed the scale-1 ingest by 0.8 s and the whole gain vanished; at nice 19 the scale-10
    # ingest takes 7.0-7.5 s (7.1-7.4 s at nice 10, 6.6-6.7 s with no workers), the briefs and the Data Docs
    # ~3.5 s less. The workers only compute while the run waits for them, so the lower priority costs them
    # nothing later.
    if hasattr(os, "nice"):  # not on Windows
        os.nice(NICENESS)
    # Only a head start: whatever fails here fails again, with its own message, in the report that needs it.
    try:
        warm_up()
    except Exception:  # noqa: BLE001
        pass
