"""Worker processes and a Dask cluster give the records of a run in this process, byte for byte;
a worker that dies takes only the document that killed it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import CORPUS

from kavychki.batch import Options, Result, Run, Task, _chunks, _PoolRun, process_chunk
from kavychki.cli import main
from kavychki.readers import open_inputs

pytestmark = pytest.mark.slow

KILLER = "ЭТОТ ТЕКСТ УБИВАЕТ ПРОЦЕСС"


def _kill_on_marker(chunk: list[Task | Result], options: Options) -> list[Result]:
    """process_chunk, except that a document holding KILLER ends its worker process at once."""
    if any(isinstance(t, Task) and KILLER in t.text for t in chunk):
        os._exit(3)
    return process_chunk(chunk, options)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(CORPUS, root / "demo")
    (root / "demo" / "zz-binary.txt").write_bytes(b"\x00\x01\x02")
    return root


@pytest.fixture(scope="module")
def local_output(corpus: Path, tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("local") / "out.jsonl"
    assert main(["extract", str(corpus), "-o", str(out), "--workers", "1", "--no-progress"]) == 1
    return out.read_bytes()


def test_two_worker_processes_write_what_one_process_writes(corpus: Path, local_output: bytes,
                                                            tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(corpus), "-o", str(out), "--workers", "2", "--chunk-size", "2",
                 "--no-progress"]) == 1
    assert out.read_bytes() == local_output


def test_a_worker_that_dies_fails_only_its_document(tmp_path: Path) -> None:
    texts = [f"Министр Иванов заявил, что цены снизятся. Документ {i}." for i in range(12)]
    texts[5] = f"{KILLER}. Министр Петров заявил, что цены вырастут."
    tasks = [Task(i, str(i), f"{i}.txt", text) for i, text in enumerate(texts)]
    pool = _PoolRun(2, Options(), ordered=True)
    pool.function = _kill_on_marker
    results = [r for chunk in pool.map(_chunks(iter(tasks), documents=3)) for r in chunk]
    assert [r.index for r in results] == list(range(12))
    assert [r.ok for r in results] == [i != 5 for i in range(12)]
    assert results[5].failure.stage == "worker" and "died" in results[5].failure.message
    assert results[4].record["quotes"][0]["speaker"]["name"] == "Иванов"


def test_dask_local_cluster_writes_what_the_local_engine_writes(corpus: Path, local_output: bytes,
                                                                tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        out = tmp_path / "out.jsonl"
        code = main(["extract", str(corpus), "-o", str(out), "--engine", "dask", "--scheduler",
                     cluster.scheduler_address, "--chunk-size", "4", "--no-progress"])
        assert code == 1
        assert out.read_bytes() == local_output
        # the same job as Parquet parts, gathered by partition
        pytest.importorskip("pyarrow")
        local, dask = tmp_path / "local.parquet", tmp_path / "dask.parquet"
        assert main(["extract", str(corpus), "-o", str(local), "--part-size", "8", "--no-progress"]) == 1
        assert main(["extract", str(corpus), "-o", str(dask), "--part-size", "8", "--engine", "dask",
                     "--scheduler", cluster.scheduler_address, "--no-progress"]) == 1
        for part in sorted(local.rglob("*.parquet")):
            assert (dask / part.relative_to(local)).read_bytes() == part.read_bytes()
        # each worker process built its pipeline once and kept it
        built = _cluster_pipelines(distributed, cluster)
        assert all(count == 1 for count in built.values()) and len(built) == 2


def _cluster_pipelines(distributed, cluster) -> dict:
    """How many pipelines each Dask worker process holds."""
    with distributed.Client(cluster) as client:
        return client.run(lambda: len(__import__("kavychki.batch", fromlist=["_pipelines"])._pipelines))


def test_run_refuses_an_unknown_resume_mode(tmp_path: Path) -> None:
    from kavychki.writers import JsonLinesWriter

    with pytest.raises(ValueError, match="resume"):
        Run(open_inputs([str(CORPUS)]), JsonLinesWriter(str(tmp_path / "o")), resume="maybe")
