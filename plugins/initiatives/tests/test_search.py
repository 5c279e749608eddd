"""Full-text search with the database's own engine, kept in step with every change, and "similar" initiatives."""

from coproduce.plugins import db
from coproduce_plugins.initiatives.models import Initiative
from coproduce_plugins.initiatives.tests.helpers import BASE, by_name, member_client


def names(client, query):
    page = client.get(f"{BASE}/?q={query}").get_data(as_text=True)
    return page


def test_search_finds_words_in_every_language_and_only_published(app, demo):
    client = app.test_client()
    assert "Castlegate Repair Café" in names(client, "repair")
    assert "Castlegate Repair Café" in names(client, "repairs café")  # English is stemmed
    assert "Pomoc Sąsiedzka" in names(client, "sąsiedzka")
    assert "خواتین کا سلائی گروپ" in names(client, "سلائی")
    assert "Clwb Cymraeg Dydd Sadwrn" in names(client, "Cymraeg")
    assert "Castlegate Board Games Night" not in names(client, "board games")
    assert "No initiatives match" in names(client, "zebra")


def test_the_index_follows_changes(app, demo):
    fridge = by_name(app, "Brookside Community Fridge")
    with app.app_context():
        found = db.session.get(Initiative, fridge.id)
        found.summary = "Also a lending library of kitchen tools"
        found.refresh_search()
        db.session.commit()
    client = app.test_client()
    assert "Brookside Community Fridge" in names(client, "lending")
    with app.app_context():
        db.session.delete(db.session.get(Initiative, fridge.id))
        db.session.commit()
    assert "Brookside Community Fridge" not in names(client, "lending")


def test_every_page_shows_similar_initiatives(app, demo):
    garden = by_name(app, "Brookside Allotment Society")
    page = app.test_client().get(f"{BASE}/{garden.id}").get_data(as_text=True)
    similar = page.split("Similar initiatives", 1)[1]
    assert "Gardd" in similar or "Growers" in similar or "garden" in similar.lower()
    assert member_client(app).get(f"{BASE}/?q=%22%27%29%28*").status_code == 200
