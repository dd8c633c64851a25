"""A progress bar on stderr (rich), shown only when stderr is a terminal: documents done, documents
per second (of this run, resumed documents aside), time left."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["progress"]


@contextmanager
def progress(total: int | None, enabled: bool = True, done: int = 0) -> Iterator[Callable[[], None]]:
    """Yield a function that advances the bar by one document.

    Args:
        total: Documents in the run, or ``None`` when unknown (no time left is shown then).
        enabled: Draw the bar (only ever on a terminal).
        done: Documents already done by an earlier run that this one resumes; the rate counts
            only the documents of this run.
    """
    if not enabled or not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (
        TextColumn("[bold]kavychki"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
        task = bar.add_task("documents", total=total, completed=done, rate="")

        def advance() -> None:
            """One more document done."""
            bar.advance(task)
            speed = bar.tasks[0].speed
            if speed:
                bar.update(task, rate=f"{speed:.1f} docs/s")

        yield advance
