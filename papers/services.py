"""Writes that span several models: a work with its ordered authors; a talk with its
presenters and discussants, in a session or unscheduled; a session with its talks in order.
Each function validates everything first, then saves in one transaction."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from conference.core.base import lock_for_update, replace_people_at_the_time
from conference.core.text import normalize_text
from conference.meetings import services as meeting_services
from conference.meetings.models import Session
from papers.models import Authorship, Paper, Presentation, Presenter, WorkRelation
from people.models import Institution, Person

# Kept author rows are moved out of the way by this much while positions are reassigned,
# so that swapping two authors never trips the unique (paper, position) constraint.
POSITION_SHIFT = 10000

# A contributor role as the messages below name it within a sentence, one and several.
ROLE_NAMES = {
    Authorship.Role.AUTHOR: gettext_lazy("author"),
    Authorship.Role.EDITOR: gettext_lazy("editor"),
    Authorship.Role.TRANSLATOR: gettext_lazy("translator"),
    Authorship.Role.COLLECTION_EDITOR: gettext_lazy("series editor"),
    Authorship.Role.CONTAINER_AUTHOR: gettext_lazy("author of the book"),
}
ROLE_PLURALS = {
    Authorship.Role.AUTHOR: gettext_lazy("authors"),
    Authorship.Role.EDITOR: gettext_lazy("editors"),
    Authorship.Role.TRANSLATOR: gettext_lazy("translators"),
    Authorship.Role.COLLECTION_EDITOR: gettext_lazy("series editors"),
    Authorship.Role.CONTAINER_AUTHOR: gettext_lazy("authors of the book"),
}


def _clean(instance, *, exclude=()):
    """``full_clean()`` with the record's text normalised first, errors keyed by field."""
    instance.normalize_fields()
    instance.full_clean(exclude=list(exclude), validate_unique=True)


def _doi_errors(paper):
    """A clear message for a DOI that another work has (the constraint's message names
    only the constraint)."""
    if paper.doi:
        other = Paper.objects.exclude(pk=paper.pk).filter(doi=paper.doi).first()
        if other is not None:
            return {
                "doi": [
                    _("The work “%(title)s” already has the DOI %(doi)s.")
                    % {"title": other.title, "doi": paper.doi}
                ]
            }
    return {}


def _role(contributor):
    return contributor.get("role") or Authorship.Role.AUTHOR


def author_list_errors(authors, *, required=True):
    """Messages for a contributor list (authors, editors…, each a dict of ``person``,
    ``position``, optional ``role`` and ``affiliation``) that repeats a position or a person
    within a role, or (if ``required``) names nobody as author or editor."""
    messages = []
    credited = {Authorship.Role.AUTHOR, Authorship.Role.EDITOR}
    if required and not any(_role(author) in credited for author in authors):
        messages.append(_("A work needs at least one author (or, for an edited book, an editor)."))
    seen_positions, seen_people = {}, {}
    for author in authors:
        position, person = author["position"], author["person"]
        role = Authorship.Role(_role(author))
        name, names = ROLE_NAMES[role], ROLE_PLURALS[role]
        if position < 1:
            messages.append(
                # Translators: %(role)s is a role such as “Author” or “Series editor”.
                _("%(role)s positions start at 1, not %(position)s.")
                % {"role": capfirst(name), "position": position}
            )
        if (role, position) in seen_positions:
            messages.append(
                _(
                    "Two %(roles)s have position %(position)s: give each %(role)s their own "
                    "position (1 for the first). %(first)s and %(second)s both have position "
                    "%(position)s."
                )
                % {
                    "roles": names,
                    "role": name,
                    "position": position,
                    "first": seen_positions[role, position],
                    "second": person,
                }
            )
        seen_positions.setdefault((role, position), person)
        if (role, person.pk) in seen_people:
            messages.append(
                _("%(person)s is listed more than once as %(role)s: list them once.")
                % {"person": person, "role": name}
            )
        seen_people[role, person.pk] = person
    return messages


def _relation_errors(paper, relations):
    messages = []
    seen = set()
    for relation in relations:
        target = relation["work"]
        if paper.pk is not None and target.pk == paper.pk:
            messages.append(_("A work cannot extend or cite itself."))
        key = (target.pk, relation["kind"])
        if key in seen:
            messages.append(
                _("The relation “%(kind)s” to “%(work)s” is listed twice.")
                % {"kind": relation["kind"], "work": target}
            )
        seen.add(key)
    return messages


def _save_authors(paper, authors):
    """Make the paper's contributors match ``authors``, keeping rows of people who stay in
    their role (their presentations refer to them).

    Returns the authorships ``(created, changed, removed)``, ``changed`` as pairs of the row
    and the names of its fields that changed.
    """
    existing = {(a.person_id, a.role): a for a in paper.authorships.all()}
    wanted = {(author["person"].pk, _role(author)) for author in authors}
    removed = [a for key, a in existing.items() if key not in wanted]
    Authorship.objects.filter(pk__in=[a.pk for a in removed]).delete()
    kept = [a.pk for key, a in existing.items() if key in wanted]
    Authorship.objects.filter(pk__in=kept).update(position=F("position") + POSITION_SHIFT)
    created, changed = [], []
    for author in sorted(authors, key=lambda author: (_role(author), author["position"])):
        authorship = existing.get((author["person"].pk, _role(author)))
        affiliation = author.get("affiliation")
        printed_name = normalize_text(author.get("printed_name") or "")
        if authorship is None:
            authorship = Authorship(paper=paper, person=author["person"], role=_role(author))
            created.append(authorship)
        else:
            fields = [
                name
                for name, value in (
                    ("position", author["position"]),
                    ("affiliation", affiliation.pk if affiliation else None),
                    ("printed_name", printed_name),
                )
                if getattr(authorship, "affiliation_id" if name == "affiliation" else name) != value
            ]
            if fields:
                changed.append((authorship, fields))
        authorship.position = author["position"]
        authorship.affiliation = affiliation
        authorship.printed_name = printed_name
        authorship.save()
    return created, changed, removed


def contributor_errors(*, paper, authors, required=True):
    """Why ``authors`` cannot become ``paper``'s contributor list (``author_list_errors``,
    and presenters who would stop being authors); empty when it can."""
    messages = author_list_errors(authors, required=required)
    if paper.pk is not None:
        messages += _presenting_authors_removed(paper, authors)
    return messages


@transaction.atomic
def set_paper_authors(*, paper, authors, required=True):
    """Replace the contributors of a saved work (dicts of ``person``, ``position``, optional
    ``role`` and ``affiliation``); returns the authorships ``(created, changed, removed)``.

    ``required=False`` lets the list be empty: organizers may save a work in the admin
    before they add its authors."""
    if messages := contributor_errors(paper=paper, authors=authors, required=required):
        raise ValidationError({"authors": messages})
    return _save_authors(paper, authors)


def _presenting_authors_removed(paper, authors):
    wanted = {author["person"].pk for author in authors if _role(author) == Authorship.Role.AUTHOR}
    presenters = Presenter.objects.filter(authorship__paper=paper).select_related(
        "authorship__person", "presentation__meeting"
    )
    return [
        _(
            "%(person)s presented this work at %(meeting)s: remove them from that "
            "presentation's presenters before removing them as an author."
        )
        % {"person": presenter.authorship.person, "meeting": presenter.presentation.meeting}
        for presenter in presenters
        if presenter.authorship.person_id not in wanted
    ]


def _save_relations(paper, relations):
    paper.relations_out.all().delete()
    # One save per row, not bulk_create: saves send the signals that record edit history
    # and make cached pages stale.
    for relation in relations:
        WorkRelation.objects.create(
            source=paper,
            target=relation["work"],
            kind=relation["kind"],
            note=relation.get("note", ""),
        )


@transaction.atomic
def create_paper(*, authors, topics=(), projects=(), relations=(), **fields):
    """Create a work with its ordered authors (dicts of ``person``, ``position`` and
    ``affiliation``), topics, projects and outgoing relations (``work``, ``kind``, ``note``)."""
    paper = Paper(**fields)
    errors = _validate_paper(paper)
    if messages := author_list_errors(authors):
        errors["authors"] = messages
    if messages := _relation_errors(paper, relations):
        errors["relations"] = messages
    if errors:
        raise ValidationError(errors)
    paper.save()
    paper.topics.set(topics)
    paper.projects.set(projects)
    _save_authors(paper, authors)
    _save_relations(paper, relations)
    return paper


@transaction.atomic
def update_paper(*, paper, authors=None, topics=None, projects=None, relations=None, **fields):
    """Change a work; lists that are given replace the current ones, others stay as they are."""
    lock_for_update(paper)
    for name, value in fields.items():
        setattr(paper, name, value)
    errors = _validate_paper(paper)
    if authors is not None and (messages := contributor_errors(paper=paper, authors=authors)):
        errors["authors"] = messages
    if relations is not None and (messages := _relation_errors(paper, relations)):
        errors["relations"] = messages
    if errors:
        raise ValidationError(errors)
    paper.save()
    if topics is not None:
        paper.topics.set(topics)
    if projects is not None:
        paper.projects.set(projects)
    if authors is not None:
        _save_authors(paper, authors)
    if relations is not None:
        _save_relations(paper, relations)
    return paper


def _validate_paper(paper):
    try:
        paper.normalize_fields()
    except ValidationError as exc:
        return {"doi": exc.messages}
    errors = _doi_errors(paper)
    try:
        # A duplicate DOI is already explained; the constraint's own message is vaguer.
        _clean(paper, exclude=["doi"] if errors else ())
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    return errors


def presenter_errors(paper, presenters):
    """Why ``presenters`` (people) cannot present ``paper``: they must be distinct authors of
    the work, at least one. The one check of this rule: the writes below and the admin's talk
    rows (which put the messages on the field) call it."""
    messages = []
    if not presenters:
        messages.append(
            _(
                "Name who presented “%(work)s”: a talk needs at least one presenter among the "
                "work's authors."
            )
            % {"work": paper}
        )
    authors = {authorship.person_id for authorship in paper.authors}
    seen = set()
    for person in presenters:
        if person.pk not in authors:
            messages.append(
                _("%(person)s is not an author of “%(work)s”: presenters are authors of the work.")
                % {"person": person, "work": paper}
            )
        if person.pk in seen:
            messages.append(
                _("%(person)s is listed more than once: list each presenter once.")
                % {"person": person}
            )
        seen.add(person.pk)
    return messages


def discussant_errors(paper, discussants):
    """Why ``discussants`` (dicts of ``person`` and ``affiliation``) cannot discuss ``paper``:
    they are distinct people who did not write the work. The one check of this rule, as
    ``presenter_errors``."""
    messages = []
    authors = {authorship.person_id for authorship in paper.authors}
    seen = set()
    for discussant in discussants:
        person = discussant["person"]
        if person.pk in authors:
            messages.append(
                _(
                    "%(person)s is an author of “%(work)s”: a discussant comments on a work by "
                    "others."
                )
                % {"person": person, "work": paper}
            )
        if person.pk in seen:
            messages.append(
                _("%(person)s is listed more than once: list each discussant once.")
                % {"person": person}
            )
        seen.add(person.pk)
    return messages


def _save_presenters(presentation, presenters):
    presentation.presenters.all().delete()
    authorships = {a.person_id: a for a in presentation.paper.authors}
    for index, person in enumerate(presenters, start=1):
        Presenter.objects.create(
            presentation=presentation, authorship=authorships[person.pk], position=index
        )


def _validate_presentation(presentation, presenters, discussants=None):
    errors = {}
    try:
        _clean_presentation(presentation)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if presenters is not None and (messages := presenter_errors(presentation.paper, presenters)):
        errors["presenters"] = messages
    if discussants is not None and (messages := discussant_errors(presentation.paper, discussants)):
        errors["discussants"] = messages
    return errors


def _clean_presentation(presentation):
    duplicate = (
        Presentation.objects.exclude(pk=presentation.pk)
        .filter(meeting=presentation.meeting, paper=presentation.paper)
        .exists()
    )
    if duplicate:
        raise ValidationError(
            {
                "paper": [
                    _("“%(work)s” is already in the programme of this meeting.")
                    % {"work": presentation.paper}
                ]
            }
        )
    presentation.full_clean()


def _talk_list(meeting, session):
    """The talks of ``session``, or ``meeting``'s unscheduled talks when it is None."""
    if session is not None:
        return Presentation.objects.filter(session=session)
    return Presentation.objects.filter(meeting=meeting, session=None)


def _next_position(meeting, session):
    last = _talk_list(meeting, session).aggregate(last=Max("position"))["last"]
    return (last or 0) + 1


def _lock_lists(*sessions):
    """Lock the sessions whose talk lists a write renumbers, in id order (no deadlock)."""
    ids = sorted({session.pk for session in sessions if session is not None})
    list(Session.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


@transaction.atomic
def create_presentation(
    *,
    meeting,
    paper,
    presenters,
    session=None,
    position=None,
    discussants=(),
    start_time=None,
    end_time=None,
):
    """Put a work in a meeting's programme, presented by some of its authors in order, in a
    session (last in it unless ``position`` is given) or unscheduled, with its discussants
    (dicts of ``person`` and ``affiliation``) in order."""
    # Presenters are drawn from the work's authors: no author edit may slip in meanwhile.
    lock_for_update(paper)
    _lock_lists(session)
    if position is None:
        position = _next_position(meeting, session)
    presentation = Presentation(
        meeting=meeting,
        paper=paper,
        session=session,
        position=position,
        start_time=start_time,
        end_time=end_time,
    )
    if errors := _validate_presentation(presentation, presenters, discussants):
        raise ValidationError(errors)
    presentation.save()
    _save_presenters(presentation, presenters)
    replace_people_at_the_time(presentation.discussant_roles, discussants)
    return presentation


@transaction.atomic
def update_presentation(*, presentation, presenters=None, discussants=None, **fields):
    """Change a presentation; a new work keeps the presenters only if they are its authors,
    and the discussants only if they are not. Lists that are given replace the current ones."""
    lock_for_update(presentation)
    paper_changed = "paper" in fields and fields["paper"].pk != presentation.paper_id
    if paper_changed and presenters is None:
        presenters = [presenter.authorship.person for presenter in presentation.presenters.all()]
    if paper_changed and discussants is None:
        discussants = [
            {"person": row.person, "affiliation": row.affiliation}
            for row in presentation.discussant_roles.select_related("person", "affiliation")
        ]
    if "session" in fields and "position" not in fields:
        moved = (fields["session"] and fields["session"].pk) != presentation.session_id
        if moved:
            _lock_lists(fields["session"])
            fields["position"] = _next_position(presentation.meeting, fields["session"])
    for name, value in fields.items():
        setattr(presentation, name, value)
    lock_for_update(presentation.paper)
    if errors := _validate_presentation(presentation, presenters, discussants):
        raise ValidationError(errors)
    presentation.save()
    if presenters is not None:
        _save_presenters(presentation, presenters)
    if discussants is not None:
        replace_people_at_the_time(presentation.discussant_roles, discussants)
    return presentation


def _renumber(talks):
    """Give ``talks`` the positions 1, 2, 3… in the order given, stepping out of the way first
    so that no two share a position on the way (positions are unique in a list)."""
    ids = [talk.pk for talk in talks]
    Presentation.objects.filter(pk__in=ids).update(position=F("position") + POSITION_SHIFT)
    for index, talk in enumerate(talks, start=1):
        talk.position = index
        talk.save(update_fields=["position", "session", "start_time", "end_time"])


@transaction.atomic
def move_presentation(*, presentation, session, position=None, start_time=None, end_time=None):
    """Move a talk into ``session`` (None: unscheduled) at ``position`` (default: last),
    with new times (the old ones belong to the old session). Both lists are renumbered
    1, 2, 3… in their order."""
    lock_for_update(presentation)
    source = presentation.session
    _lock_lists(source, session)
    if session is not None and session.meeting_id != presentation.meeting_id:
        raise ValidationError(
            {
                "session": [
                    _("“%(session)s” is a session of another meeting.") % {"session": session}
                ]
            }
        )
    target = [
        talk
        for talk in _talk_list(presentation.meeting, session).order_by("position", "id")
        if talk.pk != presentation.pk
    ]
    if position is None:
        position = len(target) + 1
    if not 1 <= position <= len(target) + 1:
        if session:
            message = ngettext(
                "Choose a position from 1 to %(last)s: the session has %(count)s other talk.",
                "Choose a position from 1 to %(last)s: the session has %(count)s other talks.",
                len(target),
            )
        else:
            message = ngettext(
                "Choose a position from 1 to %(last)s: the unscheduled list has %(count)s "
                "other talk.",
                "Choose a position from 1 to %(last)s: the unscheduled list has %(count)s "
                "other talks.",
                len(target),
            )
        raise ValidationError(
            {"position": [message % {"last": len(target) + 1, "count": len(target)}]}
        )
    presentation.session = session
    presentation.start_time, presentation.end_time = start_time, end_time
    presentation.position = POSITION_SHIFT * 2
    try:
        presentation.clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    presentation.save(update_fields=["session", "position", "start_time", "end_time"])
    target.insert(position - 1, presentation)
    _renumber(target)
    if source is None or session is None or source.pk != session.pk:
        left = _talk_list(presentation.meeting, source).order_by("position", "id")
        _renumber(list(left))
    return presentation


def _authorships_as_of(paper, as_of):
    """Each authorship of ``paper`` as it was at ``as_of``, in author order.

    Rows stored before history was kept (a fixture, a bulk import) have no record from
    before their first change: their earliest known state stands in for it, and rows with no
    record at all are taken as they are now.
    """
    records = {}
    for record in Authorship.history.filter(paper_id=paper.pk).order_by("history_date"):
        records.setdefault(record.id, []).append(record)
    then = []
    for record_list in records.values():
        earlier = [record for record in record_list if record.history_date <= as_of]
        if earlier:
            state = earlier[-1]
        elif record_list[0].history_type == "+":
            continue  # created after as_of
        else:
            state = record_list[0]
        if state.history_type != "-":
            then.append(state)
    then += paper.authorships.exclude(pk__in=records)
    return sorted(then, key=lambda authorship: authorship.position)


def authors_as_of(paper, as_of):
    """The work's author list as it stood at ``as_of`` (dicts of ``person``, ``position`` and
    ``affiliation``, from the authorships' history) and the reasons it cannot be restored."""
    then = _authorships_as_of(paper, as_of) if paper.pk is not None else []
    people = Person.objects.in_bulk([a.person_id for a in then])
    institutions = Institution.objects.in_bulk([a.affiliation_id for a in then if a.affiliation_id])
    authors, messages = [], []
    for authorship in then:
        person = people.get(authorship.person_id)
        if person is None:
            messages.append(
                _(
                    "The author at position %(position)s has since been deleted: recover that "
                    "person from their history first."
                )
                % {"position": authorship.position}
            )
            continue
        authors.append(
            {
                "person": person,
                "position": authorship.position,
                "affiliation": institutions.get(authorship.affiliation_id),
            }
        )
    if not then:
        messages.append(
            _("“%(work)s” had no recorded authors at %(moment)s.")
            % {"work": paper, "moment": format(as_of, "%Y-%m-%d %H:%M")}
        )
    if paper.pk is not None:
        messages += _presenting_authors_removed(paper, authors)
    return authors, messages


@transaction.atomic
def restore_paper_authors(*, paper, as_of):
    """Make the work's authors, their order and affiliations what they were at ``as_of``.

    Authors who stay keep their authorship rows (presentations refer to them); the change is
    itself recorded in the history, so a restore can be undone like any other edit.
    """
    authors, messages = authors_as_of(paper, as_of)
    if messages:
        raise ValidationError({"authors": messages})
    _save_authors(paper, authors)
    return authors


@transaction.atomic
def create_session_with_talks(*, meeting, talks=(), chairs=(), **fields):
    """Add a session to a meeting's programme with its chairs and its talks in order, all or
    nothing: ``talks`` are dicts of ``paper``, ``presenters`` (authors, in order) and
    optional ``discussants``, ``start_time`` and ``end_time``."""
    lock_for_update(meeting)
    session, errors = meeting_services.prepare_session(meeting=meeting, chairs=chairs, **fields)
    if errors:
        raise ValidationError(errors)
    # The talks are checked against the stored session (its times, its meeting); a talk's
    # error undoes the session with everything else.
    meeting_services.save_session(session, chairs=chairs)
    # The talks are new ones: each needs its presenters; discussants are optional.
    new_talks = [{"presenters": [], "discussants": (), **talk} for talk in talks]
    arrange_session_talks(session=session, talks=new_talks)
    return session


def _affiliation_in(person, year):
    """The institution ``person`` was affiliated with in ``year``, if their record says."""
    affiliations = person.affiliations.filter(
        Q(start_year__isnull=True) | Q(start_year__lte=year),
        Q(end_year__isnull=True) | Q(end_year__gte=year),
    )
    affiliation = affiliations.order_by(F("start_year").desc(nulls_last=True)).first()
    return affiliation.institution if affiliation else None


def discussants_at_the_time(*, meeting, people, presentation=None):
    """``people`` as discussants (dicts of ``person`` and ``affiliation``): those already
    discussing ``presentation`` keep the institution recorded for them, newcomers get the
    one their affiliations give for the meeting's year."""
    recorded = {}
    if presentation is not None and presentation.pk:
        recorded = {row.person_id: row.affiliation for row in presentation.discussant_roles.all()}
    year = meeting.start_date.year
    return [
        {
            "person": person,
            "affiliation": recorded[person.pk]
            if person.pk in recorded
            else _affiliation_in(person, year),
        }
        for person in people
    ]


def _arranged_talk_errors(presentation, talk):
    errors = []
    try:
        # Positions follow the list's order and are renumbered on saving.
        presentation.full_clean(exclude=["position"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            name = ""
            if field != NON_FIELD_ERRORS:
                name = capfirst(str(Presentation._meta.get_field(field).verbose_name))
            errors += [f"{name}: {message}" if name else message for message in messages]
    if talk.get("presenters") is not None:
        errors += presenter_errors(presentation.paper, talk["presenters"])
    if talk.get("discussants") is not None:
        errors += discussant_errors(presentation.paper, talk["discussants"])
    return errors


@transaction.atomic
def arrange_session_talks(*, session, talks, unscheduled=()):
    """Make ``talks`` the session's talks, in this order: each a dict of ``paper``,
    ``presenters`` (authors of the work, in order), ``discussants`` (dicts of ``person`` and
    ``affiliation``), optional ``start_time`` and ``end_time``, and ``presentation`` for a
    talk already in the programme (it moves here, from another session or from the
    unscheduled ones). ``presenters`` or ``discussants`` left out (None) stay as they are.
    Talks in ``unscheduled`` leave the session and stay in the meeting's programme, last
    among its unscheduled talks."""
    meeting = session.meeting
    sources = [talk["presentation"].session for talk in talks if talk.get("presentation")]
    _lock_lists(session, *sources)
    errors, planned, seen_papers = [], [], set()
    for number, talk in enumerate(talks, start=1):
        paper = talk["paper"]
        lock_for_update(paper)
        presentation = talk.get("presentation") or Presentation(meeting=meeting)
        if presentation.pk:
            lock_for_update(presentation)
        presentation.paper, presentation.session = paper, session
        presentation.start_time = talk.get("start_time")
        presentation.end_time = talk.get("end_time")
        talk_errors = _arranged_talk_errors(presentation, talk)
        if paper.pk in seen_papers:
            talk_errors.append(_("listed twice: list each work once."))
        seen_papers.add(paper.pk)
        errors += [
            _("Talk %(number)s (“%(work)s”): %(message)s")
            % {"number": number, "work": paper, "message": message}
            for message in talk_errors
        ]
        planned.append((presentation, talk))
    if errors:
        raise ValidationError({"talks": errors})

    # Kept rows step out of the way first, so that no two talks ever share a position.
    moving = [presentation.pk for presentation, _ in planned if presentation.pk]
    Presentation.objects.filter(Q(session=session) | Q(pk__in=moving)).update(
        position=F("position") + POSITION_SHIFT
    )
    for talk_out in unscheduled:
        talk_out.refresh_from_db()
        talk_out.session = None
        talk_out.start_time = talk_out.end_time = None
        talk_out.position = _next_position(meeting, None)
        talk_out.save()
    for position, (presentation, talk) in enumerate(planned, start=1):
        presentation.position = position
        presentation.save()
        if talk.get("presenters") is not None:
            _save_presenters(presentation, talk["presenters"])
        if talk.get("discussants") is not None:
            replace_people_at_the_time(presentation.discussant_roles, talk["discussants"])
    for source in {source for source in sources if source and source.pk != session.pk}:
        _renumber(list(source.talks.order_by("position", "id")))
    return [presentation for presentation, _ in planned]


@transaction.atomic
def place_talk(
    *,
    meeting,
    paper,
    presenters,
    discussants=(),
    presentation=None,
    session=None,
    position=None,
    start_time=None,
    end_time=None,
):
    """Create or change one talk and put it in ``session`` at ``position`` (the end when
    None), the other talks keeping their order around it; without a session, among the
    meeting's unscheduled talks."""
    if presentation is None:
        presentation = create_presentation(
            meeting=meeting,
            paper=paper,
            presenters=presenters,
            discussants=discussants,
            session=session,
        )
    else:
        presentation = update_presentation(
            presentation=presentation, paper=paper, presenters=presenters, discussants=discussants
        )
    return move_presentation(
        presentation=presentation,
        session=session,
        position=position,
        start_time=start_time,
        end_time=end_time,
    )
