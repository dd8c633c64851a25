"""Corpus runs: all cores or a Dask cluster, resumable, and never stopped by a bad document.

A :class:`Run` reads documents lazily (:mod:`kavychki.readers`), sends them in chunks to an engine
(:class:`LocalEngine`: this process or a pool of worker processes; :class:`DaskEngine`: a Dask
distributed cluster) whose workers build the models once each, and hands the results, in input
order, to a writer (:mod:`kavychki.writers`).

Resuming: beside the output, a *journal* (``out.jsonl.journal``) holds the job it belongs to and,
after every commit, which documents are done and how long the output and the errors file are.
Records are flushed and fsync'd before the journal line that counts them, so after a crash at any
point (Ctrl-C, ``kill -9``, power loss) the output is cut back to the last commit (a torn last line
goes with it) and the run goes on from the next document: the result is byte for byte the output
of an uninterrupted run. The journal is removed when the run is complete.

A document that fails (undecodable bytes, a file that vanished, an exception inside a stage, a
worker process that dies) becomes a :class:`Result` with a :class:`~kavychki.corpus.Failure`: it is
written to the errors file and counted, and the run goes on.

Example:
    >>> from kavychki.readers import open_inputs
    >>> from kavychki.writers import JsonLinesWriter
    >>> run = Run(open_inputs(["corpus/"]), JsonLinesWriter("out.jsonl"), errors=ErrorsWriter("out.errors.jsonl"))
    >>> run.open()
    >>> for result in run:
    ...     pass
    >>> run.summary.failed
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .corpus import Failure, Item
from .errors import KavychkiError
from .writers import ErrorsWriter, Writer

if TYPE_CHECKING:
    from .pipeline import Pipeline
    from .readers import Inputs

__all__ = [
    "Options",
    "Task",
    "Result",
    "Run",
    "Summary",
    "Journal",
    "LocalEngine",
    "DaskEngine",
    "ResumeError",
    "WorkerError",
    "process_chunk",
    "default_workers",
    "CHUNK_DOCUMENTS",
    "DASK_CHUNK_DOCUMENTS",
]

log = logging.getLogger(__name__)

CHUNK_DOCUMENTS = 16  # documents per task sent to a worker: one NER batch of Pipeline.map
DASK_CHUNK_DOCUMENTS = 64  # a Dask task costs more to send and fetch: four batches per task
CHUNK_CHARS = 400_000  # and no more text than this, unless a single document is longer
MAX_RESTARTS = 5  # new pools in a row, after workers died, before a run gives up

# the module of the innermost frame names the stage an exception came from
_STAGES = {
    "kavychki.segment": "segment",
    "kavychki.zones": "segment",
    "kavychki.entities": "entities",
    "kavychki.normalise": "normalise",
    "kavychki.cluster": "cluster",
    "kavychki.quotes": "quotes",
    "kavychki.records": "records",
    "kavychki.pipeline": "pipeline",
}


class WorkerError(KavychkiError, RuntimeError):
    """Worker processes die before they finish anything (they cannot start, or load the models)."""


class ResumeError(KavychkiError):
    """A journal is in the way of the run asked for: it belongs to another job, the output changed
    since the run stopped, or ``resume="require"`` found nothing to resume."""


@dataclass(frozen=True)
class Options:
    """What a worker computes for each document.

    Attributes:
        quotes: Find quotes and speakers (``False`` stops after entities).
        with_text: Keep the text and sentences in each record.
        debug: Keep each document's trace in :attr:`Result.trace`.
        include_related: Find quotes in the related-links block of scraped pages too and count
            them in the speaker summary (``Pipeline(include_related=True)``).
        aliases: The text of a newsroom aliases file (:mod:`kavychki.aliases`), sent to the
            workers as text so that workers on other machines need no copy of the file.
        min_confidence: Keep only quotes at or above this confidence (``Pipeline(min_confidence=…)``).
    """

    quotes: bool = True
    with_text: bool = False
    debug: bool = False
    include_related: bool = False
    aliases: str = ""
    min_confidence: float = 0.0


@dataclass(frozen=True)
class Task:
    """A document on its way to a worker: its position in the input, id, path and text."""

    index: int
    id: str
    path: str
    text: str


@dataclass(frozen=True)
class Result:
    """What became of one document.

    Attributes:
        index: Its position in the input (from 0).
        id: Its id.
        path: Where it came from.
        line: Its JSON Lines record (:func:`kavychki.writers.record_of`) as JSON text, or ``None``
            if it failed. Text travels between processes faster than nested dictionaries.
        chars: The length of its text.
        failure: Why it failed, or ``None``.
        trace: The debug trace (with ``Options(debug=True)``).
    """

    index: int
    id: str
    path: str
    line: str | None = None
    chars: int = 0
    failure: Failure | None = None
    trace: str = ""

    @property
    def ok(self) -> bool:
        """Whether the document was processed."""
        return self.failure is None

    @property
    def record(self) -> dict[str, Any] | None:
        """The JSON Lines record, decoded."""
        return json.loads(self.line) if self.line is not None else None


def default_workers() -> int:
    """The cores this process may use."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


# ------------------------------------------------------------------------------------ the worker side

_pipelines: dict[Options, Pipeline] = {}
_lock = threading.Lock()  # one document at a time per process: a Pipeline keeps per-document state


def worker_pipeline(options: Options) -> Pipeline:
    """The pipeline of this process for ``options``, built on first use and kept: a worker loads
    the models once, however many chunks it is sent."""
    pipeline = _pipelines.get(options)
    if pipeline is None:
        from .aliases import Aliases
        from .pipeline import Pipeline

        aliases = Aliases.parse(options.aliases) if options.aliases else None
        pipeline = _pipelines[options] = Pipeline(quotes=options.quotes, debug=options.debug,
                                                  include_related=options.include_related, aliases=aliases,
                                                  min_confidence=options.min_confidence)
    return pipeline


def stage_of(error: BaseException) -> str:
    """The pipeline stage an exception was raised in, by the innermost kavychki module on its traceback."""
    stage = "pipeline"
    for frame, _ in traceback.walk_tb(error.__traceback__):
        module = frame.f_globals.get("__name__", "")
        for prefix, name in _STAGES.items():
            if module == prefix or module.startswith(prefix + "."):
                stage = name
    return stage


def _where(error: BaseException) -> str:
    """``file:line`` of the innermost frame of the traceback."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return ""
    last = frames[-1]
    parts = Path(last.filename).parts
    short = "/".join(parts[parts.index("kavychki"):]) if "kavychki" in parts else Path(last.filename).name
    return f" (at {short}:{last.lineno})"


def _failed(task: Task, error: BaseException) -> Result:
    stage = stage_of(error)
    message = f"{task.path} (id {task.id}): failed in {stage}: {type(error).__name__}: {error}{_where(error)}"
    return Result(task.index, task.id, task.path, None, len(task.text), Failure(task.id, task.path, stage, message))


def _succeeded(task: Task, doc, pipeline: Pipeline, options: Options) -> Result:
    from .writers import record_of

    line = json.dumps(record_of(doc, task.id, task.path, options.with_text), ensure_ascii=False)
    trace = pipeline.last_trace if options.debug else ""
    return Result(task.index, task.id, task.path, line, len(task.text), None, trace)


def _one_by_one(pipeline: Pipeline, tasks: list[Task], options: Options) -> list[Result]:
    out = []
    for task in tasks:
        try:
            doc = pipeline(task.text, id=task.id)
            out.append(_succeeded(task, doc, pipeline, options))
        except Exception as error:  # noqa: BLE001 - one bad document never stops a run
            log.debug("%s failed", task.path, exc_info=True)
            out.append(_failed(task, error))
    return out


def _process(pipeline: Pipeline, tasks: list[Task], options: Options) -> list[Result]:
    """All tasks in NER batches; after an exception, the rest one by one, so that only the
    document that raised it fails."""
    out: list[Result] = []
    try:
        docs = pipeline.map((t.text for t in tasks), ids=(t.id for t in tasks))
        for task, doc in zip(tasks, docs):
            out.append(_succeeded(task, doc, pipeline, options))
    except Exception:  # noqa: BLE001
        out.extend(_one_by_one(pipeline, tasks[len(out):], options))
    return out


def process_chunk(chunk: list[Task | Result], options: Options) -> list[Result]:
    """Process a chunk of documents in a worker; results come back in the chunk's order.

    ``Result`` items (documents that could not be read) pass through unchanged.
    """
    with _lock:
        pipeline = worker_pipeline(options)
        tasks = [t for t in chunk if isinstance(t, Task)]
        done = {r.index: r for r in _process(pipeline, tasks, options)} if tasks else {}
    return [item if isinstance(item, Result) else done[item.index] for item in chunk]


def _died(chunk: list[Task | Result], why: str) -> list[Result]:
    """Results for a chunk whose worker died: every document in it failed in stage ``worker``."""
    out = []
    for item in chunk:
        if isinstance(item, Result):
            out.append(item)
        else:
            message = f"{item.path} (id {item.id}): the worker process died while processing it ({why})"
            failure = Failure(item.id, item.path, "worker", message)
            out.append(Result(item.index, item.id, item.path, None, len(item.text), failure))
    return out


def _start_worker(options: Options, parent: int) -> None:
    """Initialise a worker process: Ctrl-C is the parent's business; the worker ends with its
    parent (even one killed with ``kill -9``); the models are loaded now."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if os.name == "posix":  # os.kill(pid, 0) asks whether a process lives only there (Windows would end it)
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="kavychki-parent-watch").start()
    worker_pipeline(options)


def _watch_parent(parent: int, every: float = 0.5) -> None:
    """End this worker when the run that started it is gone (its queues would keep it waiting)."""
    while True:
        time.sleep(every)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:  # alive, under another user: cannot happen to our own parent
            pass


# ------------------------------------------------------------------------------------ engines


class LocalEngine:
    """This machine: one worker runs in this process; more are worker processes.

    A worker process that dies (killed, out of memory) takes its chunk with it: the chunks it
    held are run again one document at a time in a new pool, and a document that kills its worker
    a second time fails in stage ``worker``.

    Args:
        workers: Processes; 1 runs everything in this process.
    """

    def __init__(self, workers: int = 1) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        self.workers = workers

    def __repr__(self) -> str:
        return f"LocalEngine(workers={self.workers})"

    def map(self, chunks: Iterable[list[Task | Result]], options: Options,
            ordered: bool = True) -> Iterator[list[Result]]:
        """Process ``chunks``; yield the results of each, in input order unless not ``ordered``."""
        if self.workers == 1:
            for chunk in chunks:
                yield process_chunk(chunk, options)
            return
        yield from _PoolRun(self.workers, options, ordered).map(iter(chunks))


def _single_threaded() -> bool:
    """Whether this process runs one thread, native ones (a BLAS pool) included."""
    if threading.active_count() != 1:
        return False
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return False
    return any(line.split() == ["Threads:", "1"] for line in status.splitlines())


def _mp_context(options: Options | None = None):
    """How worker processes start.

    On Linux, while this process runs no other thread (``kavychki extract`` keeps BLAS to one
    thread), ``fork`` after loading the models here:
    workers start at once and share the models' memory (copy-on-write). Else ``forkserver``
    (safe beside threads: workers start from a clean server process), else ``spawn``.
    """
    if options is not None and sys.platform.startswith("linux") and threading.active_count() == 1:
        worker_pipeline(options)  # (numpy may start a BLAS thread pool as it loads: count threads after)
        if _single_threaded():
            return multiprocessing.get_context("fork")
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        # imported once in the server, then shared by every worker it forks
        context.set_forkserver_preload(["kavychki.batch", "kavychki.pipeline", "numpy", "razdel", "pymorphy3"])
    return context


class _PoolRun:
    """One pass of chunks through a pool of worker processes, with a bounded number in flight."""

    function = staticmethod(process_chunk)  # what workers run on each chunk (tests replace it)

    def __init__(self, workers: int, options: Options, ordered: bool) -> None:
        self.workers, self.options, self.ordered = workers, options, ordered
        self.window = 2 * workers + 1
        self.restarts = 0  # since a chunk last came back
        self.pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=_mp_context(self.options), initializer=_start_worker,
                                   initargs=(self.options, os.getpid()))

    def _restart(self) -> None:
        """A new pool after a worker died; workers that die before finishing anything stop the run."""
        self.restarts += 1
        if self.restarts > MAX_RESTARTS:
            raise WorkerError(f"worker processes died {self.restarts} times in a row without finishing a chunk; "
                              "run with --workers 1 to see why")
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._new_pool()

    def _suspect(self, chunk: list[Task | Result]) -> list[Result]:
        """Run a chunk whose worker died one document at a time, alone in the pool."""
        out = []
        for item in chunk:
            try:
                out.extend(self.pool.submit(self.function, [item], self.options).result())
                self.restarts = 0
            except BrokenProcessPool:
                self._restart()
                out.extend(_died([item], "it was run alone and its worker died again"))
        return out

    def map(self, chunks: Iterator[list[Task | Result]]) -> Iterator[list[Result]]:
        """Send chunks to the pool, at most :attr:`window` at a time; yield their results."""
        self.inflight: dict[int, tuple[list, Any]] = {}
        self.ready: dict[int, list[Result]] = {}
        self.suspects: list[tuple[int, list]] = []
        self.emitted = 0
        sent = 0
        exhausted = finished = False
        try:
            while True:
                while not self.suspects and not exhausted and len(self.inflight) < self.window:
                    chunk = next(chunks, None)
                    if chunk is None:
                        exhausted = True
                        break
                    self.inflight[sent] = (chunk, self.pool.submit(self.function, chunk, self.options))
                    sent += 1
                if self.suspects:
                    seq, chunk = self.suspects.pop(0)
                    self.ready[seq] = self._suspect(chunk)
                elif self.inflight:
                    self._collect()
                elif not self.ready:
                    finished = True
                    return
                yield from self._emit()
        finally:
            self._stop(finished)

    def _collect(self) -> None:
        """Wait for a chunk to finish; after a worker died, set aside every chunk in flight."""
        done, _ = wait([f for _, f in self.inflight.values()], return_when=FIRST_COMPLETED)
        broken = False
        for seq, (chunk, future) in sorted(self.inflight.items()):
            if future not in done:
                continue
            del self.inflight[seq]
            try:
                self.ready[seq] = future.result()
                self.restarts = 0
            except BrokenProcessPool:
                broken = True
                self.suspects.append((seq, chunk))
        if not broken:
            return
        log.warning("a worker process died; the documents it may have held are run again one at a time")
        for seq, (chunk, future) in sorted(self.inflight.items()):
            if future.done() and not future.cancelled() and future.exception() is None:
                self.ready[seq] = future.result()
            else:
                self.suspects.append((seq, chunk))
        self.inflight.clear()
        self.suspects.sort(key=lambda s: s[0])
        self._restart()

    def _emit(self) -> Iterator[list[Result]]:
        if self.ordered:
            while self.emitted in self.ready:
                yield self.ready.pop(self.emitted)
                self.emitted += 1
        else:
            for seq in sorted(self.ready):
                yield self.ready.pop(seq)

    def _stop(self, finished: bool) -> None:
        """Shut the pool down: idle workers of a finished run exit; after an interruption, workers
        busy with a chunk are ended at once (by their process ids)."""
        if finished:
            self.pool.shutdown(wait=True)
            return
        processes = list((getattr(self.pool, "_processes", None) or {}).values())
        self.pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(timeout=5)


class DaskEngine:
    """A Dask distributed cluster: each chunk is a task; every worker process builds the
    pipeline once (per process, kept between tasks) and the results come back to this process,
    which writes them, so the output is the same as the local engine's.

    Args:
        scheduler: The scheduler's address (``tcp://host:8786``); ``None`` starts a
            ``LocalCluster`` of ``workers`` processes with one thread each.
        workers: Workers of the local cluster.
    """

    def __init__(self, scheduler: str | None = None, workers: int = 1) -> None:
        self.scheduler = scheduler
        self.workers = workers

    def __repr__(self) -> str:
        return f"DaskEngine(scheduler={self.scheduler!r}, workers={self.workers})"

    def _client(self):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ImportError("--engine dask needs Dask distributed: pip install 'kavychki[dask]'") from None
        if self.scheduler:
            return Client(self.scheduler), None
        cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True, dashboard_address=None)
        return Client(cluster), cluster

    def map(self, chunks: Iterable[list[Task | Result]], options: Options,
            ordered: bool = True) -> Iterator[list[Result]]:
        """Process ``chunks`` on the cluster; yield the results of each, in input order unless not ``ordered``."""
        from distributed import wait as dask_wait

        client, cluster = self._client()
        try:
            window = 2 * max(1, len(client.scheduler_info().get("workers", {}))) + 1
            chunks = iter(chunks)
            inflight: dict[int, tuple[list, Any, bool]] = {}
            ready: dict[int, list[Result]] = {}
            sent = emitted = 0
            exhausted = False
            while True:
                while not exhausted and len(inflight) < window:
                    chunk = next(chunks, None)
                    if chunk is None:
                        exhausted = True
                        break
                    inflight[sent] = (chunk, client.submit(process_chunk, chunk, options, pure=False), False)
                    sent += 1
                if not inflight and not ready:
                    return
                if inflight:
                    done = dask_wait([f for _, f, _ in inflight.values()], return_when="FIRST_COMPLETED").done
                    for seq, (chunk, future, alone) in list(inflight.items()):
                        if future not in done:
                            continue
                        del inflight[seq]
                        try:
                            ready[seq] = future.result()
                        except Exception as error:  # noqa: BLE001 - KilledWorker and the like
                            if alone or len(chunk) == 1:
                                ready[seq] = _died(chunk, f"{type(error).__name__}: {error}")
                            else:
                                # run again one document a time, to find the one that kills workers
                                parts = [client.submit(process_chunk, [item], options, pure=False) for item in chunk]
                                ready[seq] = [r for part in _gather_each(parts, chunk) for r in part]
                if ordered:
                    while emitted in ready:
                        yield ready.pop(emitted)
                        emitted += 1
                else:
                    for seq in sorted(ready):
                        yield ready.pop(seq)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def _gather_each(futures: list, chunk: list[Task | Result]) -> Iterator[list[Result]]:
    for future, item in zip(futures, chunk):
        try:
            yield future.result()
        except Exception as error:  # noqa: BLE001
            yield _died([item], f"{type(error).__name__}: {error}")


# ------------------------------------------------------------------------------------ the journal


def _ranges(indexes: list[int]) -> list[list[int]]:
    """``[0, 1, 2, 5, 6]`` → ``[[0, 3], [5, 7]]`` (half-open)."""
    out: list[list[int]] = []
    for i in sorted(indexes):
        if out and out[-1][1] == i:
            out[-1][1] = i + 1
        else:
            out.append([i, i + 1])
    return out


class _Done:
    """The set of documents done, as sorted half-open ranges."""

    def __init__(self, ranges: Iterable[list[int]] = ()) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(ranges):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [r[0] for r in merged]
        self._ranges = merged

    def __contains__(self, index: int) -> bool:
        i = bisect_right(self._starts, index) - 1
        return i >= 0 and index < self._ranges[i][1]

    def __len__(self) -> int:
        return sum(end - start for start, end in self._ranges)


@dataclass
class _State:
    """What a journal says about the run it belongs to."""

    job: str
    done: _Done = field(default_factory=_Done)
    output: Any = None
    errors: int | None = None
    counts: dict[str, int] = field(default_factory=dict)


class Journal:
    """The sidecar file of an unfinished run (JSON Lines).

    The first line names the job (a hash of the inputs, options and outputs); each later line is
    a commit: the documents it finished, the output's and the errors file's positions, and the
    running counts. A torn last line (a crash while writing it) is ignored.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._file = None

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r})"

    def load(self) -> _State | None:
        """The state the journal records, or ``None`` when there is no (readable) journal."""
        try:
            lines = self.path.read_bytes().split(b"\n")
        except FileNotFoundError:
            return None
        entries = []
        for line in lines:
            try:
                entries.append(json.loads(line))
            except (json.JSONDecodeError, UnicodeDecodeError):
                break  # a torn line: the commits before it stand
        if not entries or "job" not in entries[0]:
            return None
        state = _State(entries[0]["job"])
        ranges = []
        for entry in entries[1:]:
            ranges.extend(entry["done"])
            state.output, state.errors, state.counts = entry["output"], entry.get("errors"), entry["counts"]
        state.done = _Done(ranges)
        return state

    def start(self, job: str, describe: dict[str, Any]) -> None:
        """Begin a new journal for ``job``.

        Raises:
            ResumeError: Another run holds the journal.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(self.path, "ab")
        self._lock()
        self._file.truncate(0)
        self._write({"job": job, "kavychki": __version__, **describe})

    def reopen(self) -> None:
        """Go on appending to the journal of a resumed run (a torn last line is cut off first).

        Raises:
            ResumeError: Another run holds the journal.
        """
        self._file = open(self.path, "r+b")
        self._lock()
        data = self._file.read()
        keep = data.rfind(b"\n") + 1
        self._file.truncate(keep)
        self._file.seek(keep)

    def _lock(self) -> None:
        """Hold the journal for this run alone: two runs writing one output would tear it."""
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks
            return
        try:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.close()
            raise ResumeError(f"another kavychki run is writing the output of {self.path}; wait for it "
                              "or stop it first") from None

    def _write(self, entry: dict[str, Any]) -> None:
        assert self._file is not None
        self._file.write(json.dumps(entry, ensure_ascii=False).encode("utf-8") + b"\n")
        self._file.flush()
        os.fsync(self._file.fileno())

    def commit(self, done: list[int], output: Any, errors: int | None, counts: dict[str, int]) -> None:
        """Record a commit (after the output and errors file are durable)."""
        self._write({"done": _ranges(done), "output": output, "errors": errors, "counts": counts})

    def finish(self) -> None:
        """The run is complete: remove the journal."""
        self.close()
        self.path.unlink(missing_ok=True)

    def close(self) -> None:
        """Close the file, keeping it."""
        if self._file is not None:
            self._file.close()
            self._file = None


# ------------------------------------------------------------------------------------ a run


@dataclass
class Summary:
    """The figures of a run, resumed parts included.

    Attributes:
        total: Documents in the input (``None`` if not counted).
        resumed: Documents already done by an earlier, interrupted run.
        ok: Documents processed (this run and earlier ones).
        failed: Failed documents per stage (``"read"``, ``"decode"``, ``"quotes"``…).
        processed: Documents processed or failed in this run.
        seconds: Time spent by this run.
    """

    total: int | None = None
    resumed: int = 0
    ok: int = 0
    failed: Counter = field(default_factory=Counter)
    processed: int = 0
    seconds: float = 0.0

    @property
    def failures(self) -> int:
        """Documents that failed."""
        return sum(self.failed.values())

    @property
    def read_failures(self) -> int:
        """Documents that could not be read or decoded."""
        return sum(n for stage, n in self.failed.items() if stage in ("read", "decode", "parse"))

    def counts(self) -> dict[str, int]:
        """The counts as a flat dictionary (as the journal keeps them)."""
        return {"ok": self.ok, **{f"failed:{stage}": n for stage, n in sorted(self.failed.items())}}

    def restore(self, counts: dict[str, int]) -> None:
        """Start from the counts of a journal."""
        self.ok = counts.get("ok", 0)
        self.failed = Counter({k.split(":", 1)[1]: n for k, n in counts.items() if k.startswith("failed:")})


def _job(inputs: Inputs, writer: Writer, errors: ErrorsWriter | None, options: Options) -> tuple[str, dict]:
    """The identity of a job: what must be the same for a run to resume another."""
    describe = {
        "inputs": inputs.fingerprint(),
        "fields": [inputs.fields.text, inputs.fields.id],
        "options": {"quotes": options.quotes, "with_text": options.with_text,
                    **({"include_related": True} if options.include_related else {}),
                    **({"min_confidence": options.min_confidence} if options.min_confidence else {}),
                    **({"aliases": hashlib.sha256(options.aliases.encode()).hexdigest()} if options.aliases else {})},
        "output": [type(writer).__name__, writer.describe(), getattr(writer, "part_size", None)],
        "errors": errors.path if errors is not None else None,
    }
    digest = hashlib.sha256(json.dumps(describe, sort_keys=True, default=str).encode("utf-8")).hexdigest()
    return digest[:32], describe


def _tasks(inputs: Iterable[Item | Failure], done: _Done) -> Iterator[Task | Result]:
    """Number the documents, skip those done, turn read failures into results."""
    for index, item in enumerate(inputs):
        if index in done:
            continue
        if isinstance(item, Failure):
            yield Result(index, item.id, item.path, failure=item)
        else:
            yield Task(index, item.id, item.path, item.text)


def _chunks(items: Iterator[Task | Result], documents: int = CHUNK_DOCUMENTS,
            chars: int = CHUNK_CHARS) -> Iterator[list[Task | Result]]:
    """Group documents into chunks of at most ``documents`` and about ``chars`` characters."""
    chunk: list[Task | Result] = []
    size = 0
    for item in items:
        length = len(item.text) if isinstance(item, Task) else 0
        if chunk and (len(chunk) >= documents or size + length > chars):
            yield chunk
            chunk, size = [], 0
        chunk.append(item)
        size += length
    if chunk:
        yield chunk


class Run:
    """A corpus run: inputs → engine → writer, journalled for resuming.

    Args:
        inputs: The documents (:func:`kavychki.readers.open_inputs`).
        writer: Where records go (:mod:`kavychki.writers`).
        options: What to compute.
        engine: :class:`LocalEngine` (default: one worker, in this process) or :class:`DaskEngine`.
        errors: The errors file, or ``None`` (failures are then only in the results).
        ordered: Write in input order (``False``: as documents finish; a resumed unordered run
            has the same records, not the same order).
        resume: ``"auto"``: go on from an unfinished run of the same job, start afresh if there
            is none; ``"require"``: there must be one; ``"restart"``: start afresh.
        chunk_size: Documents per task sent to a worker.
    """

    def __init__(self, inputs: Inputs, writer: Writer, *, options: Options = Options(), engine=None,
                 errors: ErrorsWriter | None = None, ordered: bool = True, resume: str = "auto",
                 chunk_size: int = CHUNK_DOCUMENTS) -> None:
        if resume not in ("auto", "require", "restart"):
            raise ValueError(f"resume must be 'auto', 'require' or 'restart', not {resume!r}")
        self.inputs, self.writer, self.options, self.errors = inputs, writer, options, errors
        self.engine = engine if engine is not None else LocalEngine(1)
        self.ordered, self.resume, self.chunk_size = ordered, resume, chunk_size
        self.journal = Journal(f"{writer.target}.journal") if writer.target is not None else None
        self.summary = Summary()
        self._done = _Done()

    def __repr__(self) -> str:
        return f"Run({self.inputs!r} → {self.writer.describe()!r}, {self.engine!r})"

    def open(self, total: int | None = None) -> int:
        """Prepare the output: resume an unfinished run of the same job, or start afresh.

        Args:
            total: The number of documents, if known (for the summary and the progress bar).

        Returns:
            How many documents an earlier run already did.

        Raises:
            ResumeError: See :class:`ResumeError`.
        """
        self.summary.total = total
        if self.journal is None:
            if self.resume == "require":
                raise ResumeError("standard output cannot be resumed: write to a file with -o")
            self._start_fresh(None)
            return 0
        job, describe = _job(self.inputs, self.writer, self.errors, self.options)
        state = None
        if self.resume != "restart" and self.journal.path.exists():
            self.journal.reopen()  # held from now on: no other run may write the same output
            state = self.journal.load()
            if state is None:
                self.journal.close()
        if state is None:
            if self.resume == "require":
                raise ResumeError(f"nothing to resume: no unfinished run beside {self.writer.describe()}"
                                  f" ({self.journal.path} does not exist)")
            self._start_fresh((job, describe))
            return 0
        if state.job != job:
            self.journal.close()
            raise ResumeError(f"{self.journal.path} belongs to an unfinished run with other inputs or options: "
                              "rerun that command to finish it, or start over with --restart")
        self._restore(state)
        return self.summary.resumed

    def _start_fresh(self, job: tuple[str, dict] | None) -> None:
        if job is not None and self.journal is not None:
            self.journal.start(*job)  # first: a crash from now on leaves a journal to resume from
        self.writer.start()
        if self.errors is not None:
            self.errors.start()
        if job is not None:
            self._commit([], final=False, force=True)

    def _restore(self, state: _State) -> None:
        assert self.journal is not None
        try:
            self.writer.restore(state.output)
            if self.errors is not None and state.errors is not None:
                self.errors.restore(state.errors)
        except (OSError, ValueError) as error:
            self.journal.close()
            raise ResumeError(f"cannot resume: {error}; start over with --restart") from None
        self._done = state.done
        self.summary.resumed = len(state.done)
        self.summary.restore(state.counts)

    def _commit(self, pending: list[int], final: bool, force: bool = False) -> bool:
        """Make the output durable; record it in the journal. Returns whether it committed."""
        position = self.writer.commit(final)
        if position is None:
            return False
        errors = self.errors.commit() if self.errors is not None else None
        if self.journal is not None and (pending or force):
            self.journal.commit(pending, position, errors, self.summary.counts())
        return True

    def _count(self, result: Result) -> None:
        self.summary.processed += 1
        if result.ok:
            self.summary.ok += 1
        else:
            self.summary.failed[result.failure.stage] += 1

    def __iter__(self) -> Iterator[Result]:
        """Process the documents not done yet; yield each result once it is written."""
        start = time.perf_counter()
        pending: list[int] = []
        chunks = _chunks(_tasks(self.inputs, self._done), self.chunk_size)
        try:
            for results in self.engine.map(chunks, self.options, self.ordered):
                for result in results:
                    self.writer.add(result)
                    if self.errors is not None:
                        self.errors.add(result)
                    pending.append(result.index)
                    self._count(result)
                    if self.writer.full and self._commit(pending, final=False):
                        pending = []
                    yield result
                if self._commit(pending, final=False):
                    pending = []
            self._commit(pending, final=True)
            if self.journal is not None:
                self.journal.finish()
        finally:
            self.summary.seconds += time.perf_counter() - start
            self.close()

    def close(self) -> None:
        """Close the output files (the journal stays if the run is not complete)."""
        self.writer.close()
        if self.errors is not None:
            self.errors.close()
        if self.journal is not None:
            self.journal.close()


def plan_workers(requested: int | None, total: int | None, chunk_size: int = CHUNK_DOCUMENTS) -> int:
    """Workers worth starting: as many as asked (all cores by default), no more than there are chunks."""
    workers = requested or default_workers()
    if total is not None:
        workers = min(workers, max(1, math.ceil(total / chunk_size)))
    return workers
