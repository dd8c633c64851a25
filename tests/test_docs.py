"""The documentation builds, and the example notebook runs top to bottom."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import ROOT


def test_mkdocs_builds_strictly(tmp_path):
    pytest.importorskip("mkdocs")
    pytest.importorskip("material")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "site" / "index.html").exists()


def test_example_notebook_runs(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    notebook = nbformat.read(ROOT / "docs" / "example.ipynb", as_version=4)
    work = tmp_path / "docs"
    work.mkdir()
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(work)}})
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any('class="kavychki"' in h and "Бен МакКонаги" in h for h in html)


def test_quote_examples_in_the_docs_are_what_the_code_prints():
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "docs_examples.py"), "--check",
                          str(ROOT / "docs" / "quotes.md"), str(ROOT / "docs" / "limitations.md")],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr + "\nrun: python scripts/docs_examples.py docs/*.md"
