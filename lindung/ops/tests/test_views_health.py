"""/healthz: three words, 200 only when all are ok, no login, nothing personal."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from lindung.ops.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def beat(worker_id="w1", ago=timedelta(0)):
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"pid": 1, "started_at": now, "seen_at": now - ago}
    )


def test_all_ok_with_a_worker_heartbeat_no_login_needed(client):
    beat()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "migrations": "ok", "worker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_no_recent_heartbeat_is_a_missing_worker(client):
    beat(ago=timedelta(seconds=90))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == "missing"


def test_pending_migrations_are_said(client):
    beat()
    with mock.patch(
        "django.db.migrations.executor.MigrationExecutor.migration_plan", return_value=[1]
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "migrations": "pending", "worker": "ok"}


def test_an_unreachable_database_is_said(client):
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=OSError("down")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
