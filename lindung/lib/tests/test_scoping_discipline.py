"""Views never query person-owned tables themselves: they call selectors, which scope.

This reads the source of every views module, so a new view that writes
`Person.objects.filter(...)` fails here before it can leak another village's data.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PERSON_OWNED = {
    "Person",
    "FamilyMember",
    "Placement",
    "PlacementEvent",
    "ReadinessCheck",
    "Letter",
    "Case",
    "CaseStep",
    "CaseAttachment",
    "Enrollment",
    "Outcome",
    "ImportBatch",
    "ImportIssue",
}
# Every app's views.py, and the views an app keeps beside them (public_views.py, an app's pages
# of another app's records: trail_views.py, area_views.py, person_views.py).
VIEW_MODULES = sorted(ROOT.glob("*/views.py")) + sorted(ROOT.glob("*/*_views.py"))


def direct_queries(path: Path) -> list[str]:
    """`Model.objects` uses of person-owned models in a module, as 'Model line'."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in {"objects", "_default_manager"}
            and isinstance(node.value, ast.Name)
            and node.value.id in PERSON_OWNED
        ):
            found.append(f"{node.value.id} line {node.lineno}")
    return found


def test_there_are_view_modules_to_check():
    assert len(VIEW_MODULES) >= 10


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: p.parent.name + "/" + p.name)
def test_views_query_person_data_only_through_selectors(path):
    assert direct_queries(path) == []


def test_the_check_catches_a_direct_query(tmp_path):
    module = tmp_path / "views.py"
    module.write_text("def v(request):\n    return Person.objects.filter(pk=1)\n")
    assert direct_queries(module) == ["Person line 2"]


# Reads build no code range of their own: "A or below A" is `code_q`/`scope`/`scope_within`,
# "strictly below A" is `below_q`, "A and the areas above" is `reach_q` (accounts/scoping.py).
READ_MODULES = sorted(ROOT.glob("*/selectors.py")) + [
    ROOT / "reports" / "declared.py",
    ROOT / "accounts" / "areas.py",  # the reads of areas by user
]


def hand_built_ranges(path: Path) -> list[str]:
    """Code ranges a module builds by hand (`x + "."`, `x + "/"`), as 'line N'."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Add)
            and isinstance(node.right, ast.Constant)
            and node.right.value in (".", "/")
        ):
            found.append(f"line {node.lineno}")
    return found


@pytest.mark.parametrize("path", READ_MODULES, ids=lambda p: p.parent.name + "/" + p.name)
def test_reads_take_their_code_ranges_from_the_scoping_module(path):
    assert hand_built_ranges(path) == []


def test_the_check_catches_a_hand_built_range(tmp_path):
    module = tmp_path / "selectors.py"
    module.write_text(
        "def s(code):\n"
        "    return Area.objects.filter(code__startswith=code + '.')\n"
        "def t(code):\n"
        "    return Area.objects.filter(code__gte=code + '.', code__lt=code + '/')\n"
    )
    assert hand_built_ranges(module) == ["line 2", "line 4", "line 4"]
