"""The live store under a crash (a real ``kill -9``), corrupt files and an old flat layout.

The writer runs in a subprocess that pauses at a named point of ``write_many`` (the
``KOMMUNEFRAM_STORE_TEST_PAUSE`` hook) and is killed there with SIGKILL, so nothing in it
gets to clean up. Readers, in this process and a fresh one, must then see every table old or
every table new, never a mix.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from data_sources import read_table, table_meta
from data_sources.store import MANIFEST, PAUSE_ENV, Store, TableNotFoundError, snapshot_store

ROOT = Path(__file__).resolve().parents[2]

WRITER = """
import sys
import time
import pandas as pd
from data_sources.store import Store
tag = sys.argv[2]
Store(sys.argv[1]).write_many([
    ("population", pd.DataFrame({"year": [2030], "persons": [2]}), {"tag": tag}),
    ("population_national", pd.DataFrame({"year": [2030], "persons": [3]}), {"tag": tag}),
])
print("done", flush=True)
"""


def write_old(store: Store) -> None:
    store.write_many(
        [
            ("population", pd.DataFrame({"year": [2025], "persons": [1]}), {"tag": "old"}),
            ("population_national", pd.DataFrame({"year": [2025], "persons": [1]}), {"tag": "old"}),
        ]
    )


def tags(root: Path) -> tuple[str, str]:
    """What a fresh reader sees for both tables, read through one view of the store."""
    store = Store(root).view()
    return store.meta("population")["tag"], store.meta("population_national")["tag"]


def writer(root: Path, pause: str | None) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop(PAUSE_ENV, None)
    if pause:
        env[PAUSE_ENV] = pause
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(root), "new"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )


def kill_at(root: Path, pause: str) -> None:
    proc = writer(root, pause)
    try:
        line = proc.stdout.readline().strip()
        assert line == f"paused:{pause}", proc.stderr.read()
        # while the writer sits there, a reader sees the state of that moment
        expected = ("old", "old") if pause == "staged" else ("new", "new")
        assert tags(root) == expected
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


@pytest.fixture
def live(tmp_path, monkeypatch) -> Store:
    root = tmp_path / "store"
    monkeypatch.setenv("KOMMUNEFRAM_STORE", str(root))
    store = Store(root)
    write_old(store)
    return store


def test_kill_9_after_staging_leaves_every_table_old(live):
    kill_at(live.root, "staged")
    assert tags(live.root) == ("old", "old")
    assert read_table("population")["persons"].tolist() == [1]
    assert read_table("population_national")["persons"].tolist() == [1]
    assert Store(live.root).generation() == 1
    # the killed writer's complete but unreferenced files are still there ...
    orphans = [p for p in live.root.glob("*.g000002-*.parquet")]
    assert len(orphans) == 2
    # ... until the next write, which removes them
    live.write("kommuner", pd.DataFrame({"kommune_code": ["0301"]}), {"tag": "x"})
    assert not any(p.exists() for p in orphans)
    assert tags(live.root) == ("old", "old")


def test_kill_9_after_the_manifest_is_replaced_leaves_every_table_new(live):
    kill_at(live.root, "committed")
    assert tags(live.root) == ("new", "new")
    assert read_table("population")["persons"].tolist() == [2]
    assert read_table("population_national")["persons"].tolist() == [3]
    assert table_meta("population")["tag"] == "new"


def test_uninterrupted_writer_in_a_subprocess_and_no_leftovers(live):
    proc = writer(live.root, None)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert out.strip() == "done"
    assert tags(live.root) == ("new", "new")
    names = sorted(p.name for p in live.root.iterdir())
    # manifest, lock, two current files and the two of the previous generation; no temp files
    assert len(names) == 6 and MANIFEST in names and ".lock" in names
    assert not [n for n in names if n.endswith(".tmp")]


def test_previous_generation_is_kept_for_readers_older_ones_removed(live):
    first = live.path("population")
    live.write("population", pd.DataFrame({"year": [2026], "persons": [5]}), {"tag": "g2"})
    assert first.exists()  # a reader that read the old manifest can still open it
    live.write("population", pd.DataFrame({"year": [2027], "persons": [6]}), {"tag": "g3"})
    assert not first.exists()
    assert len(list(live.root.glob("population.*.parquet"))) == 2
    assert live.meta("population_national")["tag"] == "old"  # untouched table keeps its file


def test_failed_write_leaves_no_temp_files_and_the_manifest_unchanged(live, monkeypatch):
    import pyarrow.parquet as pq

    manifest = (live.root / MANIFEST).read_bytes()
    listing = sorted(p.name for p in live.root.iterdir())
    real = pq.write_table
    calls = []

    def full_on_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(pq, "write_table", full_on_second)
    with pytest.raises(OSError, match="No space left"):
        write_old(live)
    assert (live.root / MANIFEST).read_bytes() == manifest
    assert sorted(p.name for p in live.root.iterdir()) == listing


def test_flat_live_store_from_before_the_manifest_is_read_and_migrated(tmp_path, monkeypatch):
    root = tmp_path / "store"
    monkeypatch.setenv("KOMMUNEFRAM_STORE", str(root))
    flat = Store(root, versioned=False)
    flat.write("population", pd.DataFrame({"year": [2025], "persons": [9]}), {"tag": "flat"})
    assert sorted(p.name for p in root.iterdir()) == ["population.parquet"]
    assert read_table("population")["persons"].tolist() == [9]

    store = Store(root)
    store.write("population_national", pd.DataFrame({"year": [2025], "persons": [4]}), {})
    assert read_table("population")["persons"].tolist() == [9]  # carried into the manifest
    store.write("population", pd.DataFrame({"year": [2026], "persons": [8]}), {"tag": "v"})
    store.write("population", pd.DataFrame({"year": [2027], "persons": [7]}), {"tag": "v"})
    assert not (root / "population.parquet").exists()
    assert read_table("population")["persons"].tolist() == [7]


def test_snapshot_folder_keeps_its_flat_layout():
    assert snapshot_store().versioned is False
    assert not (snapshot_store().root / MANIFEST).exists()


# -- an unreadable live table falls back to the snapshot, with a logged warning -------------


def snapshot_2026_total() -> int:
    pop = snapshot_store().read("population", columns=["year", "persons"])
    return int(pop.loc[pop["year"] == 2026, "persons"].sum())


@pytest.mark.parametrize("damage", ["garbage", "truncated", "manifest"])
def test_corrupt_live_table_falls_back_to_the_snapshot(live, caplog, damage):
    path = live.path("population")
    if damage == "garbage":
        path.write_bytes(b"this is not parquet" * 10)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:-40])
    else:
        (live.root / MANIFEST).write_text('{"tables": ', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="data_sources.store"):
        pop = read_table("population")
        meta = table_meta("population")
    assert pop.loc[pop["year"] == 2026, "persons"].sum() == snapshot_2026_total() == 5_627_400
    assert meta["source"] == "snapshot"
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings and "bruker snapshotet i stedet" in warnings[0].getMessage()
    assert "population" in warnings[0].getMessage()


def test_corrupt_live_table_without_a_snapshot_copy_is_a_clear_error(live):
    live.write("only_live", pd.DataFrame({"a": [1]}), {})
    live.path("only_live").write_bytes(b"garbage")
    with pytest.raises(TableNotFoundError, match="only_live"):
        read_table("only_live")


def test_concurrent_writers_are_serialised_and_readers_never_see_a_mix(live):
    """Four writer processes at once (the lock serialises them): each commit is whole."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop(PAUSE_ENV, None)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(live.root), f"w{i}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
        )
        for i in range(4)
    ]
    seen = set()
    while any(p.poll() is None for p in procs):
        with contextlib.suppress(FileNotFoundError):  # a view outlives one write, not two
            seen.add(tags(live.root))
        time.sleep(0.01)
    for p in procs:
        _, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
    seen.add(tags(live.root))
    assert len(seen) >= 2 and all(a == b for a, b in seen), seen  # never a mix of two writes
    assert Store(live.root).generation() == 1 + 4
    names = [p.name for p in live.root.iterdir()]
    assert len([n for n in names if n.endswith(".parquet")]) == 4  # current + previous only


def test_info_with_a_corrupt_live_table_uses_the_snapshot(live, capsys):
    from data_sources.__main__ import main

    live.path("population").write_bytes(b"garbage")
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    pop_line = next(line for line in out.splitlines() if line.startswith("population "))
    assert "snapshot" in pop_line and "2005-2026" in pop_line
    assert "Norge 1.1.2026: 5 627 400" in out
