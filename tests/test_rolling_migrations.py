"""A rolling upgrade (docs/install.md, "Two or more servers"): while some servers still run the release
before, they work on the upgraded database. So a migration's upgrade() only adds: no column or table
dropped, renamed or changed, and no new NOT NULL column without a server default (the old code's INSERTs
would fail). A migration that cannot be rolled says so with `ROLLING = False` (and the release notes too).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MIGRATIONS = sorted(
    [*REPO.glob("core/migrations/versions/*.py"), *REPO.glob("plugins/*/migrations/*.py")], key=lambda p: str(p)
)
NOT_ROLLING = {"drop_column", "drop_table", "alter_column", "rename_table", "drop_constraint"}


def _not_rolling(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "ROLLING" for t in node.targets)
        and isinstance(node.value, ast.Constant)
        and node.value.value is False
        for node in tree.body
    )


def problems_in(source: str) -> list[str]:
    tree = ast.parse(source)
    if _not_rolling(tree):
        return []
    upgrade = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "upgrade"), None)
    if upgrade is None:
        return []
    found = []
    for node in ast.walk(upgrade):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        name = node.func.attr
        if name in NOT_ROLLING:
            found.append(f"line {node.lineno}: {name}")
        if name == "add_column":
            for column in (a for a in node.args if isinstance(a, ast.Call)):
                words = {k.arg: k.value for k in column.keywords}
                required = isinstance(words.get("nullable"), ast.Constant) and words["nullable"].value is False
                if required and "server_default" not in words:
                    found.append(f"line {node.lineno}: a NOT NULL column without a server default")
    return found


def test_the_rule_finds_what_old_code_would_trip_on():
    bad = (
        "def upgrade():\n"
        "    op.drop_column('user', 'phone')\n"
        "    with op.batch_alter_table('team') as batch:\n"
        "        batch.add_column(sa.Column('code', sa.String(), nullable=False))\n"
        "        batch.add_column(sa.Column('rank', sa.Integer(), server_default='0', nullable=False))\n"
        "        batch.add_column(sa.Column('note', sa.Text(), nullable=True))\n"
    )
    assert problems_in(bad) == ["line 2: drop_column", "line 4: a NOT NULL column without a server default"]
    assert problems_in("ROLLING = False\n" + bad) == []
    assert problems_in(bad.replace("def upgrade", "def downgrade")) == []


@pytest.mark.parametrize("path", MIGRATIONS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_migration_can_be_rolled_one_server_at_a_time(path):
    assert problems_in(path.read_text(encoding="utf-8")) == []
