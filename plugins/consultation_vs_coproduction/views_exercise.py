"""The card-sort exercise: sort every card, see why, and an anonymous room-wide aggregate."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, render_template, request

from coproduce.plugins import claim_once, current_team, db, gettext as _, limiter, no_page_cache
from coproduce_plugins.consultation_vs_coproduction.forms import sort_form
from coproduce_plugins.consultation_vs_coproduction.models import Sort, SortAnswer
from coproduce_plugins.consultation_vs_coproduction.scenarios import CHOICES, score_sort, standard_deck
from coproduce_plugins.consultation_vs_coproduction.views import START_LIMIT, T, bp


def _form(deck, easy: bool, **kwargs):
    cards = [(c.id, _(c.easy_read if easy else c.text)) for c in deck.cards]
    choices = [(c.id, _(c.label)) for c in deck.choices]
    return sort_form(cards, choices, **kwargs)


def aggregate(team_id: int) -> dict[str, dict[str, int]]:
    """{card id: {pile: how many people chose it}} for the team, counted in SQL."""
    s, a = Sort, SortAnswer
    counts: dict[str, dict[str, int]] = {}
    for card_id, choice, n in db.session.execute(
        sa.select(a.card_id, a.choice, sa.func.count())
        .join(s, s.id == a.sort_id)
        .where(s.team_id == team_id)
        .group_by(a.card_id, a.choice)
    ):
        counts.setdefault(card_id, {c: 0 for c in CHOICES})[choice] = n
    return counts


@bp.route("/exercise", methods=["GET", "POST"])
@limiter.limit(START_LIMIT, methods=["POST"])
def exercise():
    deck = standard_deck()
    easy = request.values.get("easy") == "1"
    form = _form(deck, easy)
    if form.validate_on_submit():
        answers = {c.id: form[c.id].data or None for c in deck.cards}
        summary = score_sort(answers, deck)
        if summary.answered and not claim_once(form):  # a repeat shows the same result, counted once
            sort = Sort(team_id=current_team().id, right=summary.right, total=summary.total)
            db.session.add(sort)
            db.session.flush()
            db.session.add_all(
                [SortAnswer(sort_id=sort.id, card_id=cid, choice=choice) for cid, choice in answers.items() if choice]
            )
            db.session.commit()
        return render_template(T + "exercise_result.html", deck=deck, summary=summary, easy=easy)
    return render_template(T + "exercise.html", deck=deck, form=form, easy=easy)


@bp.get("/exercise/facilitate/<int:number>")
def facilitate(number: int):
    """One card at a time in large type, for a room; ?answer=1 reveals the answer and the room's sort."""
    deck = standard_deck()
    if not 1 <= number <= len(deck.cards):
        abort(404)
    card = deck.cards[number - 1]
    reveal = request.args.get("answer") == "1"
    if reveal:
        no_page_cache()  # the room's sort, live: a workshop reveals it moments after the last card is sorted
    counts = aggregate(current_team().id).get(card.id, {c: 0 for c in CHOICES}) if reveal else None
    return render_template(
        T + "facilitate.html",
        deck=deck,
        card=card,
        number=number,
        reveal=reveal,
        counts=counts,
        easy=request.args.get("easy") == "1",
    )


@bp.get("/exercise/results")
def exercise_results():
    deck = standard_deck()
    team = current_team()
    no_page_cache()  # the room's tally, live
    sorts = db.session.execute(sa.select(sa.func.count()).select_from(Sort).where(Sort.team_id == team.id)).scalar()
    return render_template(
        T + "exercise_results.html", deck=deck, counts=aggregate(team.id), sorts=sorts, choices=CHOICES
    )
