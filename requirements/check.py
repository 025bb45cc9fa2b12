"""Check that the lock files still cover pyproject.toml; if not, say: run `make lock`.

Every requirement of pyproject.toml, the dependencies and each extra's, must be pinned
in the lock that installs it, at a version that its specifier allows, and a package
pinned in both locks has the same version in both. `make` runs this after installing
the lock and before installing the project; tests/test_lock.py runs it too.
"""

import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent

# The extras that each lock holds besides the dependencies, as `make lock` compiles it.
LOCKS = {
    "requirements/main.lock": ("dev", "postgres"),
    "requirements/bench.lock": ("dev", "postgres", "bench"),
}


def pins(lock):
    """The versions that a lock file pins, by canonical name."""
    found = {}
    for line in Path(lock).read_text().splitlines():
        if not line or line[0] in " \t#-":
            continue  # a hash, a comment or an option
        requirement = Requirement(line.removesuffix("\\").strip())
        versions = found.setdefault(canonicalize_name(requirement.name), set())
        versions.update(spec.version for spec in requirement.specifier)
    return found


def extra_requirements(requirement):
    """What the extras of ``requirement`` add, known once the package is installed."""
    try:
        texts = metadata.requires(requirement.name) or []
    except metadata.PackageNotFoundError:
        return []
    added = []
    for text in texts:
        needed = Requirement(text)
        if needed.marker is None or needed.marker.evaluate({"extra": ""}):
            continue  # not an extra's
        if any(needed.marker.evaluate({"extra": e}) for e in requirement.extras):
            added.append(needed)
    return added


def problems(root=ROOT):
    """Why the lock files do not match pyproject.toml; empty when they do."""
    project = tomllib.loads((Path(root) / "pyproject.toml").read_text())["project"]
    extras = project.get("optional-dependencies", {})
    found = [
        f"pyproject.toml's extra {extra!r} is in no lock file"
        for extra in sorted(set(extras) - {e for held in LOCKS.values() for e in held})
    ]
    locked = {}
    for lock, held in LOCKS.items():
        if not (Path(root) / lock).exists():
            found.append(f"{lock} is missing")
            continue
        pinned = locked[lock] = pins(Path(root) / lock)
        direct = [Requirement(text) for text in project.get("dependencies", [])]
        direct += [Requirement(t) for extra in held for t in extras.get(extra, [])]
        # Each with the requirement of pyproject.toml that asks for it.
        wanted = [(r, r) for r in direct]
        wanted += [(added, r) for r in direct for added in extra_requirements(r)]
        for requirement, origin in wanted:
            versions = pinned.get(canonicalize_name(requirement.name))
            if not versions:
                found.append(f"{lock} pins no {requirement.name} ({origin})")
            for version in sorted(versions or ()):
                if not requirement.specifier.contains(version, prereleases=True):
                    found.append(
                        f"{lock} pins {requirement.name}=={version}, "
                        f"which {requirement} excludes"
                    )
    first, *others = list(locked.values()) or [{}]
    for other in others:
        for name in sorted(first.keys() & other.keys()):
            if first[name] != other[name]:
                found.append(f"the lock files pin {name} differently")
    return list(dict.fromkeys(found))  # a requirement may be in two extras


def main(root=ROOT):
    found = problems(root)
    for problem in found:
        print(f"Out of date: {problem}.", file=sys.stderr)
    if found:
        print(
            "The lock files no longer match pyproject.toml: run `make lock`, "
            "then commit requirements/.",
            file=sys.stderr,
        )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
