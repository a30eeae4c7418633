"""Lists of works read as plain rows: the works index, the API's lists of works and the other
pages that list works read them here (``Paper.objects.….as_list_rows()``).

On a page of 50 works, building model instances for the works and their authors,
institutions and topics was most of the API list's time. Here a list reads the columns it
shows, then the page's contributors and (if asked) topics in one query each, and each row
becomes a small record with the attributes the templates and the API's formatter read
(``title``, ``authors``, ``get_absolute_url`` …). Every column is named: a list that shows one
more column asks for it by name and finds it as an attribute.
"""

from dataclasses import dataclass

from django.db.models import F

from conference.core.base import reverse_by_slug
from conference.core.identifiers import doi_url
from people.models import person_full_name

# What the works index and the other pages' lists show of each work.
LIST_COLUMNS = ("id", "slug", "title", "kind", "year", "journal")


@dataclass(frozen=True, slots=True)
class ListedPerson:
    id: int
    slug: str
    full_name: str

    def get_absolute_url(self):
        return reverse_by_slug("people:person_detail", self.slug)


@dataclass(frozen=True, slots=True)
class ListedInstitution:
    id: int
    slug: str
    name: str
    short_name: str

    def get_absolute_url(self):
        return reverse_by_slug("people:institution_detail", self.slug)


@dataclass(frozen=True, slots=True)
class ListedContributor:
    """An author, editor… as ``author_list`` and the API show one: the person and the
    affiliation at the time of the work."""

    role: str
    position: int
    person: ListedPerson
    printed_name: str
    affiliation: ListedInstitution | None


@dataclass(frozen=True, slots=True)
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
        rows = authorships.filter(paper_id__in=ids).values(
            "paper_id",
            "role",
            "position",
            "printed_name",
            "person_id",
            "affiliation_id",
            person_slug=F("person__slug"),
            given_name=F("person__given_name"),
            family_name=F("person__family_name"),
            institution_slug=F("affiliation__slug"),
            institution_name=F("affiliation__name"),
            institution_short_name=F("affiliation__short_name"),
        )
        contributors = {}
        for row in rows:
            affiliation = None
            if row["affiliation_id"] is not None:
                affiliation = ListedInstitution(
                    id=row["affiliation_id"],
                    slug=row["institution_slug"],
                    name=row["institution_name"],
                    short_name=row["institution_short_name"],
                )
            person = ListedPerson(
                id=row["person_id"],
                slug=row["person_slug"],
                full_name=person_full_name(row["given_name"], row["family_name"]),
            )
            contributors.setdefault(row["paper_id"], []).append(
                ListedContributor(
                    role=row["role"],
                    position=row["position"],
                    person=person,
                    printed_name=row["printed_name"],
                    affiliation=affiliation,
                )
            )
        return contributors

    def _topics(self, ids):
        """Each work's topics by name, as ``Topic``'s ordering lists them."""
        links = self.model.topics.through.objects
        rows = (
            links.filter(paper_id__in=ids)
            .values("paper_id", "topic_id", slug=F("topic__slug"), name=F("topic__name"))
            .order_by("topic__name", "topic_id")
        )
        topics = {}
        for row in rows:
            topics.setdefault(row["paper_id"], []).append(
                ListedTopic(id=row["topic_id"], slug=row["slug"], name=row["name"])
            )
        return topics
