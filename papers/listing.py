"""Lists of works read as plain rows: the works index, the API's lists of works and the other
pages that list works read them here (``Paper.objects.….as_list_rows()``).

On a page of 50 works, building model instances for the works and their authors,
institutions and topics was most of the API list's time. Here a list reads the columns it
shows, then the page's contributors and (if asked) topics in one query each, and each row
becomes a small record with the attributes the templates and the API's formatter read
(``title``, ``authors``, ``get_absolute_url`` …). Every column is named: a list that shows one
more column asks for it by name and finds it as an attribute.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from conference.core.base import reverse_by_slug, slug_url_builder
from conference.core.identifiers import doi_url
from people.models import person_full_name

# What the works index and the other pages' lists show of each work.
LIST_COLUMNS = ("id", "slug", "title", "kind", "year", "journal")


# The records are not frozen: a frozen dataclass sets each field through
# ``object.__setattr__``, three times slower to build, and a page builds hundreds.
# ``url_for`` is the page's link builder (``slug_url_builder``), made once per list: a list
# of 25 works links some 200 people and institutions.


@dataclass(slots=True)
class ListedPerson:
    id: int
    slug: str
    full_name: str
    url_for: Callable[[str], str] = field(repr=False, compare=False)

    def get_absolute_url(self):
        return self.url_for(self.slug)


@dataclass(slots=True)
class ListedInstitution:
    id: int
    slug: str
    name: str
    short_name: str
    url_for: Callable[[str], str] = field(repr=False, compare=False)

    def get_absolute_url(self):
        return self.url_for(self.slug)


@dataclass(slots=True)
class ListedContributor:
    """An author, editor… as ``author_list`` and the API show one: the person and the
    affiliation at the time of the work."""

    role: str
    position: int
    person: ListedPerson
    printed_name: str
    affiliation: ListedInstitution | None


@dataclass(slots=True)
class ListedTopic:
    id: int
    slug: str
    name: str


class ListedWork:
    """One work of a list: its row's columns as attributes, its contributors in order
    (authors first) and, when read, its topics by name."""

    def __init__(self, row, contributors, topics, kind_labels):
        self.__dict__.update(row)
        self.authorships = contributors
        self.topics = topics
        self._kind_labels = kind_labels

    @property
    def authors(self):
        """Contributors in the author role, in order, as ``Paper.authors``."""
        return [c for c in self.authorships if c.role == "author"]

    @property
    def doi_url(self):
        return doi_url(self.doi) if self.doi else ""

    def get_kind_display(self):
        return self._kind_labels.get(self.kind, self.kind)

    def get_absolute_url(self):
        return reverse_by_slug("papers:paper_detail", self.slug)

    def __str__(self):
        return self.title


class WorkRows:
    """The works of a queryset as ``ListedWork`` records, read a page at a time.

    Paginators take it as they take a queryset (``count()``, slices); every slice reads its
    rows, then their contributors and topics, in one query each.
    """

    def __init__(self, works, columns=LIST_COLUMNS, *, topics=False):
        if "id" not in columns:
            columns = ("id", *columns)
        self.model = works.model
        self.rows = works.values(*columns)
        self.with_topics = topics

    @property
    def ordered(self):
        return self.rows.ordered

    def count(self):
        return self.rows.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self.listed(self.rows[index : index + 1])[0]
        return self.listed(self.rows[index])

    def __iter__(self):
        return iter(self.listed(self.rows))

    def listed(self, rows):
        rows = list(rows)
        ids = [row["id"] for row in rows]
        contributors = self._contributors(ids) if ids else {}
        topics = self._topics(ids) if ids and self.with_topics else {}
        kind_labels = dict(self.model.Kind.choices)
        return [
            ListedWork(row, contributors.get(row["id"], []), topics.get(row["id"], []), kind_labels)
            for row in rows
        ]

    def _contributors(self, ids):
        """Each work's contributors in order (``Authorship``'s ordering: role, position)."""
        authorships = self.model._meta.get_field("authorships").related_model.objects
        # Tuples rather than dicts, unpacked by the names below: about a millisecond less on
        # a page of 50 works (some 200 rows).
        rows = authorships.filter(paper_id__in=ids).values_list(
            "paper_id",
            "role",
            "position",
            "printed_name",
            "person_id",
            "person__slug",
            "person__given_name",
            "person__family_name",
            "affiliation_id",
            "affiliation__slug",
            "affiliation__name",
            "affiliation__short_name",
        )
        person_url = slug_url_builder("people:person_detail")
        institution_url = slug_url_builder("people:institution_detail")
        contributors = {}
        for (
            paper_id,
            role,
            position,
            printed_name,
            person_id,
            person_slug,
            given_name,
            family_name,
            institution_id,
            institution_slug,
            institution_name,
            institution_short_name,
        ) in rows:
            affiliation = None
            if institution_id is not None:
                affiliation = ListedInstitution(
                    institution_id,
                    institution_slug,
                    institution_name,
                    institution_short_name,
                    institution_url,
                )
            person = ListedPerson(
                person_id, person_slug, person_full_name(given_name, family_name), person_url
            )
            contributors.setdefault(paper_id, []).append(
                ListedContributor(role, position, person, printed_name, affiliation)
            )
        return contributors

    def _topics(self, ids):
        """Each work's topics by name, as ``Topic``'s ordering lists them."""
        links = self.model.topics.through.objects
        rows = (
            links.filter(paper_id__in=ids)
            .values_list("paper_id", "topic_id", "topic__slug", "topic__name")
            .order_by("topic__name", "topic_id")
        )
        topics = {}
        for paper_id, topic_id, slug, name in rows:
            topics.setdefault(paper_id, []).append(ListedTopic(topic_id, slug, name))
        return topics
