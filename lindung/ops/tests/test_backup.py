"""Backups that restore, on the suite's engine (SQLite in the first pass of `make test`,
PostgreSQL in the second): a backup taken while a writer registers residents restores into an
empty database with every table's rows and consistent dashboard counters."""

import subprocess
import sys
import time

import pytest

from lindung.ops.tests.helpers import (
    ROOT,
    drop_database,
    env_for,
    fresh_database,
    manage,
    table_counts,
)


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("backup-source")
    url = fresh_database(var_dir, "bk_source")
    env = env_for(url, var_dir)
    manage(env, "migrate", "--noinput")
    manage(env, "load_regions")
    manage(env, "generate_synthetic", "--people", "300", "--area", "18.11")
    upload = var_dir / "media" / "imports" / "2026" / "01" / "buku-desa.xlsx"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"synthetic upload")
    yield url, env, var_dir
    drop_database(url)


def _restore_into_new(tmp_path, backup, name):
    var_dir = tmp_path / name
    var_dir.mkdir()
    url = fresh_database(var_dir, f"bk_{name}")
    env = env_for(url, var_dir)
    manage(env, "restore", str(backup))
    return url, env, var_dir


def test_backup_during_writes_restores_consistently(source, tmp_path):
    url, env, var_dir = source
    stop = tmp_path / "stop"
    writer = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            f"from lindung.ops.tests.writer import run; run({str(stop)!r}, 5000)",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    restored = []
    try:
        # Let the writer get going, then back up while it writes.
        deadline = time.monotonic() + 60
        while table_counts(url)["registry_person"] < 310 and time.monotonic() < deadline:
            assert writer.poll() is None, writer.stdout.read()
            time.sleep(0.2)
        before = table_counts(url)
        during = tmp_path / "during.tar"
        manage(env, "backup", "--output", str(during))
        assert writer.poll() is None, "the writer must still be writing after the backup"
    finally:
        stop.touch()
        writer.wait(timeout=60)
    after = table_counts(url)
    assert after["registry_person"] > before["registry_person"]

    # The backup taken during the writes: every table between the counts before and after, and
    # the counters agree with the rows (a torn snapshot would not).
    got_url, got_env, _ = _restore_into_new(tmp_path, during, "during")
    restored.append(got_url)
    got = table_counts(got_url)
    assert set(got) == set(after)
    for table in after:
        if table in ("django_session", "lindung_cache", "ops_workerheartbeat"):
            continue
        assert before[table] <= got[table] <= after[table], table
    manage(got_env, "check_counters")

    # A backup of the quiet database restores every table's rows exactly, with the uploads.
    quiet = tmp_path / "quiet.tar"
    manage(env, "backup", "--output", str(quiet))
    same_url, same_env, same_var = _restore_into_new(tmp_path, quiet, "quiet")
    restored.append(same_url)
    assert table_counts(same_url) == table_counts(url)
    manage(same_env, "check_counters")
    restored_upload = same_var / "media" / "imports" / "2026" / "01" / "buku-desa.xlsx"
    assert restored_upload.read_bytes() == b"synthetic upload"

    # A database that is not empty is refused, unless --force.
    refused = manage(same_env, "restore", str(during), check=False)
    assert refused.returncode != 0 and "not empty" in refused.stderr
    manage(same_env, "restore", str(during), "--force")
    assert table_counts(same_url)["registry_person"] == got["registry_person"]
    manage(same_env, "check_counters")
    for restored_url in restored:
        drop_database(restored_url)
