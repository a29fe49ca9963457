"""The run store on its own: bounded size by thinning, reading while written, untrusted files."""

import shutil
import sqlite3

import numpy as np
import pytest

from explorer.core.watch import records, schema
from explorer.core.watch.follow import RunFollower
from explorer.core.watch.reader import RunReader, RunStoreError
from explorer.core.watch.store import RunWriter

PARAMS = {"params": [["w", [3]], ["b", [1]]], "rank": 0, "world_size": 1}


def write_steps(writer, first, last, loss=lambda s: 1.0 / s):
    for s in range(first, last + 1):
        writer.put(records.scalar("loss", s, loss(s)))
        writer.put(records.vector("grad_norm", s, [s, -s]))


def test_old_points_are_thinned_to_min_and_max_so_size_stays_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(schema, "SCALAR_CAPACITY", 256)
    monkeypatch.setattr(schema, "VECTOR_CAPACITY", 128)
    writer = RunWriter(tmp_path, 0, PARAMS)
    spike = 500
    write_steps(writer, 1, 2000, loss=lambda s: 100.0 if s == spike else 1.0)
    writer.close()
    reader = RunReader(tmp_path)
    (chunk,) = reader.poll()
    steps, values = chunk.scalars["loss"]
    assert len(steps) <= 256 + 16
    assert steps[-1] == 2000 and (np.diff(steps) > 0).all()
    assert values.max() == 100.0  # the spike survives thinning
    assert steps[-64:].tolist() == list(range(2000 - 63, 2001))  # the recent points exact
    assert len(chunk.vectors["grad_norm"]) <= 128 + 16
    assert int(reader.ranks[0].meta["generation"]) > 0
    reader.close()


def test_a_reader_follows_the_writer_and_rereads_after_thinning(tmp_path, monkeypatch):
    monkeypatch.setattr(schema, "SCALAR_CAPACITY", 64)
    writer = RunWriter(tmp_path, 0, PARAMS)
    follower = RunFollower(tmp_path)
    (update,) = follower.poll()  # the rank is there, with no step yet
    assert update.reset and update.update.metrics == ()
    assert follower.poll() == []
    write_steps(writer, 1, 10)
    writer.flush()
    (update,) = follower.poll()
    assert not update.reset and [m.step for m in update.update.metrics] == list(range(1, 11))
    assert update.update.metrics[0].grad_norms == (1.0, -1.0)
    write_steps(writer, 11, 20)
    writer.flush()
    (update,) = follower.poll()
    assert not update.reset and [m.step for m in update.update.metrics] == list(range(11, 21))
    write_steps(writer, 21, 200)  # past the capacity: the writer thins, the reader starts over
    writer.flush()
    (update,) = follower.poll()
    assert update.reset and update.update.metrics[-1].step == 200
    steps = [m.step for m in update.update.metrics]
    assert steps == sorted(steps)
    assert sum(not np.isnan(m.loss) for m in update.update.metrics) <= 64  # the thinned loss
    writer.close()
    follower.close()


def test_a_file_that_is_not_a_store_is_named_and_the_other_ranks_still_read(tmp_path):
    writer = RunWriter(tmp_path, 0, PARAMS)
    write_steps(writer, 1, 5)
    writer.close()
    (tmp_path / schema.rank_file_name(1)).write_bytes(b"\x00garbage" * 100)
    with sqlite3.connect(tmp_path / schema.rank_file_name(2)) as foreign:
        foreign.execute("CREATE TABLE meta(key TEXT, value TEXT)")
        foreign.execute("INSERT INTO meta VALUES ('format', 'something-else')")
    reader = RunReader(tmp_path)
    chunks = reader.poll()
    assert [c.rank for c in chunks] == [0]
    problems = reader.problems
    assert any(str(tmp_path / "rank-00001.sqlite") in p and "not a readable explorer run store" in p for p in problems)
    assert any(str(tmp_path / "rank-00002.sqlite") in p and "format 'something-else'" in p for p in problems)
    reader.close()


def finished_store(folder):
    writer = RunWriter(folder, 0, PARAMS)
    write_steps(writer, 1, 3000)
    for s in range(1, 200):
        writer.put(records.vector("update_ratio", s, [0.001, 0.002]))
    writer.close()
    path = folder / schema.rank_file_name(0)
    with sqlite3.connect(path) as c:  # everything into the main file, as after a clean close
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.read_bytes()


def test_a_damaged_store_shows_what_is_readable(tmp_path):
    data = bytearray(finished_store(tmp_path / "full"))
    data[20 * 4096 : 21 * 4096] = b"\xff" * 4096  # one page of the loss's table overwritten
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / schema.rank_file_name(0)).write_bytes(bytes(data))
    reader = RunReader(damaged)
    (chunk,) = reader.poll()  # does not raise
    assert reader.problems == [f"{damaged / 'rank-00000.sqlite'}: the scalars table cannot be read (database disk "
                               "image is malformed); showing what could be read"]
    assert len(chunk.vectors["grad_norm"]) == 3000 and len(chunk.vectors["update_ratio"]) == 199
    reader.close()


def test_a_half_written_store_is_named_and_the_other_ranks_still_show(tmp_path):
    data = finished_store(tmp_path / "full")
    run = tmp_path / "run"
    writer = RunWriter(run, 1, {**PARAMS, "rank": 1})
    write_steps(writer, 1, 5)
    writer.close()
    (run / schema.rank_file_name(0)).write_bytes(data[: len(data) * 2 // 3])  # a copy cut short
    reader = RunReader(run)
    chunks = reader.poll()
    assert [c.rank for c in chunks] == [1]
    assert reader.problems == [f"{run / 'rank-00000.sqlite'}: not a readable explorer run store (database disk "
                               "image is malformed)"]
    reader.close()


def test_a_missing_run_dir_is_a_clear_error(tmp_path):
    with pytest.raises(RunStoreError, match="no such folder"):
        RunReader(tmp_path / "nowhere")


def test_two_writers_of_one_rank_file_share_it(tmp_path):
    """A restarted job appends to the same rank file; WAL and the busy timeout let two writers take turns."""
    a = RunWriter(tmp_path, 0, PARAMS)
    b = RunWriter(tmp_path, 0, PARAMS)
    for s in range(1, 400):
        (a if s % 2 else b).put(records.scalar("loss", s, float(s)))
    assert a.flush() and b.flush()
    a.close()
    b.close()
    reader = RunReader(tmp_path)
    (chunk,) = reader.poll()
    assert chunk.scalars["loss"][0].tolist() == list(range(1, 400))
    reader.close()
