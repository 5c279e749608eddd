"""Demo content for `coproduce init --demo`: projects in different states, with the whole pack filled in."""

from __future__ import annotations

import io
from datetime import date, timedelta

import click
from werkzeug.datastructures import FileStorage

from coproduce.plugins import check_upload, db, store_upload, utcnow
from coproduce_plugins.project_pack.models import (
    Contact,
    Criterion,
    Document,
    Evidence,
    LogEntry,
    Offer,
    Project,
    SkillNeed,
    Template,
)

ATTENDANCE_CSV = b"""Month,Young people,Sessions,New this month
April,34,8,6
May,41,9,9
June,47,9,7
July,52,10,11
"""

SURVEY_CSV = b"""Question,Agree,Not sure,Disagree
The park feels safe after dark,12,9,31
I would help plant the new beds,38,10,4
The play area needs shade,44,5,3
"""


def _document(project: Project, name: str, title: str, data: bytes) -> Document:
    saved = store_upload(check_upload(FileStorage(io.BytesIO(data), filename=name)))
    doc = Document(
        key=saved.key,
        name=saved.name,
        title=title,
        kind=saved.kind,
        mime=saved.mime,
        size=saved.size,
        sha256=saved.sha256,
    )
    project.documents.append(doc)
    return doc


def _project(team, **fields) -> Project:
    project = Project(team_id=team.id, **fields)
    project.refresh_search()
    db.session.add(project)
    return project


def create_demo(team) -> None:
    today = date.today()
    click.echo("Project packs: four demo projects...")
    db.session.add(
        Template(
            team_id=team.id,
            name="Youth-led summer programme",
            goals="Young people choose the activities\nAt least half the sessions run by young people",
            set_in_stone="Budget: £6,000\nRuns in the school summer holidays\nSafeguarding policy applies",
            up_for_grabs="Activities\nVenues\nTimes of day",
            criteria="Young people taking part | Attendance register | 40 a week\n"
            "Sessions led by young people | Session log | Half of all sessions",
        )
    )

    club = _project(
        team,
        title="Friday night youth club in Eastfield",
        status="active",
        summary="A youth club run with young people, not for them, on Friday evenings at the community centre.",
        background="Young people told the **youth forum** there was nowhere to go on Friday nights.\n\n"
        "- The community centre offered its hall free of charge\n- Two youth workers can cover Fridays",
        goals="A safe place to be on Friday evenings\nYoung people plan the programme\nNew volunteers from the estate",
        set_in_stone="Budget: £4,200 for the year\nFridays 6pm to 9pm\nTwo qualified youth workers at every session",
        up_for_grabs="What happens each week\nThe club's name\nTrips in the holidays",
        lead_name="Amira Shah",
        co_owner_name="Jordan Ellis",
        co_owner_role="Young person, youth forum member",
        owners_public=True,
        last_log_at=utcnow() - timedelta(days=5),
    )
    club.contacts += [
        Contact(
            name="Amira Shah",
            role="Senior youth worker",
            organisation="Eastfield Youth Service",
            reach="youth.eastfield@example.org",
            consent_to_publish=True,
            consent_recorded_at=utcnow(),
        ),
        Contact(
            name="Pat Moore",
            role="Caretaker",
            organisation="Eastfield Community Centre",
            reach="07700 900123",
            consent_to_publish=False,
        ),
    ]
    club.skills += [
        SkillNeed(skill="organising", note="Helping run the Friday rota"),
        SkillNeed(skill="cooking", note="Cheap, healthy snacks"),
        SkillNeed(skill="digital", note="A simple page about the club"),
    ]
    club.log += [
        LogEntry(
            kind="decision",
            happened_on=today - timedelta(days=60),
            author_name="Amira Shah",
            text="Young people voted for a cooking night once a month and a football night every week.",
        ),
        LogEntry(
            kind="progress",
            happened_on=today - timedelta(days=30),
            author_name="Amira Shah",
            text="Opened the doors: 34 young people came on the first night.",
        ),
        LogEntry(
            kind="learning",
            happened_on=today - timedelta(days=5),
            author_name="Jordan Ellis",
            text="The planning meeting worked better in the club than at the council office.",
            working_together="We listened better when the young people chaired. Staff talked less.",
        ),
    ]
    attendance = _document(club, "attendance.csv", "Attendance by month", ATTENDANCE_CSV)
    reach = Criterion(what="Young people taking part", measure="Attendance register", target="40 a week by July")
    reach.evidence.append(
        Evidence(
            note="Register totals for July",
            figure=52,
            observed_on=today - timedelta(days=7),
            document=attendance,
            author_name="Amira Shah",
        )
    )
    club.criteria += [
        reach,
        Criterion(what="Young people leading sessions", measure="Session log", target="Half of all sessions"),
    ]

    park = _project(
        team,
        title="Greening Hollow Lane park",
        status="forming",
        summary="Residents and the parks team deciding together what the park needs.",
        background="A survey at the summer fair asked what would make the park better.",
        goals="Agree a plan for the park with residents\nMake the park feel safe after dark",
        set_in_stone="Budget: £15,000 capital\nWork done by March",
        up_for_grabs="Where the new beds go\nLighting\nPlay equipment",
        lead_name="Tom Baker",
        co_owner_name="Grace Okafor",
        co_owner_role="Resident, Friends of Hollow Lane",
    )
    park.contacts.append(
        Contact(
            name="Grace Okafor",
            role="Chair",
            organisation="Friends of Hollow Lane",
            reach="friends.hollowlane@example.org",
            consent_to_publish=True,
            consent_recorded_at=utcnow(),
        )
    )
    park.skills += [SkillNeed(skill="growing"), SkillNeed(skill="local_knowledge"), SkillNeed(skill="design")]
    _document(park, "summer-fair-survey.csv", "Summer fair survey results", SURVEY_CSV)
    park.criteria.append(
        Criterion(
            what="People who feel safe in the park", measure="Survey before and after", target="Half of those asked"
        )
    )

    _project(
        team,
        title="Carers' café",
        status="idea",
        summary="A monthly café where unpaid carers meet each other and the people who plan services.",
        goals="Carers shape the new carers' strategy",
        set_in_stone="Room free at the library",
        up_for_grabs="Day and time\nWho is invited",
        lead_name="",
        co_owner_name="",
    )

    old = _project(
        team,
        title="Bus stop art trail",
        status="completed",
        summary="Young artists painted twelve bus shelters with the bus company.",
        lead_name="Sam Patel",
        co_owner_name="Ellie Jones",
        co_owner_role="Young artist",
        last_log_at=utcnow() - timedelta(days=200),
    )
    old.log.append(
        LogEntry(
            kind="learning",
            happened_on=today - timedelta(days=200),
            author_name="Sam Patel",
            text="Twelve shelters done; the bus company wants more.",
            working_together="Agreeing who signs off each design early saved weeks.",
        )
    )
    old.criteria.append(
        Criterion(
            what="Shelters painted",
            measure="Count",
            target="10",
            evidence=[Evidence(note="All shelters finished", figure=12, observed_on=today - timedelta(days=200))],
        )
    )
    db.session.flush()
    db.session.add(
        Offer(
            team_id=team.id,
            project_id=club.id,
            name="Eastfield Allotment Society",
            reach="07700 900456",
            skills="growing,practical,cooking,organising",
            activities="allotment,cook",
            message="We could run a cooking night with our vegetables.",
            consent_recorded_at=utcnow(),
        )
    )
    db.session.commit()
