"""The code's map (README, "Layout"): no module imports first-party code inside a function.

Such an import hides a dependency from import-linter (`lint-imports` checks the layers in
pyproject.toml) and usually dodges a cycle. Allowed where Django needs it: app configs,
migrations and management commands.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_PARTY = {"bench", "conference", "harvest", "papers", "people", "tests"}
SKIPPED_FOLDERS = {".venv", "node_modules", "migrations", "management"}


def imported_modules(node):
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        return ["." * node.level + (node.module or "")]
    return []


def function_level_imports(path):
    """(line, module) of each first-party import inside a function of ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            for module in imported_modules(inner):
                if module.startswith(".") or module.split(".")[0] in FIRST_PARTY:
                    found.append((inner.lineno, module))
    return found


def test_no_function_imports_first_party_code():
    paths = [
        path
        for path in ROOT.rglob("*.py")
        if not SKIPPED_FOLDERS & set(path.relative_to(ROOT).parts) and path.name != "apps.py"
    ]
    found = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in sorted(paths)
        for line, module in function_level_imports(path)
    ]

    assert len(paths) > 100
    assert found == []


def test_the_scan_finds_an_import_inside_a_function(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("def late():\n    from papers.models import Paper\n    return Paper\n")

    assert function_level_imports(module) == [(2, "papers.models")]
