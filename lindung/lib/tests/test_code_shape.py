"""The application stays readable in pieces: no module over 600 lines, no function over 80.

The demo's seeding (`demo.py` of each app) is left out: it is a long list of what the demo
shows, read top to bottom. Migrations are generated.
"""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2]  # lindung/
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


def _modules():
    for path in sorted(APP.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def test_the_walk_reads_the_application():
    names = {path.relative_to(APP).as_posix() for path in _modules()}
    assert {"counters/keeping.py", "imports/writer.py", "reports/counters.py"} <= names
    assert not any("/migrations/" in name for name in names)


def test_no_module_is_over_600_lines():
    long = {
        path.relative_to(APP).as_posix(): lines
        for path in _modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_no_function_is_over_80_lines_but_the_demo_seeding():
    long = {}
    for path in _modules():
        if path.name == "demo.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(APP).as_posix()}:{node.name}"] = lines
    assert long == {}
