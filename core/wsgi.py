"""WSGI entry point for servers started by hand: gunicorn 'core.wsgi:app'."""
from core import create_app

app = create_app()
