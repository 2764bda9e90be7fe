"""The docs name only code that exists, so they cannot drift silently.

Every `backticked` span in README.md and docs/ that is a dotted Python path
(`lindung.accounts.scoping`, `reports.Counter`, `bulk.Layout`, `reading.MAX_ROWS`) or a file
path (`lindung/cases/need_to_know.py`, `imports/jobs.py`, `bench/bench_import.py`) must resolve
to a module, model, attribute or file; and every code name in the glossary's "in code" column
must appear in Lindung's source.
"""

import ast
import importlib
import re
from functools import cache
from pathlib import Path

import pytest
from django.apps import apps

LINDUNG = Path(__file__).resolve().parents[2]
REPO = LINDUNG.parent
DOCS = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
GLOSSARY = REPO / "docs" / "glossary.md"

SPAN = re.compile(r"`([^`\n]+)`")
DOTTED = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+(\(\))?")
IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
# Files of the code and its docs, which a path in the docs must name truly.
CODE_SUFFIXES = {
    "py", "md", "html", "txt", "toml", "in", "cfg", "ini", "sh", "service", "conf", "js",
    "css", "po", "example", "yml", "yaml", "timer",
}  # fmt: skip
# Example file names in prose (`penduduk_DD_MM_YYYY_opendk.xlsx`, `evil.pdf`): never code.
DATA_SUFFIXES = {"xlsx", "xlsm", "xls", "csv", "ods", "pdf", "json", "png", "jpg", "svg", "zip"}
TOP_DIRS = {p.name for p in REPO.iterdir() if p.is_dir() and not p.name.startswith(".")}
SKIPPED_DIRS = {".venv", "node_modules", ".git", "var"}  # var/: what Lindung writes as it runs
# Dotted names that are not Python paths: the demo accounts (`operator.wiralaga1`), system
# check ids (`accounts.E001`), logger names, and the request attribute Django sets.
DEMO_USERNAME = re.compile(r"(operator|kades|disnaker|dpmd|opd|bp3mi|kp2mi|admin)\.\w+")
CHECK_ID = re.compile(r"\w+\.[EW]\d{3}")
NOT_PYTHON = {"lindung.requests", "lindung.tasks", "request.user", "django.tasks"}
# Names the docs use for well-known objects.
ALIASES = {"transaction": "django.db.transaction", "settings": "lindung.settings"}
# A decision record is never edited, so it names the code as it stood when it was written; a
# later record's table row "| `old` | `new` |" says where a name went.
DECISIONS = REPO / "docs" / "decisions"
MOVED_ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|\s*`([^`]+)`\s*\|\s*$", re.MULTILINE)


def _number(record: Path) -> int:
    return int(record.name.split("-", 1)[0])


@cache
def moved_by() -> dict[int, dict[str, str]]:
    """{record number: {old name: where it lives now}}, from each decision record's "Moved"
    section (its table rows, up to the next heading)."""
    found = {}
    for record in sorted(DECISIONS.glob("[0-9]*.md")):
        text = record.read_text()
        if "\n## Moved\n" in text:
            section = text.split("\n## Moved\n", 1)[1].split("\n## ", 1)[0]
            found[_number(record)] = dict(MOVED_ROW.findall(section))
    return found


def moved() -> dict[str, str]:
    """Every move any record states."""
    return {old: new for table in moved_by().values() for old, new in table.items()}


def moved_since(doc: Path) -> dict[str, str]:
    """The moves stated by `doc` itself or by later records (none for a doc that is not a
    record): a record may name the code as it stood when written, never a name already gone."""
    if not (doc.parent == DECISIONS and doc.name[0].isdigit()):
        return {}
    written = _number(doc)
    return {
        old: new
        for n, table in sorted(moved_by().items())
        if n >= written
        for old, new in table.items()
    }


def _suffix(text: str) -> str:
    return text.rsplit(".", 1)[-1] if "." in text else ""


def _is_file_path(text: str) -> bool:
    if not re.fullmatch(r"[\w.\-/]+", text) or text.startswith("/"):
        return False
    if text.startswith(".") and text.count(".") == 1:
        return False  # an extension (`.po`), not a file
    if "/" not in text:
        return _suffix(text) in {"py", "md", "example"}  # a bare name: `manage.py`
    parts = text.strip("/").split("/")
    # Inside the repository: `lindung/imports/`, `docs/deploy.md`, or a path in an app,
    # `imports/jobs.py`.
    return parts[0] not in SKIPPED_DIRS and (parts[0] in TOP_DIRS or _suffix(text) in CODE_SUFFIXES)


def _is_python_path(text: str) -> bool:
    return (
        DOTTED.fullmatch(text) is not None
        and _suffix(text) not in CODE_SUFFIXES | DATA_SUFFIXES
        and not DEMO_USERNAME.fullmatch(text)
        and not CHECK_ID.fullmatch(text)
        and text not in NOT_PYTHON
    )


def cited(text: str) -> tuple[list[str], list[str]]:
    """The dotted Python paths and the file paths a Markdown text cites in backticks."""
    dotted, files = [], []
    for span in SPAN.findall(text):
        span = span.strip()
        if _is_file_path(span):
            files.append(span)
        elif _is_python_path(span):
            dotted.append(span.removesuffix("()"))
    return dotted, files


@cache
def _source_files() -> dict[str, list[Path]]:
    """Every file of the repository (outside virtualenvs and caches) by its name."""
    found: dict[str, list[Path]] = {}
    for path in REPO.rglob("*"):
        if SKIPPED_DIRS.isdisjoint(path.relative_to(REPO).parts) and path.is_file():
            found.setdefault(path.name, []).append(path)
    return found


def file_exists(text: str, doc: Path) -> bool:
    text = text.rstrip("/")
    bases = [REPO, LINDUNG, REPO / "docs", doc.parent]
    if any((base / text).exists() for base in bases):
        return True
    if "/" not in text:  # a bare file name: anywhere in the repository
        return text in _source_files()
    return False


@cache
def _modules_named(name: str) -> list[str]:
    """Dotted names of Lindung's modules and packages whose last part is `name`."""
    found = []
    for path in LINDUNG.rglob(f"{name}*"):
        rel = path.relative_to(REPO)
        if path.is_file() and path.name == f"{name}.py":
            found.append(".".join(rel.with_suffix("").parts))
        elif path.is_dir() and path.name == name and (path / "__init__.py").exists():
            found.append(".".join(rel.parts))
    return found


def _attribute_path(obj, names: list[str]) -> bool:
    for name in names:
        if not hasattr(obj, name):
            return False
        obj = getattr(obj, name)
    return True


def _module_path(dotted: list[str]) -> bool:
    """An importable module followed by attributes: `os._exit`, `lindung.lib.nik.parse_nik`."""
    for cut in range(len(dotted), 0, -1):
        try:
            module = importlib.import_module(".".join(dotted[:cut]))
        except ImportError:
            continue
        return _attribute_path(module, dotted[cut:])
    return False


def python_path_exists(text: str) -> bool:
    parts = text.split(".")
    if parts[0] in ALIASES:
        parts = [*ALIASES[parts[0]].split("."), *parts[1:]]
    head, rest = parts[0], parts[1:]
    if head == "lindung":
        return _module_path(parts)
    if (LINDUNG / head / "__init__.py").exists():  # an app: a model or a module of it
        try:
            model = apps.get_model(head, rest[0])
        except LookupError:  # a module of the app, or a name in its models (`registry.Phase`)
            return _module_path(["lindung", *parts]) or _module_path(
                ["lindung", head, "models", *rest]
            )
        return _attribute_path(model, rest[1:])
    models = [
        m for m in apps.get_models() if m.__name__ == head and m.__module__.startswith("lindung.")
    ]
    if models:
        return any(_attribute_path(model, rest) for model in models)
    modules = _modules_named(head)
    if modules:
        return any(_module_path([*module.split("."), *rest]) for module in modules)
    return _module_path(parts)


def glossary_code_names(text: str) -> list[str]:
    """The plain identifiers of the glossary's "in code" column (the second one)."""
    names = []
    for line in text.splitlines():
        cells = line.split("|")
        if len(cells) > 3 and not set(cells[2].strip()) <= {"-"}:
            for span in SPAN.findall(cells[2]):
                names.extend(
                    span for span in [span.strip()] if IDENTIFIER.fullmatch(span) and span != "in"
                )
    return names


@cache
def _source_words() -> frozenset[str]:
    """The names Lindung's code defines and uses, and its one-word strings (choice values),
    outside the tests; words of docstrings and comments do not count."""
    words = set()
    for path in LINDUNG.rglob("*.py"):
        if "tests" in path.relative_to(LINDUNG).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Name):
                words.add(node.id)
            elif isinstance(node, ast.Attribute):
                words.add(node.attr)
            elif isinstance(node, ast.FunctionDef | ast.ClassDef):
                words.add(node.name)
            elif isinstance(node, ast.arg | ast.keyword) and node.arg:
                words.add(node.arg)
            elif isinstance(node, ast.Constant) and IDENTIFIER.fullmatch(str(node.value)):
                words.add(node.value)
    return frozenset(words)


def test_there_are_docs_citing_code():
    assert len(DOCS) >= 10
    dotted, files = cited("\n".join(doc.read_text() for doc in DOCS))
    assert len(dotted) >= 30 and len(files) >= 30


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_cited_python_path_exists(doc):
    dotted, _files = cited(doc.read_text())
    dotted = [moved_since(doc).get(name, name) for name in dotted]
    assert [name for name in dotted if not python_path_exists(name)] == []


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_cited_file_exists(doc):
    _dotted, files = cited(doc.read_text())
    files = [moved_since(doc).get(name, name) for name in files]
    assert [name for name in files if not file_exists(name, doc)] == []


def test_a_name_moved_by_a_decision_record_exists_where_it_went():
    assert len(moved()) >= 5
    gone = [old for old in moved() if python_path_exists(old) or file_exists(old, DECISIONS)]
    missing = [
        new
        for new in moved().values()
        if not (python_path_exists(new) or file_exists(new, DECISIONS))
    ]
    assert (gone, missing) == ([], [])


def test_every_code_name_in_the_glossary_is_in_the_code():
    names = glossary_code_names(GLOSSARY.read_text())
    assert len(names) >= 10
    assert [name for name in names if name not in _source_words()] == []


def test_the_checks_catch_wrong_names():
    text = (
        "`lindung.accounts.scoping.scope` `registry.Person.nik` `bulk.Layout` `os._exit` "
        "`lindung/cases/need_to_know.py` `imports/jobs.py`\n"
        "`lindung.accounts.scoping.scoped` `registry.Persons` `registry.Person.nick` "
        "`bulk.Layouts` `ImportIssue.kinds` `nothing_here.at_all` "
        "`lindung/cases/need_to_know_not.py` `imports/job.py` `docs/nowhere.md`\n"
        "| idea | in code | on screen |\n|---|---|---|\n| x | `referral`, `Person` | y |\n"
    )
    dotted, files = cited(text)
    assert [name for name in dotted if not python_path_exists(name)] == [
        "lindung.accounts.scoping.scoped",
        "registry.Persons",
        "registry.Person.nick",
        "bulk.Layouts",
        "ImportIssue.kinds",
        "nothing_here.at_all",
    ]
    assert [name for name in files if not file_exists(name, GLOSSARY)] == [
        "lindung/cases/need_to_know_not.py",
        "imports/job.py",
        "docs/nowhere.md",
    ]
    assert glossary_code_names(text) == ["referral", "Person"]
    assert "referral" not in _source_words()
