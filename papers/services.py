"""Writes that span several models: a work with its ordered authors, a presentation with
its presenters. Each function validates everything first, then saves in one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from conference.core.base import lock_for_update
from papers.models import Authorship, Paper, Presentation, Presenter, WorkRelation

# Kept author rows are moved out of the way by this much while positions are reassigned,
# so that swapping two authors never trips the unique (paper, position) constraint.
POSITION_SHIFT = 10000


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
            return {"doi": [f"The work “{other.title}” already has the DOI {paper.doi}."]}
    return {}


def _role(contributor):
    return contributor.get("role") or Authorship.Role.AUTHOR


def author_list_errors(authors):
    """Messages for a contributor list (authors, editors…, each a dict of ``person``,
    ``position``, optional ``role`` and ``affiliation``) that repeats a position or a person
    within a role, or names nobody as author or editor."""
    messages = []
    credited = {Authorship.Role.AUTHOR, Authorship.Role.EDITOR}
    if not any(_role(author) in credited for author in authors):
        messages.append("A work needs at least one author (or, for an edited book, an editor).")
    seen_positions, seen_people = {}, {}
    for author in authors:
        position, person, role = author["position"], author["person"], _role(author)
        label = Authorship.Role(role).label.lower()
        if position < 1:
            messages.append(f"{label.capitalize()} positions start at 1, not {position}.")
        if (role, position) in seen_positions:
            messages.append(
                f"{seen_positions[role, position]} and {person} both have position {position} "
                f"as {label}s: each position is used once in each role."
            )
        seen_positions.setdefault((role, position), person)
        if (role, person.pk) in seen_people:
            messages.append(f"{person} is listed more than once as {label}: list them once.")
        seen_people[role, person.pk] = person
    return messages


def _relation_errors(paper, relations):
    messages = []
    seen = set()
    for relation in relations:
        target = relation["work"]
        if paper.pk is not None and target.pk == paper.pk:
            messages.append("A work cannot extend or cite itself.")
        key = (target.pk, relation["kind"])
        if key in seen:
            messages.append(f"The relation “{relation['kind']}” to “{target}” is listed twice.")
        seen.add(key)
    return messages


def _save_authors(paper, authors):
    """Make the paper's contributors match ``authors``, keeping rows of people who stay in
    their role (their presentations refer to them)."""
    existing = {(a.person_id, a.role): a for a in paper.authorships.all()}
    wanted = {(author["person"].pk, _role(author)) for author in authors}
    removed = [a.pk for key, a in existing.items() if key not in wanted]
    Authorship.objects.filter(pk__in=removed).delete()
    kept = [a.pk for key, a in existing.items() if key in wanted]
    Authorship.objects.filter(pk__in=kept).update(position=F("position") + POSITION_SHIFT)
    for author in sorted(authors, key=lambda author: (_role(author), author["position"])):
        authorship = existing.get((author["person"].pk, _role(author)))
        if authorship is None:
            authorship = Authorship(paper=paper, person=author["person"], role=_role(author))
        authorship.position = author["position"]
        authorship.affiliation = author.get("affiliation")
        authorship.save()


def _presenting_authors_removed(paper, authors):
    wanted = {author["person"].pk for author in authors if _role(author) == Authorship.Role.AUTHOR}
    presenters = Presenter.objects.filter(authorship__paper=paper).select_related(
        "authorship__person", "presentation__meeting"
    )
    return [
        f"{presenter.authorship.person} presented this work at {presenter.presentation.meeting}: "
        "remove them from that presentation's presenters before removing them as an author."
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
    if authors is not None:
        messages = author_list_errors(authors) + _presenting_authors_removed(paper, authors)
        if messages:
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


def _presenter_errors(paper, presenters):
    """Presenters must be distinct authors of the presented work."""
    messages = []
    if not presenters:
        messages.append("A presentation needs at least one presenter.")
    authors = {authorship.person_id for authorship in paper.authors}
    seen = set()
    for person in presenters:
        if person.pk not in authors:
            messages.append(
                f"{person} is not an author of “{paper}”: presenters must be authors of the work."
            )
        if person.pk in seen:
            messages.append(f"{person} is listed more than once: list each presenter once.")
        seen.add(person.pk)
    return messages


def _save_presenters(presentation, presenters):
    presentation.presenters.all().delete()
    authorships = {a.person_id: a for a in presentation.paper.authors}
    for index, person in enumerate(presenters, start=1):
        Presenter.objects.create(
            presentation=presentation, authorship=authorships[person.pk], position=index
        )


def _validate_presentation(presentation, presenters):
    errors = {}
    try:
        _clean_presentation(presentation)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if presenters is not None and (messages := _presenter_errors(presentation.paper, presenters)):
        errors["presenters"] = messages
    return errors


def _clean_presentation(presentation):
    duplicate = (
        Presentation.objects.exclude(pk=presentation.pk)
        .filter(meeting=presentation.meeting, paper=presentation.paper)
        .exists()
    )
    if duplicate:
        raise ValidationError(
            {"paper": [f"“{presentation.paper}” is already in the programme of this meeting."]}
        )
    presentation.full_clean()


@transaction.atomic
def create_presentation(*, meeting, paper, presenters, session="", position=1):
    """Put a work in a meeting's programme, presented by some of its authors, in order."""
    # Presenters are drawn from the work's authors: no author edit may slip in meanwhile.
    lock_for_update(paper)
    presentation = Presentation(meeting=meeting, paper=paper, session=session, position=position)
    if errors := _validate_presentation(presentation, presenters):
        raise ValidationError(errors)
    presentation.save()
    _save_presenters(presentation, presenters)
    return presentation


@transaction.atomic
def update_presentation(*, presentation, presenters=None, **fields):
    """Change a presentation; a new work keeps the presenters only if they are its authors."""
    lock_for_update(presentation)
    paper_changed = "paper" in fields and fields["paper"].pk != presentation.paper_id
    if paper_changed and presenters is None:
        presenters = [presenter.authorship.person for presenter in presentation.presenters.all()]
    for name, value in fields.items():
        setattr(presentation, name, value)
    lock_for_update(presentation.paper)
    if errors := _validate_presentation(presentation, presenters):
        raise ValidationError(errors)
    presentation.save()
    if presenters is not None:
        _save_presenters(presentation, presenters)
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
    from people.models import Institution, Person

    then = _authorships_as_of(paper, as_of) if paper.pk is not None else []
    people = Person.objects.in_bulk([a.person_id for a in then])
    institutions = Institution.objects.in_bulk([a.affiliation_id for a in then if a.affiliation_id])
    authors, messages = [], []
    for authorship in then:
        person = people.get(authorship.person_id)
        if person is None:
            messages.append(
                f"The author at position {authorship.position} has since been deleted: "
                "recover that person from their history first."
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
        messages.append(f"“{paper}” had no recorded authors at {as_of:%Y-%m-%d %H:%M}.")
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
