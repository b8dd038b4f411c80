"""zhclean.text is the pure core: it imports nothing else from zhclean (ARCHITECTURE.md, layering rule)."""

import ast
from pathlib import Path

import zhclean.text

TEXT = Path(zhclean.text.__file__).parent


def imported_modules(source: str, package: tuple[str, ...]) -> list[tuple[int, str]]:
    """(line, module) for every import in ``source``; relative imports resolved against ``package``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            found.append((node.lineno, ".".join(p for p in (*base, node.module or "") if p)))
    return found


def forbidden(module: str) -> bool:
    return (module == "zhclean" or module.startswith("zhclean.")) and not (
        module == "zhclean.text" or module.startswith("zhclean.text.")
    )


def test_text_imports_nothing_else_from_zhclean():
    files = sorted(TEXT.rglob("*.py"))
    assert len(files) > 2, "no modules found under zhclean/text"
    offenders = []
    for path in files:
        package = ("zhclean", *path.parent.relative_to(TEXT.parent).parts)
        for line, module in imported_modules(path.read_text(encoding="utf-8"), package):
            if forbidden(module):
                offenders.append(f"{path.relative_to(TEXT.parent)}:{line}: {module}")
    assert offenders == []


def test_the_check_sees_absolute_and_relative_imports():
    source = (
        "from zhclean.record import Batch\nimport zhclean.steps\nfrom . import edits\nfrom ..pipeline import Plan\n"
    )
    modules = [m for _, m in imported_modules(source, ("zhclean", "text"))]
    assert modules == ["zhclean.record", "zhclean.steps", "zhclean.text", "zhclean.pipeline"]
    assert [forbidden(m) for m in modules] == [True, True, False, True]
