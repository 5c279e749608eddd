"""The bare stack the web figures are compared with: Flask, one Jinja page, one SQLAlchemy insert.

    python -m benchmarks.serve_bare --port 5001 --database sqlite:////tmp/bare.db

GET / renders a minimal page from a Jinja template; POST / inserts one row with SQLAlchemy and
redirects, as a form submission does. No plugins, sessions, translations or security headers:
what is left is the cost of Flask, Jinja, SQLAlchemy and the database themselves.
"""

from __future__ import annotations

from flask import Flask, redirect, render_template, request
from jinja2 import DictLoader
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, event, insert

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><h1>{{ title }}</h1>
<form method="post"><label for="answer">{{ question }}</label>
<input id="answer" name="answer"><button>Send</button></form></body></html>"""

metadata = MetaData()
answers = Table("answer", metadata, Column("id", Integer, primary_key=True), Column("text", String(200)))


def create_bare_app(database_url: str) -> Flask:
    engine = create_engine(database_url)
    if database_url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _wal(dbapi_connection, _record):  # the same journal the real app uses on SQLite
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

    metadata.create_all(engine)
    engine.dispose()  # gunicorn forks after this: each worker opens its own connections
    app = Flask(__name__)
    app.jinja_loader = DictLoader({"page.html": PAGE})  # compiled once, as a real template is

    @app.get("/")
    def page():
        return render_template("page.html", title="A bare page", question="What do you think?")

    @app.post("/")
    def submit():
        with engine.begin() as connection:
            connection.execute(insert(answers).values(text=request.form.get("answer", "")))
        return redirect("/", code=303)

    return app
