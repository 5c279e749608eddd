"""Full-text search over initiatives and project packs with the database's own engine (core's FullTextIndex), and
the search_results hook: the initiatives search page lists project packs too, only what the public may see."""

from __future__ import annotations

from datetime import date

import pytest

from coproduce.input_guard import MAX_QUERY_VALUE
from coproduce.plugins import collect_for, db
from coproduce.search import FullTextIndex, fts5_query, search_terms
from coproduce.testing.fixtures import get_team
from coproduce_plugins.initiatives.models import Initiative
from coproduce_plugins.project_pack.models import Contact, LogEntry, Project

PLUGINS = ["coproduce_plugins.initiatives", "coproduce_plugins.project_pack"]
SEARCH = "/t/youth/initiatives/"
HOSTILE = [
    '"',
    '"unclosed',
    "NEAR(orchard background, 2)",
    "orchard NEAR/3 background",
    "*",
    "orch*",
    "^orchard",
    "orchard OR",
    "AND OR NOT",
    "-orchard",
    "(((",
    "col:orchard",
    "'; DROP TABLE project_pack_project; --",
    "\u0645\u0648\u0633\u06cc\u0642\u06cc \u06af\u0631\u0648\u067e",  # Urdu
    "Sąsiedzka pomoc",
    "\U0001f600\U0001f33b emoji",
    "e\u0301t\u00e9 caf\u00e9",
    "x" * 10_000,
    "orchard " * 1_500,
]


@pytest.fixture
def app(make_app):
    return make_app(plugins=PLUGINS)


@pytest.fixture
def site(app, people):
    """Team youth with both plugins on: an orchard project, a project with private words, and an initiative;
    another team's project with the same words."""
    host = app.extensions["plugins"]
    with app.app_context():
        youth, other = get_team("youth"), get_team("parks")
        for team in (youth, other):
            host.set_enabled(team, "project_pack", True)
        host.set_enabled(youth, "initiatives", True)
        orchard = Project(
            team_id=youth.id,
            title="Shared streets",
            summary="Residents plan the street together",
            background="Neighbours asked for a community orchard on the old car park.",
            goals="Plant thirty fruit trees",
            lead_name="Morwenna Quillfeather",  # not agreed to be shown
        )
        private = Project(team_id=youth.id, title="Youth forum", summary="A forum run by young people")
        private.contacts.append(Contact(name="Ignatius Bramblewood", reach="0161 496 0000"))
        foreign = Project(team_id=other.id, title="Their orchard", background="An orchard elsewhere.")
        for project in (orchard, private, foreign):
            project.refresh_search()
            db.session.add(project)
        db.session.flush()
        db.session.add(
            LogEntry(
                project_id=private.id,
                kind="progress",
                happened_on=date.today(),
                text="Talked about the zeppelinhangar budget",
                author_name="Staff",
            )
        )
        initiative = Initiative(
            team_id=youth.id, name="Orchard volunteers", summary="Pruning days", status="published", locale="en"
        )
        hidden = Initiative(team_id=youth.id, name="Orchard secret", summary="Waiting for a moderator")
        for i in (initiative, hidden):
            i.refresh_search()
            db.session.add(i)
        db.session.commit()
        return {"orchard": orchard.id, "private": private.id, "foreign": foreign.id}


def hits(app, team_slug: str, query: str, limit: int = 10):
    with app.test_request_context():
        team = get_team(team_slug)
        return collect_for(team, "search_results", team=team, query=query, limit=limit)


def test_query_words_are_never_operators():
    assert search_terms('NEAR(a b) "x" OR fridge AND NOT -bread*') == ["near", "fridge", "bread"]
    assert fts5_query(['a"b']) == '"a""b"*'
    assert fts5_query(["tea", "cake"], any_word=True) == '"tea"* OR "cake"*'
    assert len(search_terms(" ".join(f"word{n}" for n in range(100)))) == 12
    assert search_terms("x" * 10_000) == []  # no word is that long
    assert search_terms("tea " * 5_000) == ["tea"]


def test_the_vector_is_the_one_the_migrations_index():
    from coproduce_plugins.initiatives.search import INDEX as initiatives
    from coproduce_plugins.project_pack.search import INDEX as projects

    assert initiatives.vector_sql() == (
        "to_tsvector(CASE WHEN locale = 'en' THEN 'english'::regconfig ELSE 'simple'::regconfig END, search_text)"
    )
    assert projects.vector_sql() == (
        "(to_tsvector('english'::regconfig, public_text) || to_tsvector('simple'::regconfig, public_text))"
    )
    assert FullTextIndex("t", "t_fts").vector_sql().count("to_tsvector") == 2


@pytest.mark.hook("search_results")
def test_a_word_from_a_projects_background_finds_it_on_the_initiatives_search_page(app, site):
    page = app.test_client().get(SEARCH + "?q=orchard").get_data(as_text=True)
    assert "Orchard volunteers" in page  # the initiative itself, in the list as before
    section = page.split('<h2 class="govuk-heading-l"', 1)[1]
    assert section.split("</h2>", 1)[0].endswith("Project packs")
    assert f'href="/t/youth/projects/{site["orchard"]}"' in section
    assert "Shared streets" in section and "Residents plan the street together" in section
    assert "Their orchard" not in page  # another team's project
    assert "Orchard secret" not in page  # an initiative waiting for a moderator
    assert "Orchard volunteers" not in section  # initiatives are not listed twice
    # English is stemmed: "orchards" and "planting" find the singular and the verb.
    assert "Shared streets" in app.test_client().get(SEARCH + "?q=orchards+planting").get_data(as_text=True)


@pytest.mark.hook("search_results")
def test_the_hook_gives_public_things_only(app, site):
    assert [h.title for h in hits(app, "youth", "orchard") if h.plugin == "project_pack"] == ["Shared streets"]
    assert [h.title for h in hits(app, "youth", "orchard") if h.plugin == "initiatives"] == ["Orchard volunteers"]
    assert [h.title for h in hits(app, "parks", "orchard")] == ["Their orchard"]  # other has no initiatives on
    for private in ("Quillfeather", "Bramblewood", "zeppelinhangar", "0161"):  # names, contacts, the log
        assert hits(app, "youth", private) == [], private
    assert hits(app, "youth", "") == [] and hits(app, "youth", "  ") == []
    assert len(hits(app, "youth", "orchard", limit=1)) == 2  # at most one from each plugin


def test_the_index_follows_edits_and_deletions(app, site):
    with app.app_context():
        project = db.session.get(Project, site["orchard"])
        project.background = "Now a wildflower meadow instead."
        project.refresh_search()
        db.session.commit()
    assert [h.title for h in hits(app, "youth", "meadow")] == ["Shared streets"]
    assert [h.title for h in hits(app, "youth", "orchard")] == ["Orchard volunteers"]
    with app.app_context():
        db.session.delete(db.session.get(Project, site["orchard"]))
        db.session.commit()
    assert hits(app, "youth", "meadow") == []


def test_a_team_without_project_packs_on_gets_no_project_hits(app, site):
    with app.app_context():
        app.extensions["plugins"].set_enabled(get_team("youth"), "project_pack", False)
    page = app.test_client().get(SEARCH + "?q=orchard").get_data(as_text=True)
    assert "Orchard volunteers" in page and "Project packs" not in page and "Shared streets" not in page


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_give_results_or_none_never_an_error(app, site, query):
    assert isinstance(hits(app, "youth", query), list)  # the hook takes any text, however long
    client = app.test_client()
    response = client.get(SEARCH, query_string={"q": query})
    if len(query) > MAX_QUERY_VALUE:  # core's input guard answers a URL value no browser sends with its 400 page
        assert response.status_code == 400 and "Project packs" not in response.get_data(as_text=True)
        return
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "No initiatives match" in page or "Orchard volunteers" in page
    assert client.get("/t/youth/projects/", query_string={"q": query}).status_code == 200


def test_search_works_without_javascript(app, site):
    page = app.test_client().get(SEARCH).get_data(as_text=True)
    form = page.split('<form method="get"', 1)[1].split("</form>", 1)[0]
    assert f'action="{SEARCH}"' in form and 'name="q"' in form and 'type="submit"' in form


@pytest.mark.parametrize("module", ["initiatives", "project_pack"])
def test_the_query_uses_the_index_the_migration_made(app, site, module):
    """The condition's expression is the indexed one: the planner can use the GIN index (PostgreSQL) or the
    FTS5 table (SQLite), whichever engine the tests run on."""
    import importlib

    index = importlib.import_module(f"coproduce_plugins.{module}.search").INDEX
    model = Initiative if module == "initiatives" else Project
    with app.app_context():
        query = db.select(model.id).where(index.matches(model.id, "orchard trees"))
        sql = str(query.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
        if db.engine.dialect.name == "postgresql":
            db.session.execute(db.text("SET LOCAL enable_seqscan = off"))
            plan = " ".join(row[0] for row in db.session.execute(db.text(f"EXPLAIN {sql}")))
            assert f"ix_{index.table}_search" in plan, plan
        else:
            plan = " ".join(str(row[-1]) for row in db.session.execute(db.text(f"EXPLAIN QUERY PLAN {sql}")))
            assert "VIRTUAL TABLE INDEX" in plan and index.fts in plan, plan


@pytest.mark.parametrize("module", ["initiatives", "project_pack"])
def test_the_index_and_its_triggers_are_there_after_every_migration(app, module):
    """A later migration that rebuilds the table on SQLite (batch mode) would drop the triggers silently."""
    import importlib

    index = importlib.import_module(f"coproduce_plugins.{module}.search").INDEX
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            names = db.session.execute(
                db.text("SELECT indexname FROM pg_indexes WHERE tablename = :t"), {"t": index.table}
            )
            assert f"ix_{index.table}_search" in set(names.scalars())
        else:
            rows = db.session.execute(
                db.text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"), {"t": index.table}
            )
            assert {f"{index.fts}_{what}" for what in ("insert", "delete", "update")} <= set(rows.scalars())
