"""The organizers' programme editor: a session with its chairs and its talks, in order, in one
form; each talk with its work, its presenters (among the work's authors) and its discussants.

The editor lives with the talks (papers) because a session's talks are presentations of works;
the meetings app only links here by URL. Every write goes through the services
(``conference.meetings.services`` for the session and its chairs, ``papers.services`` for its
talks), which validate again under locks. The forms check first, so that each message sits next to
the field it is about; what the services still refuse (another organizer's change in between)
comes back as form errors with the organizer's input kept.
"""

from collections import Counter, defaultdict

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from conference.core.admin_widgets import (
    KnownChoicesInlineMixin,
    KnownChoicesSelectMultiple,
    show_instance_choices,
    show_known_choices,
)
from conference.core.history_admin import OptimisticLockForm, RecordAdmin
from conference.meetings import services as meeting_services
from conference.meetings.models import Meeting, Room, Session, SessionChair
from papers import services
from papers.models import Authorship, Discussant, Presentation
from people.models import Person


class ProgrammeRefused(Exception):
    """A service refused the save after the forms had accepted it: shown as form errors."""

    def __init__(self, error):
        super().__init__(error)
        self.error = error


class RefusalsAsFormErrors:
    """For forms whose save calls the services: a refusal at save time (raised as
    ProgrammeRefused, the transaction rolled back) shows the same form again with the
    services' messages, the organizer's input kept."""

    refused = None
    # The services' names for fields that the form calls otherwise.
    refusal_fields = {}

    def add_refusals(self):
        if self.refused is None:
            return
        for field, messages in self.refused.message_dict.items():
            field = self.refusal_fields.get(field, field)
            self.add_error(field if field in self.fields else None, messages)


class RefusalsAsFormErrorsAdmin:
    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.refused = getattr(request, "programme_refused", None)
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ProgrammeRefused as refused:
            request.programme_refused = refused.error
            return super().changeform_view(request, object_id, form_url, extra_context)


class PresenterCheckboxes(forms.CheckboxSelectMultiple):
    """The authors of the talk's work as checkboxes; the editor's script lists the authors of
    another work as soon as it is chosen (without it, they appear after saving)."""

    template_name = "admin/papers/widgets/presenters.html"

    def render(self, name, value, attrs=None, renderer=None):
        # The project's templates, not the form renderer's (which sees only the apps').
        chosen = {str(item) for item in (value or [])}
        context = {
            "widget": {
                "name": name,
                "attrs": self.build_attrs(self.attrs, attrs),
                "authors_url": reverse("admin:papers_paper_authors", args=[0]).replace(
                    "/0/", "/{work}/"
                ),
                "options": [
                    {"value": key, "label": label, "selected": str(key) in chosen}
                    for key, label in self.choices
                ],
            }
        }
        return render_to_string(self.template_name, context)


def author_label(authorship):
    if authorship.affiliation_id:
        return f"{authorship.person} ({authorship.affiliation.name})"
    return str(authorship.person)


def authors_by_work(work_ids):
    """{work id: [authorship, …] in author order} in one query."""
    authors = defaultdict(list)
    rows = (
        Authorship.objects.filter(paper_id__in=work_ids, role=Authorship.Role.AUTHOR)
        .select_related("person", "affiliation")
        .order_by("paper_id", "position")
    )
    for authorship in rows:
        authors[authorship.paper_id].append(authorship)
    return authors


class TalkForm(forms.ModelForm):
    """One talk: its work, who presented it, who discussed it, when."""

    presenters = forms.ModelMultipleChoiceField(
        queryset=Person.objects.all(),
        required=False,
        widget=PresenterCheckboxes,
        label=_("Presenters"),
        help_text=_("Authors of the work who presented it."),
    )
    # Not named after the model's field: that one goes through Discussant rows (with the
    # institution at the time), which the services write.
    discussed_by = forms.ModelMultipleChoiceField(
        queryset=Person.objects.all(),
        required=False,
        label=_("Discussants"),
        help_text=_(
            "People who commented on the work (not its authors); their institution at "
            "the time comes from their affiliations."
        ),
    )
    # Named apart from the model's times: they are checked against the session as the
    # organizer is changing it (which may not be saved yet), not by the model.
    starts = forms.TimeField(
        required=False,
        widget=forms.TimeInput(attrs={"size": 5}, format="%H:%M"),
        label=_("Starts"),
    )
    ends = forms.TimeField(
        required=False,
        widget=forms.TimeInput(attrs={"size": 5}, format="%H:%M"),
        label=_("Ends"),
    )
    unschedule = forms.BooleanField(
        required=False,
        label=_("Unschedule"),
        help_text=_("Take the talk out of this session: it stays in the meeting's programme."),
    )

    class Meta:
        model = Presentation
        # The times are checked against the session as the organizer is changing it (below),
        # not the stored one: they are not handed to the model's own checks.
        fields = ["position", "paper"]
        widgets = {"position": forms.NumberInput(attrs={"min": 1, "class": "talk-position"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "position" in self.fields:
            self.fields["position"].required = False
            if not self.instance.pk:
                # A new row takes its place from the rows' order, not the model's default 1.
                self.initial["position"] = None
        discussants = self.fields.get("discussed_by")
        if discussants is not None:
            discussants.widget = KnownChoicesSelectMultiple(
                Presentation._meta.get_field("discussants"), admin.site
            )
            discussants.widget.choices = discussants.choices
        show_instance_choices(self)
        if discussants is not None and self.instance.pk and not self.is_bound:
            roles = self.instance.discussant_roles.all()
            show_known_choices(discussants, [role.person for role in roles])
        if self.instance.pk:
            self.initial.setdefault(
                "presenters",
                [presenter.authorship.person_id for presenter in self.instance.presenters.all()],
            )
            if discussants is not None:
                self.initial.setdefault(
                    "discussed_by",
                    [role.person_id for role in self.instance.discussant_roles.all()],
                )
            self.initial.setdefault("starts", self.instance.start_time)
            self.initial.setdefault("ends", self.instance.end_time)
        # No author list until the work is known (the field would otherwise offer everyone).
        self.session = None
        self.show_authors([])

    def chosen_work_id(self):
        """The work of this row as the organizer last chose it (posted or stored)."""
        if self.is_bound:
            value = self.data.get(self.add_prefix("paper"))
            return int(value) if value and str(value).isdigit() else None
        return self.instance.paper_id

    def show_authors(self, authorships):
        """Offer ``authorships`` (the chosen work's authors) as the presenters to tick."""
        self.work_authors = authorships
        self.fields["presenters"].widget.choices = [
            (authorship.person_id, author_label(authorship)) for authorship in authorships
        ]

    def clean(self):
        cleaned_data = super().clean()
        paper = cleaned_data.get("paper")
        if paper is None or cleaned_data.get("unschedule"):
            return cleaned_data
        self.check_times(*self.times())
        for message in services.presenter_errors(paper, cleaned_data.get("presenters") or []):
            self.add_error("presenters", message)
        discussants = [{"person": person} for person in cleaned_data.get("discussed_by") or []]
        for message in services.discussant_errors(paper, discussants):
            self.add_error("discussed_by", message)
        return cleaned_data

    def times(self):
        return self.cleaned_data.get("starts"), self.cleaned_data.get("ends")

    def meeting(self):
        return self.session.meeting

    def check_times(self, start, end):
        """A talk's times: an end after the start, both within the session's times."""
        # The session as the organizer is changing it, saved or not yet.
        session = self.session
        if end is not None and start is None:
            self.add_error("starts", gettext("Give the start time too, or leave out the end time."))
        elif end is not None and end <= start:
            self.add_error(
                "ends",
                gettext("The talk ends after it starts: %(end)s is not after %(start)s.")
                % {"end": format(end, "%H:%M"), "start": format(start, "%H:%M")},
            )
        for name, value in (("starts", start), ("ends", end)):
            if value is None:
                continue
            if (session.start_time and value < session.start_time) or (
                session.end_time and value > session.end_time
            ):
                self.add_error(
                    name,
                    gettext(
                        "%(time)s is outside the session's times (%(times)s): a talk's times "
                        "are within its session's."
                    )
                    % {"time": format(value, "%H:%M"), "times": session.time_range},
                )

    def talk(self):
        """What the services need to know about this row."""
        data = self.cleaned_data
        start_time, end_time = self.times()
        return {
            "presentation": self.instance if self.instance.pk else None,
            "paper": data["paper"],
            "presenters": sorted(
                data["presenters"],
                key=lambda person: next(
                    (a.position for a in self.work_authors if a.person_id == person.pk), 0
                ),
            ),
            "discussants": services.discussants_at_the_time(
                meeting=self.meeting(),
                people=list(data.get("discussed_by") or ()),
                presentation=self.instance if self.instance.pk else None,
            ),
            "start_time": start_time,
            "end_time": end_time,
        }


class TalkFormSet(BaseInlineFormSet):
    """The session's talks: positions and works each used once, presenters among each work's
    authors (read for every row in one query)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rows = [form for form in self.forms if isinstance(form, TalkForm)]
        authors = authors_by_work({form.chosen_work_id() for form in rows} - {None})
        for form in rows:
            form.session = self.instance
            form.show_authors(authors.get(form.chosen_work_id(), []))

    def kept_forms(self):
        """Forms of talks that stay in the session, with a work chosen."""
        return [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if getattr(form, "cleaned_data", None)
            and form.cleaned_data.get("paper")
            and not form.cleaned_data.get("unschedule")
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        # Read every row before marking any: an error takes its value out of cleaned_data.
        rows = [
            (form, form.cleaned_data["paper"], form.cleaned_data["position"])
            for form in self.kept_forms()
        ]
        positions = Counter(position for _, _, position in rows)
        works = Counter(paper.pk for _, paper, _ in rows)
        for form, paper, position in rows:
            if position and positions[position] > 1:
                form.add_error(
                    "position",
                    gettext(
                        "Two talks of this session have position %(position)s: give each its "
                        "own (or drag the rows into order)."
                    )
                    % {"position": position},
                )
            if works[paper.pk] > 1:
                form.add_error(
                    "paper",
                    gettext("“%(work)s” is listed twice in this session.") % {"work": paper},
                )
        self.check_works_elsewhere(rows)

    def check_works_elsewhere(self, rows):
        """A work has one talk per meeting: a work already in another session is moved from
        there on that session's page, not given a second talk."""
        meeting = self.instance.meeting if self.instance.meeting_id else None
        if meeting is None:
            return
        new_forms = {paper.pk: form for form, paper, _ in rows if not form.instance.pk}
        elsewhere = Presentation.objects.filter(
            meeting=meeting, paper_id__in=new_forms
        ).select_related("session", "paper")
        if self.instance.pk:
            elsewhere = elsewhere.exclude(session_id=self.instance.pk)
        for talk in elsewhere:
            if talk.session_id:
                message = gettext(
                    "“%(work)s” is already in this meeting's programme (in the session "
                    "“%(session)s”): a work is presented once per meeting. Move that talk here "
                    "from its own page."
                )
            else:
                message = gettext(
                    "“%(work)s” is already in this meeting's programme (unscheduled): a work is "
                    "presented once per meeting. Move that talk here from its own page."
                )
            new_forms[talk.paper_id].add_error(
                "paper", message % {"work": talk.paper, "session": talk.session}
            )

    def ordered_talks(self):
        """The kept talks in their new order: by position, rows without one after the rest."""
        kept = self.kept_forms()
        order = sorted(
            range(len(kept)),
            key=lambda index: (kept[index].cleaned_data["position"] or 10**6, index),
        )
        return [kept[index].talk() for index in order]

    def unscheduled(self):
        """Stored talks that the organizer took out of the session."""
        return [
            form.instance
            for form in self.initial_forms
            if getattr(form, "cleaned_data", None) and form.cleaned_data.get("unschedule")
        ]

    def save(self, commit=True):
        # The admin saves the talks through the services (SessionAdmin.save_related).
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        return []


class TalkInline(KnownChoicesInlineMixin, admin.TabularInline):
    model = Presentation
    fk_name = "session"
    form = TalkForm
    formset = TalkFormSet
    can_delete = False
    extra = 0
    autocomplete_fields = ["paper"]
    fields = [
        "position",
        "paper",
        "presenters",
        "discussed_by",
        "starts",
        "ends",
        "unschedule",
    ]
    verbose_name = _("talk")
    verbose_name_plural = _("talks, in order (drag the rows or edit the positions)")
    classes = ["programme-talks"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("paper", "meeting")  # the row's label: “work at meeting”
            .prefetch_related("presenters__authorship", "discussant_roles__person")
            .order_by("position", "id")
        )

    def get_extra(self, request, obj=None, **kwargs):
        # A new session is usually filled at once: room for a few talks.
        return 0 if obj is not None and obj.pk else 3


class PeopleAtTheTimeFormSet(BaseInlineFormSet):
    """Rows of people with their institution at the time, in order (a session's chairs, a
    talk's discussants), handed to the services by ``people()`` instead of saved here."""

    def kept_forms(self):
        kept = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and form.cleaned_data.get("person")
            and not form.cleaned_data.get("DELETE")
        ]
        return sorted(kept, key=lambda form: form.cleaned_data.get("position") or 10**6)

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = self.kept_forms()
        positions = Counter(form.cleaned_data.get("position") for form in kept)
        people = Counter(form.cleaned_data["person"].pk for form in kept)
        for form in kept:
            position = form.cleaned_data.get("position")
            if positions[position] > 1:
                form.add_error("position", self.same_position_message(position))
            if people[form.cleaned_data["person"].pk] > 1:
                form.add_error("person", self.listed_twice_message())

    def people(self):
        return [
            {"person": form.cleaned_data["person"], "affiliation": form.cleaned_data["affiliation"]}
            for form in self.kept_forms()
        ]

    def validate_unique(self):
        # Positions are checked above with a message naming the list; the service renumbers.
        pass

    def save(self, commit=True):
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        return []


class ChairFormSet(PeopleAtTheTimeFormSet):
    def same_position_message(self, position):
        return gettext(
            "Two chairs of this session have position %(position)s: give each its own."
        ) % {"position": position}

    def listed_twice_message(self):
        return gettext("This person is listed twice as chair.")


class DiscussantFormSet(PeopleAtTheTimeFormSet):
    def same_position_message(self, position):
        return gettext(
            "Two discussants of this talk have position %(position)s: give each its own."
        ) % {"position": position}

    def listed_twice_message(self):
        return gettext("This person is listed twice as discussant.")


class PersonAtTheTimeForm(forms.ModelForm):
    """A chair or discussant row: who, and their institution at the time."""

    class Meta:
        fields = ["position", "person", "affiliation"]
        widgets = {"position": forms.NumberInput(attrs={"min": 1})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        if not self.instance.pk:
            self.initial["position"] = None
        show_instance_choices(self)


class ChairForm(PersonAtTheTimeForm):
    class Meta(PersonAtTheTimeForm.Meta):
        model = SessionChair


class DiscussantForm(PersonAtTheTimeForm):
    class Meta(PersonAtTheTimeForm.Meta):
        model = Discussant
        help_texts = {
            "affiliation": _(
                "The discussant's institution at the time of the meeting; left empty, the one "
                "their affiliations give for the meeting's year."
            )
        }


class PeopleAtTheTimeInline(KnownChoicesInlineMixin, admin.TabularInline):
    """Rows of ``PersonAtTheTimeForm``: who, and their institution then, in order."""

    extra = 0
    autocomplete_fields = ["person", "affiliation"]
    fields = ["position", "person", "affiliation"]


class SessionChairInline(PeopleAtTheTimeInline):
    model = SessionChair
    form = ChairForm
    formset = ChairFormSet
    verbose_name_plural = _("chairs")

    def get_queryset(self, request):
        # The autocompletes' chosen options and the row's label: “person (chair, session)”.
        return super().get_queryset(request).select_related("person", "affiliation", "session")

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj is not None and obj.pk else 1


class SessionForm(RefusalsAsFormErrors, OptimisticLockForm):
    def clean(self):
        cleaned_data = super().clean()
        self.check_taken(
            "position",
            gettext(
                "Another session of this meeting has position %(value)s: give each session its own."
            ),
        )
        self.check_taken(
            "slug", gettext("Another session of this meeting has the slug “%(value)s”.")
        )
        self.add_refusals()
        return cleaned_data

    def check_taken(self, name, message):
        """The session's own unique fields, with a message next to the field."""
        meeting, value = self.cleaned_data.get("meeting"), self.cleaned_data.get(name)
        if meeting is None or value in (None, ""):
            return
        taken = Session.objects.filter(meeting=meeting, **{name: value}).exclude(
            pk=self.instance.pk
        )
        if taken.exists():
            self.add_error(name, message % {"value": value})

    def validate_unique(self):
        # Checked in clean() with messages that name the field.
        pass


# The session's own fields, as the form hands them to the services.
SESSION_FIELDS = [
    "meeting",
    "title",
    "kind",
    "slug",
    "description",
    "day",
    "start_time",
    "end_time",
    "room",
    "position",
]


@admin.register(Session)
class SessionAdmin(RefusalsAsFormErrorsAdmin, RecordAdmin):
    form = SessionForm
    list_display = ["title", "meeting", "day", "time_range", "room", "kind", "position"]
    list_filter = ["kind", "day"]
    search_fields = ["title", "meeting__title", "meeting__series__name"]
    list_select_related = ["meeting__series", "room"]
    autocomplete_fields = ["meeting"]
    fieldsets = [
        (None, {"fields": ["meeting", ("title", "kind"), "slug", "description"]}),
        (
            _("When and where"),
            {"fields": ["day", ("start_time", "end_time"), "room", "position"]},
        ),
    ]
    inlines = [SessionChairInline, TalkInline]

    class Media:
        js = ["admin/js/jquery.init.js", "js/programme_editor.js"]
        css = {"all": ["css/programme_editor.css"]}

    @admin.display(description=_("Time"))
    def time_range(self, session):
        return session.time_range

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        meeting = Meeting.objects.filter(pk=initial.get("meeting") or 0).first()
        if meeting is not None:
            initial.setdefault("day", meeting.start_date)
            last = meeting.sessions.order_by("-position").values_list("position", flat=True)
            initial.setdefault("position", (last.first() or 0) + 1)
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "room":
            kwargs["queryset"] = self.rooms_on_offer(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def rooms_on_offer(self, request):
        """The rooms of the session's meeting (all rooms until the meeting is known)."""
        rooms = Room.objects.select_related("meeting").order_by("meeting_id", "position")
        object_id = request.resolver_match.kwargs.get("object_id")
        if object_id and str(object_id).isdigit():
            return rooms.filter(meeting__sessions__pk=object_id)
        meeting_id = request.POST.get("meeting") or request.GET.get("meeting") or ""
        if meeting_id.isdigit():
            return rooms.filter(meeting_id=meeting_id)
        return rooms

    def save_model(self, request, obj, form, change):
        # Saved with its chairs and talks in save_related, through the services.
        pass

    def save_related(self, request, form, formsets, change):
        by_model = {formset.model: formset for formset in formsets}
        chairs = by_model[SessionChair].people()
        talks = by_model[Presentation]
        fields = {
            name: form.cleaned_data[name] for name in SESSION_FIELDS if name in form.cleaned_data
        }
        try:
            with transaction.atomic():
                if change:
                    session = meeting_services.update_session(
                        session=form.instance, chairs=chairs, **fields
                    )
                else:
                    session = meeting_services.create_session(chairs=chairs, **fields)
                services.arrange_session_talks(
                    session=session,
                    talks=talks.ordered_talks(),
                    unscheduled=talks.unscheduled(),
                )
        except ValidationError as error:
            raise ProgrammeRefused(error) from error
        # The admin goes on (history message, redirect) with the form's instance: make it the
        # saved session.
        for field in Session._meta.concrete_fields:
            setattr(form.instance, field.attname, getattr(session, field.attname))
        form.instance._state.adding = False
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


class DiscussantInline(PeopleAtTheTimeInline):
    """A talk's discussants on its own page, each with the institution the programme gives
    them (by default the one their affiliations give for the meeting's year)."""

    model = Discussant
    form = DiscussantForm
    formset = DiscussantFormSet
    verbose_name_plural = _("discussants")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "affiliation")


class TalkPageForm(RefusalsAsFormErrors, TalkForm):
    """One talk on its own page: also its meeting, and the session it is in (if any). Its
    discussants are rows of their own (``DiscussantInline``), with their institutions."""

    # Here the model's own times are edited, and checked by the model against the session.
    starts = ends = unschedule = discussed_by = None
    refusal_fields = {"position": "place"}

    # Not the model's position: the talks after it move down to make room (the service),
    # where the model would refuse a position that another talk holds.
    place = forms.IntegerField(
        required=False,
        min_value=1,
        label=_("Position"),
        help_text=_("Place in its session (1 for the first); empty for the end."),
    )

    class Meta(TalkForm.Meta):
        fields = ["meeting", "paper", "session", "start_time", "end_time"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        authors = authors_by_work([self.chosen_work_id()])
        self.show_authors(authors.get(self.chosen_work_id(), []))
        if self.instance.pk and self.instance.session_id:
            self.initial.setdefault("place", self.instance.position)

    def times(self):
        return self.cleaned_data.get("start_time"), self.cleaned_data.get("end_time")

    def meeting(self):
        return self.cleaned_data["meeting"]

    def check_times(self, start, end):
        # The talk's model checks its times against the session it is put in.
        pass

    def clean(self):
        cleaned_data = super().clean()
        self.add_refusals()
        return cleaned_data


@admin.register(Presentation)
class TalkAdmin(RefusalsAsFormErrorsAdmin, SimpleHistoryAdmin):
    form = TalkPageForm
    inlines = [DiscussantInline]
    list_display = ["paper", "meeting", "session", "position"]
    list_filter = ["meeting"]
    search_fields = ["paper__title", "meeting__title", "session__title"]
    autocomplete_fields = ["meeting", "paper", "session"]
    list_select_related = ["paper", "meeting", "session"]
    fields = [
        "meeting",
        "paper",
        "presenters",
        "session",
        "place",
        ("start_time", "end_time"),
    ]

    class Media:
        js = ["admin/js/jquery.init.js", "js/programme_editor.js"]
        css = {"all": ["css/programme_editor.css"]}

    def save_model(self, request, obj, form, change):
        # Saved with its presenters and discussants in save_related, through the services.
        pass

    def save_related(self, request, form, formsets, change):
        data = form.cleaned_data
        talk = form.talk()
        (discussants,) = formsets
        rows = discussants.people()
        # A row left without an institution takes the one the person's affiliations give.
        derived = services.discussants_at_the_time(
            meeting=data["meeting"],
            people=[row["person"] for row in rows],
            presentation=talk["presentation"],
        )
        talk["discussants"] = [
            row if row["affiliation"] is not None else default
            for row, default in zip(rows, derived, strict=True)
        ]
        try:
            with transaction.atomic():
                saved = services.place_talk(
                    meeting=data["meeting"],
                    session=data.get("session"),
                    position=data.get("place"),
                    **talk,
                )
        except ValidationError as error:
            raise ProgrammeRefused(error) from error
        for field in Presentation._meta.concrete_fields:
            setattr(form.instance, field.attname, getattr(saved, field.attname))
        form.instance._state.adding = False
        discussants.save()  # writes nothing (PeopleAtTheTimeFormSet): the service wrote them
