"""The lock files: every package pinned with hashes, all of pyproject.toml covered."""

import importlib.util
import shutil
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent

spec = importlib.util.spec_from_file_location(
    "lock_check", ROOT / "requirements/check.py"
)
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)


def test_the_locks_cover_every_dependency_and_extra_of_pyproject():
    assert check.problems() == [], (
        "pyproject.toml changed since the lock files were made: run `make lock`"
    )


@pytest.mark.parametrize("lock", check.LOCKS)
def test_every_package_is_pinned_with_its_hashes(lock):
    entries = (ROOT / lock).read_text().split("\n")
    pinned = [line for line in entries if line and line[0] not in " #"]
    assert len(pinned) > 20
    for index, line in enumerate(entries):
        if not line or line[0] in " #":
            continue
        requirement = Requirement(line.removesuffix("\\").strip())
        assert [s.operator for s in requirement.specifier] == ["=="], line
        assert entries[index + 1].strip().startswith("--hash=sha256:"), line


def test_the_environment_has_the_versions_of_the_lock():
    """`make` installed exactly what main.lock pins for this platform."""
    lock = ROOT / "requirements/main.lock"
    wrong = []
    for line in lock.read_text().splitlines():
        if not line or line[0] in " #":
            continue
        requirement = Requirement(line.removesuffix("\\").strip())
        if requirement.marker and not requirement.marker.evaluate():
            continue  # another platform's
        (pin,) = requirement.specifier
        try:
            installed = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != pin.version:
            wrong.append(f"{requirement.name} {installed} instead of {pin.version}")
    assert wrong == [], "run `make` to install the lock"


@pytest.fixture
def project(tmp_path):
    """A copy of pyproject.toml and the lock files, to change."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    shutil.copytree(ROOT / "requirements", tmp_path / "requirements")
    return tmp_path


def edit(project, old, new):
    path = project / "pyproject.toml"
    text = path.read_text()
    assert text.count(old) == 1
    path.write_text(text.replace(old, new))


def test_a_dependency_added_without_make_lock_is_found(project, capsys):
    edit(project, "dependencies = [\n", 'dependencies = [\n    "left-pad>=1",\n')
    assert check.problems(project) == [
        "requirements/main.lock pins no left-pad (left-pad>=1)",
        "requirements/bench.lock pins no left-pad (left-pad>=1)",
    ]
    assert check.main(project) == 1
    assert "run `make lock`" in capsys.readouterr().err


def test_a_dev_or_bench_dependency_added_without_make_lock_is_found(project):
    edit(project, "dev = [\n", 'dev = [\n    "pytest-left-pad",\n')
    edit(project, 'bench = ["locust>=2.40"]', 'bench = ["locust>=2.40", "left-pad"]')
    assert check.problems(project) == [
        "requirements/main.lock pins no pytest-left-pad (pytest-left-pad)",
        "requirements/bench.lock pins no pytest-left-pad (pytest-left-pad)",
        "requirements/bench.lock pins no left-pad (left-pad)",
    ]


def test_a_raised_minimum_without_make_lock_is_found(project):
    pinned = check.pins(project / "requirements/main.lock")[canonicalize_name("Django")]
    (version,) = pinned
    edit(project, '"Django>=5.2,<5.3"', '"Django>5.2.99"')
    assert check.problems(project) == [
        f"requirements/{lock}.lock pins Django=={version}, which Django>5.2.99 excludes"
        for lock in ("main", "bench")
    ]


def test_a_new_extra_and_a_missing_lock_are_found(project):
    edit(
        project,
        "[project.optional-dependencies]\n",
        '[project.optional-dependencies]\ndocs = ["sphinx"]\n',
    )
    (project / "requirements/bench.lock").unlink()
    assert check.problems(project) == [
        "pyproject.toml's extra 'docs' is in no lock file",
        "requirements/bench.lock is missing",
    ]


def test_the_two_locks_pin_a_shared_package_alike(project):
    lock = project / "requirements/bench.lock"
    version = next(iter(check.pins(lock)["django"]))
    lock.write_text(lock.read_text().replace(f"django=={version} ", "django==5.2.0 "))
    assert check.problems(project) == ["the lock files pin django differently"]


def test_a_package_that_an_extra_of_a_dependency_needs_is_pinned(project):
    """psycopg[binary] needs psycopg-binary in the lock, as psycopg's metadata says."""
    lock = project / "requirements/main.lock"
    entries = lock.read_text().split("\n")
    start = next(i for i, line in enumerate(entries) if line.startswith("psycopg-b"))
    end = next(i for i in range(start + 1, len(entries)) if entries[i][:1] != " ")
    lock.write_text("\n".join(entries[:start] + entries[end:]))
    assert check.problems(project) == [
        "requirements/main.lock pins no psycopg-binary (psycopg[binary]>=3.2)"
    ]
