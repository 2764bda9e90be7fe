"""Every Indonesian catalogue is complete, and every text the code and templates mark for
translation is in a catalogue.

The second check runs Django's makemessages (it needs GNU gettext) on a copy of each source
tree, so the committed catalogues are never touched, and compares the extracted texts with
the committed ones.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

LINDUNG = Path(__file__).resolve().parents[2]
APPS = sorted(p.parent.name for p in LINDUNG.glob("*/apps.py"))
FOUNDATION = ["(project)", "accounts", "audit", "regions"]
CATALOGUES = sorted(LINDUNG.glob("**/locale/id/LC_MESSAGES/django.po"))


def _read(path: Path):
    with open(path, "rb") as handle:
        return read_po(handle, locale="id")


def _key(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def _catalogue_of(source: str) -> Path:
    base = LINDUNG if source == "(project)" else LINDUNG / source
    return base / "locale" / "id" / "LC_MESSAGES" / "django.po"


def _name(path: Path) -> str:
    return str(path.relative_to(LINDUNG.parent))


def test_the_foundation_catalogues_exist():
    for source in FOUNDATION:
        assert _catalogue_of(source).exists(), f"{source} has no Indonesian catalogue"


@pytest.mark.parametrize("path", CATALOGUES, ids=_name)
def test_no_indonesian_text_is_empty_or_fuzzy(path):
    catalogue = _read(path)
    assert not catalogue.fuzzy, f"{_name(path)}: the header is marked fuzzy"
    empty, fuzzy = [], []
    for message in catalogue:
        if not message.id:
            continue
        strings = [message.string] if isinstance(message.string, str) else message.string
        if not all(s.strip() for s in strings):
            empty.append(_key(message))
        if message.fuzzy:
            fuzzy.append(_key(message))
    assert not empty, f"{_name(path)}: no Indonesian text for {empty}"
    assert not fuzzy, f"{_name(path)}: fuzzy entries {fuzzy}"


@pytest.mark.parametrize("path", CATALOGUES, ids=_name)
def test_placeholders_survive_translation(path):
    """A translation that drops or renames %(name)s would crash or mislead at run time."""
    import re

    pattern = re.compile(r"%\((\w+)\)[sd]")
    wrong = []
    for message in _read(path):
        if not message.id or not isinstance(message.id, str) or not message.string:
            continue  # plural forms aside; an empty text is the other test's failure
        if set(pattern.findall(message.id)) != set(pattern.findall(message.string or "")):
            wrong.append(message.id)
    assert not wrong, f"{_name(path)}: placeholders differ in {wrong}"


def _copy_source(source: str, target: Path) -> Path:
    """A copy of the files makemessages reads for one catalogue, with an empty locale dir."""
    if source == "(project)":
        root = target / "lindung"
        root.mkdir()
        for name in ("templates", "lib"):
            shutil.copytree(LINDUNG / name, root / name, ignore=shutil.ignore_patterns("tests"))
        for path in LINDUNG.glob("*.py"):
            shutil.copy(path, root / path.name)
    else:
        root = target / source
        shutil.copytree(
            LINDUNG / source, root, ignore=shutil.ignore_patterns("locale", "tests", "__pycache__")
        )
    (root / "locale").mkdir()
    return root


def _extracted(source: str, tmp_path: Path) -> set[str]:
    root = _copy_source(source, tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    django_admin = Path(sys.executable).with_name("django-admin")
    result = subprocess.run(  # noqa: S603 (Django's own tool on our own files)
        [str(django_admin), "makemessages", "-l", "id", "--no-obsolete"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    po = root / "locale" / "id" / "LC_MESSAGES" / "django.po"
    if not po.exists():
        return set()
    return {_key(m) for m in _read(po) if m.id}


needs_gettext = pytest.mark.skipif(
    shutil.which("xgettext") is None,
    reason="GNU gettext (xgettext) is not installed: cannot extract texts to compare",
)


@needs_gettext
@pytest.mark.parametrize("source", FOUNDATION + [a for a in APPS if a not in FOUNDATION])
def test_every_marked_text_is_in_the_catalogue(source, tmp_path):
    extracted = _extracted(source, tmp_path)
    if not extracted:
        return
    path = _catalogue_of(source)
    assert path.exists(), (
        f"lindung/{source} marks {len(extracted)} texts for translation but has no catalogue; "
        f"run: cd lindung/{source} && ../../.venv/bin/django-admin makemessages -l id -l en"
    )
    known = {_key(m) for m in _read(path) if m.id}
    missing = sorted(extracted - known)
    assert not missing, (
        f"{_name(path)} lacks {len(missing)} texts (run makemessages and translate): {missing}"
    )
