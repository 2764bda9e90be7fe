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
VIEW_MODULES = sorted(ROOT.glob("*/views.py")) + sorted(ROOT.glob("*/public_views.py"))


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
