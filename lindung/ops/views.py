"""`/healthz`: is this Lindung able to serve? For a load balancer or a monitor; no login and no
personal data, only three words."""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lindung.ops.models import WorkerHeartbeat
from lindung.ops.tasks import HEALTHY_WITHIN


def health_status() -> dict:
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure to reach the database is "unreachable"
        return {"database": "unreachable", "migrations": "unknown", "worker": "unknown"}
    status = {"database": "ok"}
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        status["migrations"] = "pending" if plan else "ok"
    except Exception:  # noqa: BLE001
        status["migrations"] = "unknown"
    try:
        alive = WorkerHeartbeat.objects.filter(
            seen_at__gte=timezone.now() - HEALTHY_WITHIN
        ).exists()
        status["worker"] = "ok" if alive else "missing"
    except Exception:  # noqa: BLE001 - e.g. the table is not migrated yet
        status["worker"] = "unknown"
    return status


@never_cache
@require_GET
def healthz(request):
    status = health_status()
    healthy = all(value == "ok" for value in status.values())
    return JsonResponse(status, status=200 if healthy else 503)
