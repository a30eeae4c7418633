"""Writes that keep one record per person and per institution: create without silent
duplicates, merge (revertable), split.

A merge moves every row that points at the merged-away record to the survivor. The rows are
found through the models' relations (``Model._meta.related_objects``), not by naming them,
so works, presentations, committee seats, session chairs and discussants move without this
app importing the apps that own them, and a relation added later moves too.
"""

import json
from functools import reduce
from operator import or_

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conference.core.text import normalize_text
from people.models import (
    Institution,
    NotDuplicate,
    Person,
    PersonNameLock,
    RecordMerge,
    name_key,
    person_full_name,
)

# The values an organizer chooses between when merging; the rest belong to the survivor.
MERGED_FIELDS = {
    Person: ("given_name", "family_name", "is_organisation", "orcid", "website", "other_names"),
    Institution: ("name", "short_name", "city", "country", "website", "ror_id", "parent"),
}
# Values that must stay unique: taken from the merged-away record, they are cleared there
# first.
_UNIQUE_FIELDS = {"orcid", "ror_id"}
# The prefixes of ``RecordMerge.moved`` keys listing rows the merge created, and rows it
# deleted (their values, to be made again on a revert).
CREATED = "created:"
REMOVED = "removed:"
# Where a merged-away record's names go on the survivor, so search and imports still find it.
_VARIANT_FIELDS = {Person: "other_names"}


class SameNameExists(Exception):
    """Creating a person whose exact name another person has, without confirming."""

    def __init__(self, existing):
        super().__init__(f"{existing.full_name} is already recorded.")
        self.existing = existing


def _is_history(model):
    return getattr(model, "instance_type", None) is not None


def incoming_links(model):
    """``[(related model, field name)]``: every foreign key that points at ``model``, in
    ordinary tables and in many-to-many tables, except edit history copies (which keep what
    was) and the not-the-same marks (which name a pair, see ``merge_records``)."""
    links, seen = [], set()
    for relation in model._meta.related_objects:
        related = relation.through if relation.many_to_many else relation.related_model
        if related is None or _is_history(related) or related is NotDuplicate:
            continue
        for field in related._meta.fields:
            if field.is_relation and field.related_model is model:
                key = (related._meta.label_lower, field.name)
                if key not in seen:
                    seen.add(key)
                    links.append((related, field.name))
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        for through_field in through._meta.fields:
            if through_field.is_relation and through_field.related_model is model:
                key = (through._meta.label_lower, through_field.name)
                if key not in seen:
                    seen.add(key)
                    links.append((through, through_field.name))
    return links


def _unique_field_sets(model):
    sets = [tuple(fields) for fields in model._meta.unique_together]
    sets += [
        tuple(constraint.fields)
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint)
        and constraint.fields
        and constraint.condition is None
    ]
    sets += [
        (field.name,) for field in model._meta.fields if field.unique and not field.primary_key
    ]
    return sets


def _conflicts(related, field_name, survivor, merged):
    """Rows of ``merged`` that cannot move because the survivor has the same row (both are
    authors of one work, both sit on one committee): the organizer resolves those first."""
    problems = []
    for fields in _unique_field_sets(related):
        if field_name not in fields:
            continue
        others = [name for name in fields if name != field_name]
        rows = list(related._default_manager.filter(**{field_name: merged}).values(*others))
        if not rows:
            continue
        if not others:
            clash = related._default_manager.filter(**{field_name: survivor})
        else:
            clash = related._default_manager.filter(**{field_name: survivor}).filter(
                reduce(or_, (models.Q(**row) for row in rows))
            )
        for row in clash[:5]:
            problems.append(
                # Translators: one reason a merge is refused; several are joined by “; ”.
                _("both are linked by the %(model)s “%(row)s”")
                % {"model": related._meta.verbose_name, "row": row}
            )
    return problems


def _values(record, fields):
    """``{field: value}`` as JSON can hold them (every field when ``fields`` is None)."""
    data = json.loads(serializers.serialize("json", [record], fields=fields))[0]["fields"]
    return data if fields is None else {name: data.get(name) for name in fields}


def _assign(record, values):
    for name, value in values.items():
        field = record._meta.get_field(name)
        setattr(record, field.attname, None if value is None else field.to_python(value))


def _check_merge(survivor, merged):
    if survivor.pk == merged.pk:
        raise ValidationError({"merge": _("A record cannot be merged with itself.")})
    orcids = {getattr(record, "orcid", "") for record in (survivor, merged)} - {""}
    if len(orcids) == 2:
        raise ValidationError(
            {
                "merge": _(
                    "%(survivor)s and %(merged)s have different ORCID iDs "
                    "(%(survivor_orcid)s, %(merged_orcid)s): they are two people."
                )
                % {
                    "survivor": survivor,
                    "merged": merged,
                    "survivor_orcid": survivor.orcid,
                    "merged_orcid": merged.orcid,
                }
            }
        )
    parents = (getattr(survivor, "parent_id", None), getattr(merged, "parent_id", None))
    if merged.pk == parents[0] or survivor.pk == parents[1]:
        raise ValidationError(
            {"merge": _("An institution cannot be merged with the institution it is part of.")}
        )


@transaction.atomic
def merge_records(*, survivor, merged, keep=None, user=None):
    """Merge ``merged`` into ``survivor`` (two people or two institutions) and return the
    :class:`RecordMerge` that can revert it.

    ``keep`` maps a field of ``MERGED_FIELDS`` to ``"merged"`` to take the merged-away
    record's value (the survivor's is kept otherwise). Every row pointing at ``merged``
    moves; its name is added to the survivor's other names; its old web address redirects.
    Raises ``ValidationError`` (naming ``merge`` or the field) and changes nothing when the
    two cannot be merged.
    """
    model = type(survivor)
    if type(merged) is not model or model not in MERGED_FIELDS:
        raise ValidationError({"merge": _("Only two people or two institutions can be merged.")})
    # Locked in id order, so two merges of the same pair cannot deadlock.
    locked = model._default_manager.select_for_update().in_bulk(sorted([survivor.pk, merged.pk]))
    if len(locked) != 2:
        raise ValidationError({"merge": _("One of the two records no longer exists.")})
    survivor, merged = locked[survivor.pk], locked[merged.pk]
    keep = dict(keep or {})
    fields = MERGED_FIELDS[model]
    unknown = sorted(set(keep) - set(fields))
    if unknown:
        raise ValidationError(
            {
                "keep": _("Not a value that can be chosen: %(fields)s.")
                % {"fields": ", ".join(unknown)}
            }
        )
    bad = sorted(name for name, side in keep.items() if side not in ("survivor", "merged"))
    if bad:
        raise ValidationError(
            {
                # Translators: “survivor” and “merged” are the values to send: keep them as is.
                "keep": _("Choose “survivor” or “merged” for %(fields)s.")
                % {"fields": ", ".join(bad)}
            }
        )
    _check_merge(survivor, merged)
    links = incoming_links(model)
    problems = [
        problem
        for related, field_name in links
        for problem in _conflicts(related, field_name, survivor, merged)
    ]
    if problems:
        raise ValidationError(
            {
                "merge": _("Cannot merge yet: %(problems)s. Remove one of each first.")
                % {"problems": "; ".join(problems)}
            }
        )

    merged_values = _values(merged, None)
    chosen = [name for name, side in keep.items() if side == "merged"]
    survivor_before = _values(survivor, fields)
    taken = _values(merged, chosen)
    moved = {}
    for related, field_name in links:
        rows = related._default_manager.filter(**{field_name: merged})
        ids = list(rows.values_list("pk", flat=True))
        if ids:
            related._default_manager.filter(pk__in=ids).update(**{field_name: survivor})
            moved[f"{related._meta.label_lower}.{field_name}"] = ids
    if model is Person:
        moved.update(_carry_not_duplicate_marks(survivor, merged))

    merged_name = merged.full_name if model is Person else merged.name
    cleared = [name for name in chosen if name in _UNIQUE_FIELDS]
    if cleared:
        model._default_manager.filter(pk=merged.pk).update(**dict.fromkeys(cleared, ""))
    _assign(survivor, taken)
    variants_field = _VARIANT_FIELDS.get(model)
    if variants_field:
        names = [line for line in getattr(survivor, variants_field).splitlines() if line.strip()]
        current = name_key(survivor.full_name)
        known = {name_key(name) for name in names} | {current}
        for name in [merged_name, *getattr(merged, variants_field).splitlines()]:
            if name.strip() and name_key(name) not in known:
                names.append(name.strip())
                known.add(name_key(name))
        setattr(survivor, variants_field, "\n".join(names))
    elif model is Institution and not survivor.names.filter(name=merged.name).exists():
        alias = survivor.names.create(name=merged.name, kind="alias")
        # Made by the merge, so a revert deletes it.
        moved[f"{CREATED}people.institutionname"] = [alias.pk]
    survivor.full_clean(exclude=["slug"], validate_unique=False)
    # Edit-history reasons are part of the record's history, stored in the site's language
    # like the records themselves (not in the language of the organizer who merged).
    survivor._change_reason = f"Merged with “{merged_name}” ({merged.slug})"
    survivor.save()

    merge = RecordMerge.objects.create(
        model=model._meta.label_lower,
        survivor_id=survivor.pk,
        survivor_name=str(survivor),
        merged_id=merged.pk,
        merged_slug=merged.slug,
        merged_name=merged_name,
        merged_values=merged_values,
        survivor_values=survivor_before,
        moved=moved,
        merged_by=user,
    )
    merged._change_reason = f"Merged into “{survivor}” ({survivor.slug})"
    merged.delete()
    return merge


def _carry_not_duplicate_marks(survivor, merged):
    """The “not the same” marks of ``merged`` hold for the survivor too (whoever is not the
    merged person is not the person it merged into): each becomes the survivor's, unless it
    has it already. A mark between the two themselves is overruled by the merge. The marks
    as they were are kept for a revert (under ``REMOVED``), the new ones listed as made by the
    merge."""
    marks = list(NotDuplicate.objects.filter(models.Q(first=merged) | models.Q(second=merged)))
    made = []
    for mark in marks:
        other_id = mark.second_id if mark.first_id == merged.pk else mark.first_id
        if other_id == survivor.pk:
            continue
        low, high = sorted([survivor.pk, other_id])
        carried, created = NotDuplicate.objects.get_or_create(
            first_id=low, second_id=high, defaults={"decided_by_id": mark.decided_by_id}
        )
        if created:
            made.append(carried.pk)
    removed = [
        {"first": mark.first_id, "second": mark.second_id, "decided_by": mark.decided_by_id}
        for mark in marks
    ]
    NotDuplicate.objects.filter(pk__in=[mark.pk for mark in marks]).delete()
    changes = {}
    if made:
        changes[f"{CREATED}people.notduplicate"] = made
    if removed:
        changes[f"{REMOVED}people.notduplicate"] = removed
    return changes


def _restore_not_duplicate_marks(marks):
    """Put back the “not the same” marks a merge removed (see _carry_not_duplicate_marks)."""
    users = get_user_model()._default_manager
    deciders = set(
        users.filter(pk__in={mark["decided_by"] for mark in marks}).values_list("pk", flat=True)
    )
    for mark in marks:
        NotDuplicate.objects.get_or_create(
            first_id=mark["first"],
            second_id=mark["second"],
            defaults={
                "decided_by_id": mark["decided_by"] if mark["decided_by"] in deciders else None
            },
        )


@transaction.atomic
def revert_merge(*, merge, user=None):
    """Undo ``merge``: the merged-away record comes back with its id, web address and values,
    the moved rows go back to it, and the survivor gets its earlier values again."""
    merge = RecordMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.reverted_at:
        raise ValidationError({"merge": _("This merge was already reverted.")})
    model = apps.get_model(merge.model)
    survivor = model._default_manager.select_for_update().filter(pk=merge.survivor_id).first()
    if survivor is None:
        raise ValidationError({"merge": _("The surviving record was deleted since.")})
    if model._default_manager.filter(slug=merge.merged_slug).exists():
        raise ValidationError(
            {
                "merge": _("The web address “%(slug)s” was given to another record.")
                % {"slug": merge.merged_slug}
            }
        )
    values = {
        name: value
        for name, value in merge.merged_values.items()
        if not model._meta.get_field(name).many_to_many
    }
    # The survivor gives back values it took (unique ones first, so both can hold them).
    _assign(survivor, merge.survivor_values)
    survivor._change_reason = f"Merge with “{merge.merged_name}” reverted"
    survivor.save()
    restored = model(pk=merge.merged_id)
    _assign(restored, {name: value for name, value in values.items() if name != "created_at"})
    restored._change_reason = f"Restored from its merge into “{merge.survivor_name}”"
    restored.save(force_insert=True)
    if values.get("created_at"):
        created_at = model._meta.get_field("created_at").to_python(values["created_at"])
        model._default_manager.filter(pk=restored.pk).update(created_at=created_at)
    for key, ids in merge.moved.items():
        if key.startswith(CREATED):
            apps.get_model(key.removeprefix(CREATED))._default_manager.filter(pk__in=ids).delete()
            continue
        if key.startswith(REMOVED):
            # Rows the merge deleted, as they were (their people exist again by now).
            _restore_not_duplicate_marks(ids)
            continue
        app_label, model_name, field_name = key.split(".")
        related = apps.get_model(app_label, model_name)
        related._default_manager.filter(pk__in=ids).update(**{field_name: restored})
    merge.reverted_at = timezone.now()
    merge.save(update_fields=["reverted_at"])
    return restored


@transaction.atomic
def split_record(*, record, moves, values, user=None):
    """A new person (or institution) with ``values``, taking the rows chosen in ``moves``
    (``{"authorships": [ids], "committee_memberships": [ids], ...}``, by relation name)
    from ``record``. Returns the new record."""
    model = type(record)
    if not any(moves.values()):
        raise ValidationError({"moves": _("Choose at least one record to move.")})
    created = model(**values)
    created.full_clean(exclude=["slug"])
    created._change_reason = f"Split from “{record}” ({record.slug})"
    created.save()
    for accessor, ids in moves.items():
        relation = model._meta.get_field(accessor)
        rows = getattr(record, accessor).filter(pk__in=ids)
        if rows.count() != len(set(ids)):
            raise ValidationError(
                {
                    accessor: _("Not all of these belong to %(record)s: %(ids)s.")
                    % {"record": record, "ids": ids}
                }
            )
        rows.update(**{relation.field.name: created})
    return created


def _existing_same_name(given_name, family_name):
    key = name_key(person_full_name(given_name, family_name))
    for person in Person.objects.filter(family_name__iexact=normalize_text(family_name)):
        if name_key(person.full_name) == key:
            return person
    return None


@transaction.atomic
def create_person(*, same_name_confirmed=False, **values):
    """A new person, refused with :class:`SameNameExists` when someone with exactly this name
    (ignoring case and accents) is recorded and the caller did not confirm a second person.

    A person with an ORCID iD is told apart by it. Creates of one name wait on the name's
    lock row, so twenty parallel requests make one person and nineteen refusals, not
    twenty people.
    """
    orcid = values.get("orcid") or ""
    if not orcid and not same_name_confirmed:
        key = name_key(person_full_name(values.get("given_name", ""), values["family_name"]))
        try:
            with transaction.atomic():
                PersonNameLock.objects.get_or_create(key=key[:255])
        except IntegrityError:
            pass
        PersonNameLock.objects.select_for_update().get(key=key[:255])
        existing = _existing_same_name(values.get("given_name", ""), values["family_name"])
        if existing:
            raise SameNameExists(existing)
    person = Person(**values)
    person.full_clean(exclude=["slug"])
    person.save()
    return person


def mark_not_duplicate(*, first, second, user=None):
    """Remember that ``first`` and ``second`` are two people."""
    low, high = sorted([first, second], key=lambda person: person.pk)
    mark, _ = NotDuplicate.objects.get_or_create(
        first=low, second=high, defaults={"decided_by": user}
    )
    return mark
