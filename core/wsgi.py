"""WSGI entry point for servers started by hand: gunicorn 'coproduce.wsgi:app'."""

from coproduce import create_app

app = create_app()
