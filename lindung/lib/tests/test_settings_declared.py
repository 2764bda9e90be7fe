"""Every setting Lindung reads is declared in lindung/settings.py and read as `settings.NAME`.

A `getattr(settings, "NAME", default)` hides a setting that was never declared: its default
lives beside the code that reads it, where nobody configuring Lindung looks, and a misspelt
name silently gives the default. This reads the source of every module outside the tests.
"""

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted(
    path
    for path in ROOT.rglob("*.py")
    if "tests" not in path.relative_to(ROOT).parts and path.name != "settings.py"
)


def _is_settings(node: ast.expr) -> bool:
    return (isinstance(node, ast.Name) and node.id == "settings") or (
        isinstance(node, ast.Attribute) and node.attr == "settings"
    )


def dynamic_reads(path: Path) -> list[str]:
    """`getattr(settings, …)` and `hasattr(settings, …)` calls in a module, as 'call line'."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"getattr", "hasattr"}
            and node.args
            and _is_settings(node.args[0])
        ):
            found.append(f"{node.func.id} line {node.lineno}")
    return found


def settings_read(path: Path) -> set[str]:
    """The upper-case names a module reads as `settings.NAME`."""
    return {
        node.attr
        for node in ast.walk(ast.parse(path.read_text(), str(path)))
        if isinstance(node, ast.Attribute) and _is_settings(node.value) and node.attr.isupper()
    }


def test_there_are_modules_to_check():
    assert len(MODULES) >= 100


def test_no_setting_is_read_with_a_silent_fallback():
    found = {str(path.relative_to(ROOT)): dynamic_reads(path) for path in MODULES}
    assert {path: calls for path, calls in found.items() if calls} == {}


def test_every_setting_read_is_declared():
    undeclared = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in MODULES
        for name in settings_read(path)
        if not hasattr(settings, name)
    }
    assert undeclared == set()


def test_the_check_catches_a_fallback_and_an_undeclared_name(tmp_path):
    module = tmp_path / "jobs.py"
    module.write_text(
        "from django.conf import settings\n"
        "MODE = getattr(settings, 'IMPORTS_MODE', 'auto')\n"
        "if hasattr(django.conf.settings, 'X'):\n"
        "    LIMIT = settings.IMPORTS_ROW_LIMIT_TYPO\n"
    )
    assert dynamic_reads(module) == ["getattr line 2", "hasattr line 3"]
    assert settings_read(module) == {"IMPORTS_ROW_LIMIT_TYPO"}
    assert not hasattr(settings, "IMPORTS_ROW_LIMIT_TYPO")


def environment_variables(source: str) -> list[str]:
    """The environment variables a settings module reads through lindung.lib.env."""
    return [
        node.args[0].value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id.startswith("env_")
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]


def documented(name: str, example: str) -> bool:
    return re.search(rf"^#?\s*{re.escape(name)}=", example, re.MULTILINE) is not None


def test_every_environment_variable_is_in_the_env_example():
    names = environment_variables((ROOT / "settings.py").read_text())
    example = (ROOT.parent / ".env.example").read_text()
    assert len(names) >= 30
    assert [name for name in names if not documented(name, example)] == []


def test_the_env_check_catches_an_undocumented_variable():
    names = environment_variables('A = env_int("UPLOAD_MAX_MB", 20)\nB = env_str("NEW_ONE")\n')
    assert names == ["UPLOAD_MAX_MB", "NEW_ONE"]
    assert [n for n in names if not documented(n, "UPLOAD_MAX_MB=20\n# OTHER=1\n")] == ["NEW_ONE"]
