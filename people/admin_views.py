"""Admin pages that keep one record per person and institution: merge two records (choosing
the values to keep), split one, review possible duplicates, revert a merge."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people import services
from people.duplicates import possible_duplicates
from people.models import Person


class MergeForm(forms.Form):
    """Which record survives, and for each value whether to keep the survivor's or take the
    other's."""

    def __init__(self, *args, first, second, fields, **kwargs):
        super().__init__(*args, **kwargs)
        self.first, self.second = first, second
        self.fields["survivor"] = forms.ChoiceField(
            label=_("Keep the record (and web address) of"),
            choices=[("first", str(first)), ("second", str(second))],
            widget=forms.RadioSelect,
            initial="first",
        )
        self.value_fields = []
        # Translators: a merge form's choice when one of the two records has no value.
        empty = _("(empty)")
        for name in fields:
            field = first._meta.get_field(name)
            shown = [_shown(record, field) for record in (first, second)]
            if shown[0] == shown[1]:
                continue
            self.fields[f"keep_{name}"] = forms.ChoiceField(
                label=str(field.verbose_name).capitalize(),
                choices=[("first", shown[0] or empty), ("second", shown[1] or empty)],
                widget=forms.RadioSelect,
                initial="first" if shown[0] or not shown[1] else "second",
            )
            self.value_fields.append(name)

    def merge_arguments(self):
        """``(survivor, merged, keep)`` for ``services.merge_records``."""
        first_survives = self.cleaned_data["survivor"] == "first"
        survivor, merged = (
            (self.first, self.second) if first_survives else (self.second, self.first)
        )
        keep = {}
        for name in self.value_fields:
            chosen_first = self.cleaned_data[f"keep_{name}"] == "first"
            keep[name] = "survivor" if chosen_first == first_survives else "merged"
        return survivor, merged, keep


def _shown(record, field):
    value = getattr(record, field.name)
    return "" if value in (None, "") else str(value)


class SplitForm(forms.Form):
    def __init__(self, *args, record, relations, value_fields, **kwargs):
        super().__init__(*args, **kwargs)
        for name in value_fields:
            self.fields[name] = record._meta.get_field(name).formfield()
        self.relations = []
        for accessor, label in relations:
            rows = getattr(record, accessor).all()
            if rows:
                self.fields[accessor] = forms.ModelMultipleChoiceField(
                    queryset=rows,
                    required=False,
                    label=label,
                    widget=forms.CheckboxSelectMultiple,
                )
                self.relations.append(accessor)


class UnifyingAdminMixin:
    """Merge, split and (for people) possible duplicates, for a ``RecordAdmin``.

    ``split_relations``: ``[(relation name, label)]`` a split can move; ``split_fields``:
    the new record's values.
    """

    split_relations = ()
    split_fields = ()
    actions = ["merge_selected"]

    def _name(self, suffix):
        return f"{self.opts.app_label}_{self.opts.model_name}_{suffix}"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("merge/", view(self.merge_view), name=self._name("merge")),
            path("<path:object_id>/split/", view(self.split_view), name=self._name("split")),
            *super().get_urls(),
        ]

    def _check_merge_permission(self, request):
        if not (self.has_change_permission(request) and self.has_delete_permission(request)):
            raise PermissionDenied

    @admin.action(description=gettext_lazy("Merge the two selected %(verbose_name_plural)s"))
    def merge_selected(self, request, queryset):
        ids = sorted(queryset.values_list("pk", flat=True))
        if len(ids) != 2:
            self.message_user(request, _("Select exactly two to merge."), messages.WARNING)
            return None
        return redirect(f"{reverse('admin:' + self._name('merge'))}?ids={ids[0]},{ids[1]}")

    def merge_view(self, request):
        self._check_merge_permission(request)
        ids = [part for part in request.GET.get("ids", "").split(",") if part.isdigit()]
        records = self.model._default_manager.in_bulk(ids)
        if len(ids) != 2 or len(records) != 2:
            self.message_user(request, _("Choose two existing records to merge."), messages.ERROR)
            return redirect("admin:" + self._name("changelist"))
        first, second = records[int(ids[0])], records[int(ids[1])]
        form = MergeForm(
            request.POST or None,
            first=first,
            second=second,
            fields=services.MERGED_FIELDS[self.model],
        )
        if request.method == "POST" and form.is_valid():
            survivor, merged, keep = form.merge_arguments()
            try:
                merge = services.merge_records(
                    survivor=survivor, merged=merged, keep=keep, user=request.user
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                self.message_user(
                    request,
                    _(
                        "Merged: %(merge)s. Every record moved; the merge can be reverted "
                        "from “Record merges”."
                    )
                    % {"merge": merge},
                    messages.SUCCESS,
                )
                return redirect("admin:" + self._name("change"), survivor.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Merge two %(verbose_name_plural)s")
            % {"verbose_name_plural": self.opts.verbose_name_plural},
            "form": form,
            "first": first,
            "second": second,
            "links": _link_counts(first, second),
        }
        return TemplateResponse(request, "admin/people/merge.html", context)

    def split_view(self, request, object_id):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        record = get_object_or_404(self.model, pk=object_id)
        form = SplitForm(
            request.POST or None,
            record=record,
            relations=self.split_relations,
            value_fields=self.split_fields,
        )
        if request.method == "POST" and form.is_valid():
            moves = {
                accessor: [row.pk for row in form.cleaned_data.get(accessor, [])]
                for accessor in form.relations
            }
            values = {name: form.cleaned_data[name] for name in self.split_fields}
            try:
                created = services.split_record(
                    record=record, moves=moves, values=values, user=request.user
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                self.message_user(
                    request,
                    _("Split: %(record)s now has the chosen records.") % {"record": created},
                    messages.SUCCESS,
                )
                return redirect("admin:" + self._name("change"), created.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": record,
            # Translators: page title, splitting one record in two: “Split Noella Edelmann”.
            "title": _("Split %(record)s") % {"record": record},
            "form": form,
        }
        return TemplateResponse(request, "admin/people/split.html", context)


def _link_counts(*records):
    """For each record, ``[(label, number)]`` of the rows that point at it."""
    rows = []
    for record in records:
        counts = []
        for related, field_name in services.incoming_links(type(record)):
            number = related._default_manager.filter(**{field_name: record}).count()
            if number:
                counts.append((str(related._meta.verbose_name_plural), number))
        rows.append((record, counts))
    return rows


class DuplicatesAdminMixin:
    """The people admin's "Possible duplicates" page: merge a pair or mark it not the same."""

    def get_urls(self):
        return [
            path(
                "duplicates/",
                self.admin_site.admin_view(self.duplicates_view),
                name="people_person_duplicates",
            ),
            *super().get_urls(),
        ]

    def duplicates_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            ids = [request.POST.get("first", ""), request.POST.get("second", "")]
            people = Person.objects.in_bulk([pk for pk in ids if pk.isdigit()])
            if len(people) == 2:
                with transaction.atomic():
                    first, second = people.values()
                    services.mark_not_duplicate(first=first, second=second, user=request.user)
                self.message_user(
                    request,
                    _("Noted: %(first)s and %(second)s are not the same.")
                    % {"first": first, "second": second},
                    messages.SUCCESS,
                )
            return redirect("admin:people_person_duplicates")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Possible duplicates"),
            "pairs": possible_duplicates(),
        }
        return TemplateResponse(request, "admin/people/duplicates.html", context)
