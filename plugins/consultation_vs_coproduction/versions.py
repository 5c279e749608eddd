"""Questionnaire versions in the database: the standard snapshot, adapted copies, locking.

A version's JSON goes through questionnaire_from_dict, so a stored copy meets the same rules
as the file. A version is frozen once an assessment uses it: a response is always read with
the exact questionnaire it answered.
"""

from __future__ import annotations

import copy
import functools
import json

from coproduce.plugins import db, utcnow

from .models import Assessment, Version
from .questionnaire import Questionnaire, questionnaire_from_dict, questionnaire_to_dict, standard_questionnaire

#: The language the shipped questionnaires are written in (their texts are the catalogs' msgids).
SHIPPED_LANGUAGE = "en"


def standard_version(team_id: int) -> Version:
    """The team's snapshot of the bundled standard questionnaire (made on first use)."""
    standard = standard_questionnaire()
    for version in db.session.execute(
        db.select(Version).where(Version.team_id == team_id, Version.is_standard.is_(True))
    ).scalars():
        if version.data.get("version") == standard.version:
            return version
    version = Version(
        team_id=team_id,
        name=standard.title,
        is_standard=True,
        data=questionnaire_to_dict(standard),
        content_language=SHIPPED_LANGUAGE,  # the shipped wording: the catalogs translate it
        translations={},
    )
    db.session.add(version)
    db.session.flush()
    return version


@functools.lru_cache(maxsize=256)
def _parse(text: str) -> Questionnaire:
    return questionnaire_from_dict(json.loads(text))


def questionnaire_of(version: Version) -> Questionnaire:
    """The validated questionnaire a version holds (parsed once per distinct content)."""
    return _parse(json.dumps(version.data, sort_keys=True))


def copy_version(source: Version, name: str) -> Version:
    """A new, unlocked copy the team may adapt, with the wording the team wrote in every language."""
    data = copy.deepcopy(source.data)
    version = Version(
        team_id=source.team_id,
        name=name,
        is_standard=False,
        based_on_id=source.id,
        data=data,
        content_language=source.content_language or SHIPPED_LANGUAGE,
        translations=copy.deepcopy(source.translations or {}),
    )
    db.session.add(version)
    db.session.flush()
    # A new dict: the stored one was flushed, so changing it in place would never be saved.
    version.data = {**data, "version": f"team-{source.team_id}-{version.id}"}
    return version


def lock(version: Version) -> None:
    if version.locked_at is None:
        version.locked_at = utcnow()


def in_use(version: Version) -> bool:
    return (
        version.locked_at is not None
        or db.session.execute(db.select(Assessment.id).where(Assessment.version_id == version.id).limit(1)).first()
        is not None
    )


def team_versions(team_id: int) -> list[Version]:
    return list(
        db.session.execute(
            db.select(Version).where(Version.team_id == team_id).order_by(Version.is_standard.desc(), Version.id)
        ).scalars()
    )
