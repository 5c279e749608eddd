"""A plugin table, to show a plugin's own migration branch."""

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from coproduce.plugins import db


class DummyNote(db.Model):
    __tablename__ = "dummy_plugin_note"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    text: Mapped[str] = mapped_column(String(200))
