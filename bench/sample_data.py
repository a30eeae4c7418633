"""A large, realistic, reproducible archive for load tests and the benchmark.

``generate_sample_data(scale=1, seed=1)`` builds about 200 meetings, 20,000 works, 40,000
people, 2,000 institutions, 80,000 authorships and 20,000 presentations (one meeting with 400)
and bulk-inserts them in one transaction. The same seed gives the same names, titles and slugs;
only ``random.Random(seed)`` is used, never the global generator. Rows are written with
``bulk_create``, so ``save()`` does not run: the text is written already normalised (NFC, one
line) and the slugs are set here, unique against each other and against rows already stored.
"""

import datetime
import math
import random
import time
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Count
from django.utils.text import slugify
from stdnum.iso7064 import mod_97_10

from conference.core.text import ascii_fold, slug_base
from conference.meetings.models import (
    CommitteeMember,
    Meeting,
    MeetingSupport,
    MeetingTopic,
    Project,
    Room,
    Series,
    Session,
    SessionChair,
    Topic,
)
from conference.site.caching import bump_data_version
from papers.models import Authorship, Discussant, Paper, Presentation, Presenter, WorkRelation
from people.models import Affiliation, Institution, Person

# Row counts at scale 1; other scales multiply them.
SCALE_1_COUNTS = {
    "institutions": 2_000,
    "meetings": 200,
    "people": 40_000,
    "papers": 20_000,
    "presentations": 20_000,
    "topics": 120,
    "projects": 40,
}
MEETINGS_PER_SERIES = 8
LARGEST_MEETING_PRESENTATIONS = 400
LARGEST_MEETING_DAYS = 3
LARGEST_MEETING_ROOMS = 4
# A day's programme: paper sessions in every room, breaks for everyone.
SESSION_SLOTS = [
    (datetime.time(8, 30), datetime.time(9, 45)),
    (datetime.time(10, 0), datetime.time(11, 15)),
    (datetime.time(11, 45), datetime.time(13, 0)),
    (datetime.time(14, 0), datetime.time(15, 15)),
    (datetime.time(15, 30), datetime.time(16, 45)),
    (datetime.time(17, 0), datetime.time(18, 15)),
]
BREAKS = [
    ("Coffee break", datetime.time(11, 15), datetime.time(11, 45)),
    ("Lunch", datetime.time(13, 0), datetime.time(14, 0)),
]
SESSION_KINDS = [
    (Session.Kind.PAPER_SESSION, 75),
    (Session.Kind.PANEL, 18),
    (Session.Kind.ROUNDTABLE, 4),
    (Session.Kind.WORKSHOP, 3),
]
ROOM_NAMES = [
    "Aula Magna",
    "Room 1.14",
    "Room 1.15",
    "Senate Hall",
    "Room 2.03",
    "Room 2.04",
    "Room 0.12",
    "Room 0.13",
]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
BATCH_SIZE = 2_000

# Authors per work, 1 to 8, averaging four: 20,000 works make about 80,000 authorships.
AUTHOR_COUNT_WEIGHTS = [10, 15, 19, 18, 14, 11, 8, 5]
KIND_WEIGHTS = [
    (Paper.Kind.PRESENTATION, 75),
    (Paper.Kind.JOURNAL_ARTICLE, 18),
    (Paper.Kind.CHAPTER, 4),
    (Paper.Kind.REPORT, 2),
    (Paper.Kind.BOOK, 1),
]
# Tables emptied by --flush-sample, children first.
ARCHIVE_MODELS = [
    Discussant,
    Presenter,
    Presentation,
    SessionChair,
    Session,
    Room,
    WorkRelation,
    Authorship,
    Paper,
    CommitteeMember,
    MeetingSupport,
    MeetingTopic,
    Meeting,
    Series,
    Topic,
    Project,
    Affiliation,
    Person,
    Institution,
]

GIVEN_NAMES = {
    "de": ["Jürgen", "Günther", "Käthe", "Björn", "Anja", "Lukas", "Sabine", "Ulrike", "Jörg"],
    "es": ["José", "María", "Iñigo", "Begoña", "Martín", "Inés", "Álvaro", "Raúl", "Lucía"],
    "nordic": ["Søren", "Åsa", "Bjørn", "Maja", "Sigrún", "Jens", "Ingrid", "Øystein", "Aino"],
    "pl": ["Łukasz", "Małgorzata", "Paweł", "Agnieszka", "Wojciech", "Zofia", "Michał"],
    "fr": ["Zoë", "Hélène", "François", "Chloé", "Jérôme", "Noëlle", "Gaëlle", "Benoît"],
    "nl": ["Trui", "Charlotte", "Joost", "Femke", "Sanne", "Pieter", "Marloes", "Bram"],
    "cz": ["Jiří", "Tomáš", "Kateřina", "Zdeněk", "Lenka", "Radek", "Věra"],
    "pt": ["João", "Conceição", "Gonçalo", "Inês", "Tomé", "Luísa", "Sebastião"],
    "tr": ["Ayşe", "Çağrı", "Gülşen", "Oğuz", "İpek", "Mehmet", "Şule"],
    "hu": ["Erzsébet", "Gábor", "Zsófia", "László", "Ágnes", "Péter"],
    "it": ["Nicolò", "Giulia", "Niccolò", "Chiara", "Mattia", "Francesca", "Lorenzo"],
    "ie": ["Seán", "Aoife", "Siobhán", "Pádraig", "Niamh", "Cillian"],
    "en": ["Noella", "Emma", "Oliver", "Grace", "Thomas", "Hannah", "Samuel", "Ruth"],
}
FAMILY_NAMES = {
    "de": ["Müller", "Schäfer", "Köhler", "Groß", "Weiß", "Bäcker", "Schröder", "Hoffmann"],
    "es": ["Ñúñez", "Peña", "García", "Muñoz", "Fernández", "Ibáñez", "Rodríguez", "Cortés"],
    "nordic": ["Sørensen", "Øberg", "Åberg", "Mäkinen", "Lindqvist", "Jóhannsdóttir", "Dahl"],
    "pl": ["Wróbel", "Krzyżanowska", "Łuczak", "Nowak", "Wiśniewski", "Kamińska", "Zieliński"],
    "fr": ["Lefèvre", "Dubois", "Leclère", "Moreau", "Gérard", "Boël", "Rousseau"],
    "nl": ["van der Berg", "de Vries", "van Dijk", "Steen", "van den Broek", "de Jong", "Bakker"],
    "cz": ["Dvořák", "Šimková", "Novotný", "Černá", "Procházka", "Kučera"],
    "pt": ["Gonçalves", "Simões", "Conceição", "Magalhães", "Araújo", "Brandão"],
    "tr": ["Yılmaz", "Şahin", "Çelik", "Öztürk", "Güneş", "Doğan"],
    "hu": ["Szabó", "Kovács", "Tóth", "Horváth", "Németh", "Balázs"],
    "it": ["Rossi", "Ferrà", "Russo", "Galli", "Colombo", "De Luca", "Lombardi"],
    "ie": ["Ó Briain", "Mac Cárthaigh", "O'Sullivan", "Ní Bhriain", "Walsh", "Ó Súilleabháin"],
    "en": ["Edelmann", "Smith", "Taylor", "Brown", "Wilson", "Evans", "Clarke"],
}
NAME_ORIGINS = list(GIVEN_NAMES)
INITIALS = "ABCDEFGHJKLMNPRSTVW"

# Country -> (local word for university, cities with their diacritics).
COUNTRIES = {
    "DE": ("Universität", ["München", "Köln", "Tübingen", "Göttingen", "Würzburg", "Lüneburg"]),
    "AT": ("Universität", ["Wien", "Graz", "Krems", "Linz"]),
    "CH": ("Universität", ["Zürich", "Bern", "Genève", "Lausanne"]),
    "ES": ("Universidad de", ["Málaga", "Córdoba", "Cádiz", "León", "Logroño", "Madrid"]),
    "FR": ("Université de", ["Orléans", "Besançon", "Nîmes", "Lyon", "Créteil", "Paris"]),
    "BE": ("Université de", ["Liège", "Namur", "Mons", "Leuven", "Gent"]),
    "NL": (
        "Universiteit",
        ["Nijmegen", "Utrecht", "Leiden", "Groningen", "Tilburg", "Delft", "Maastricht"],
    ),
    "DK": ("Universitet", ["Aarhus", "Odense", "Aalborg", "København", "Roskilde"]),
    "NO": ("Universitet", ["Tromsø", "Bergen", "Bodø", "Ålesund", "Oslo"]),
    "SE": ("Universitet", ["Göteborg", "Malmö", "Umeå", "Örebro", "Linköping"]),
    "FI": ("Yliopisto", ["Jyväskylä", "Tampere", "Turku", "Vaasa"]),
    "PL": ("Uniwersytet", ["Kraków", "Łódź", "Gdańsk", "Poznań", "Wrocław", "Toruń"]),
    "CZ": ("Univerzita", ["Brno", "Plzeň", "Olomouc", "České Budějovice"]),
    "HU": ("Egyetem", ["Pécs", "Győr", "Szeged", "Debrecen"]),
    "PT": ("Universidade de", ["Évora", "Coimbra", "Braga", "Lisboa", "Porto"]),
    "IT": ("Università di", ["Forlì", "Bologna", "Padova", "Torino", "Napoli"]),
    "TR": ("Üniversitesi", ["İstanbul", "Eskişehir", "Muğla", "Ankara"]),
    "IE": ("University of", ["Cork", "Galway", "Limerick", "Dublin"]),
    "GB": ("University of", ["Birmingham", "Edinburgh", "Leeds", "Bristol", "Glasgow"]),
    "US": ("University of", ["Chicago", "Denver", "Albany", "Austin"]),
    "CA": ("Université de", ["Montréal", "Québec", "Sherbrooke", "Ottawa"]),
    "BR": ("Universidade de", ["São Paulo", "Brasília", "Goiânia", "Florianópolis"]),
    "KR": ("University of", ["Seoul", "Busan", "Daejeon"]),
    "ZA": ("University of", ["Pretoria", "Stellenbosch", "Durban"]),
}
INSTITUTION_KINDS = [
    ("{university} {city}", "U"),
    ("Technical University of {city}", "TU"),
    ("{city} School of Governance", "SG"),
    ("Institute of Public Administration, {city}", "IPA"),
    ("{city} Centre for Social Innovation", "CSI"),
    ("Municipality of {city}", "M"),
    ("{city} Institute for Policy Research", "IPR"),
    ("{city} University of Applied Sciences", "UAS"),
    ("Regional Audit Office, {city}", "RAO"),
    ("{city} Business School", "BS"),
    ("{city} Graduate School of Public Policy", "GSPP"),
    ("{city} Institute for Social Research", "ISR"),
    ("National School of Administration, {city}", "NSA"),
    ("{city} Polytechnic", "P"),
    ("Centre for Local Government Studies, {city}", "CLGS"),
    ("{city} Academy of Sciences", "AS"),
    ("{city} Observatory of Public Services", "OPS"),
    ("Regional Development Agency, {city}", "RDA"),
]

TOPIC_SUBJECTS = [
    "Co-production",
    "Co-creation",
    "Public value",
    "Digital government",
    "Citizen participation",
    "Street-level bureaucracy",
    "Social innovation",
    "Collaborative governance",
    "Public service logic",
    "Accountability",
    "Trust in government",
    "Participatory budgeting",
    "Administrative burden",
    "Open data",
    "Public procurement",
    "Crisis management",
    "Local democracy",
    "Sustainability transitions",
    "Performance management",
    "Algorithmic decision-making",
]
TOPIC_FIELDS = [
    "in health care",
    "in education",
    "in social services",
    "in local government",
    "in welfare states",
    "and the third sector",
    "in urban planning",
    "across borders",
]
TITLE_OPENERS = [
    "Rethinking",
    "Measuring",
    "Explaining",
    "Designing for",
    "The limits of",
    "Scaling up",
    "Who benefits from",
    "Sustaining",
    "Governing",
    "Learning from",
]
TITLE_PLACES = [
    "Flemish municipalities",
    "Zürich's neighbourhood councils",
    "Kraków and Łódź",
    "Nordic welfare states",
    "São Paulo's health councils",
    "rural Andalucía",
    "the Île-de-France region",
    "Dutch youth care",
    "Austrian e-government",
    "Tromsø and Bodø",
    "Portuguese schools",
    "Czech regions",
    "Irish local authorities",
    "Turkish municipalities",
]
TITLE_METHODS = [
    "a comparative case study",
    "evidence from a survey experiment",
    "a systematic literature review",
    "lessons from a living lab",
    "a mixed-methods evaluation",
    "a process-tracing analysis",
    "insights from practitioners",
    "a longitudinal study",
    "a qualitative comparative analysis",
]
ABSTRACT_SENTENCES = [
    "This paper examines how {subject} {field} changes the relationship between citizens "
    "and public professionals.",
    "Drawing on {method}, we study {place} between {start} and {end}.",
    "We find that {subject_lower} depends on trust, resources and the discretion of "
    "frontline staff.",
    "The results qualify earlier claims that {subject_lower} always creates public value.",
    "We discuss implications for managers who want to sustain {subject_lower} beyond "
    "pilot projects.",
    "The analysis shows that institutional design matters more than technology.",
]
JOURNALS = [
    ("Public Management Review", "10.1080", "14719037"),
    ("Administrative Sciences", "10.3390", "admsci"),
    ("International Review of Administrative Sciences", "10.1177", "00208523"),
    ("Public Administration", "10.1111", "padm"),
    ("Journal of Public Administration Research and Theory", "10.1093", "jopart"),
    ("Voluntas", "10.1007", "s11266"),
    ("Public Money & Management", "10.1080", "09540962"),
]
BOOK_PUBLISHERS = ["Routledge", "Palgrave Macmillan", "Edward Elgar", "Policy Press", "Springer"]
SERIES_ORGANISATIONS = [
    ("International Institute of Administrative Sciences", "IIAS", "BE"),
    ("European Group for Public Administration", "EGPA", "BE"),
    ("Network of Institutes and Schools of Public Administration", "NISPAcee", "SK"),
    ("International Research Society for Public Management", "IRSPM", "GB"),
]
MEETING_KINDS = ["open meeting", "workshop", "conference", "symposium"]
PROJECT_FUNDERS = [
    ("European Union", "Horizon 2020 research and innovation programme"),
    ("European Union", "Horizon Europe programme"),
    ("Deutsche Forschungsgemeinschaft", "Sachbeihilfe"),
    ("Fonds Wetenschappelijk Onderzoek – Vlaanderen", "Research Projects"),
    ("Narodowe Centrum Nauki", "OPUS"),
]
ROLES = ["Professor", "Associate Professor", "Assistant Professor", "Researcher", "PhD candidate"]


@dataclass
class SampleSummary:
    """What was generated: rows per model, and the slugs the benchmark loads."""

    counts: dict = field(default_factory=dict)
    largest_meeting_slug: str = ""
    largest_meeting_presentations: int = 0
    seconds: float = 0.0


def orcid_check_digit(base_digits):
    """The ISO 7064 MOD 11-2 check character for the first 15 digits of an ORCID iD."""
    total = 0
    for digit in base_digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def format_orcid(base_digits):
    digits = base_digits + orcid_check_digit(base_digits)
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))


def format_ror(number):
    """A ROR id for ``number`` (< 32**6): "0", six Crockford base32 characters, check digits."""
    alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
    characters = []
    for _ in range(6):
        number, remainder = divmod(number, 32)
        characters.append(alphabet[remainder])
    body = "0" + "".join(reversed(characters))
    value = 0
    for character in body:
        value = value * 32 + alphabet.index(character)
    return body + mod_97_10.calc_check_digits(str(value))


def scaled(name, scale):
    return max(1, round(SCALE_1_COUNTS[name] * scale))


def archive_is_empty():
    return not any(
        model.objects.exists() for model in (Institution, Person, Series, Meeting, Paper, Topic)
    )


def flush_archive():
    """Empty every archive table (meetings, works, people, institutions), keeping accounts."""
    tables = []
    for model in ARCHIVE_MODELS:
        tables.append(model._meta.db_table)
        tables.extend(
            field.remote_field.through._meta.db_table
            for field in model._meta.local_many_to_many
            if field.remote_field.through._meta.auto_created
        )
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        # PostgreSQL refuses to TRUNCATE tables with deferred foreign-key checks still pending
        # from rows written earlier in the same transaction: run those checks now.
        connection.check_constraints()
    sql = connection.ops.sql_flush(
        no_style(), tables, reset_sequences=True, allow_cascade=postgresql
    )
    connection.ops.execute_sql_flush(sql)


def largest_meeting():
    """The meeting with the most presentations (the benchmark's worst-case page)."""
    return (
        Meeting.objects.annotate(presentation_count=Count("presentations"))
        .order_by("-presentation_count", "slug")
        .first()
    )


class SlugBook:
    """Hands out slugs unique within a model, also against the slugs already stored."""

    def __init__(self, existing=()):
        self.used = set(existing)

    def take(self, text, max_length=80):
        base = slug_base(text, max_length=max_length)
        slug, counter = base, 2
        while slug in self.used:
            suffix = f"-{counter}"
            slug = f"{base[: max_length - len(suffix)]}{suffix}"
            counter += 1
        self.used.add(slug)
        return slug


class SampleBuilder:
    def __init__(self, *, scale, seed, progress):
        self.scale = scale
        self.rng = random.Random(seed)
        self.progress = progress
        self.started = time.perf_counter()
        self.stage_started = self.started
        self.summary = SampleSummary()

    def slug_book(self, model):
        return SlugBook(model.objects.values_list("slug", flat=True))

    def insert(self, label, objects):
        model = type(objects[0]) if objects else None
        if model is not None:
            model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        self.summary.counts[label] = self.summary.counts.get(label, 0) + len(objects)
        now = time.perf_counter()
        if self.progress:
            self.progress(label, len(objects), now - self.stage_started, now - self.started)
        self.stage_started = now
        return objects

    def run(self):
        self.build_institutions()
        self.build_topics_and_projects()
        self.build_series_and_meetings()
        self.build_people()
        self.build_papers()
        self.build_authorships()
        self.build_presentations()
        self.build_relations()
        self.build_meeting_extras()
        meeting = largest_meeting()
        self.summary.largest_meeting_slug = meeting.slug
        self.summary.largest_meeting_presentations = meeting.presentation_count
        self.summary.seconds = time.perf_counter() - self.started
        return self.summary

    def build_institutions(self):
        rng = self.rng
        count = scaled("institutions", self.scale)
        places = [(code, city) for code, (_, cities) in COUNTRIES.items() for city in cities]
        combinations = [(place, kind) for place in places for kind in INSTITUTION_KINDS]
        rng.shuffle(combinations)
        slugs = self.slug_book(Institution)
        used_ror = set(Institution.objects.exclude(ror_id="").values_list("ror_id", flat=True))
        institutions = []
        for index in range(count):
            (country, city), (pattern, acronym) = combinations[index % len(combinations)]
            name = pattern.format(university=COUNTRIES[country][0], city=city)
            campus = index // len(combinations)
            if campus:
                name = f"{name} (campus {campus + 1})"
            short_name = f"{acronym}{ascii_fold(city)[:3].upper()}"
            if campus:
                short_name = f"{short_name}{campus + 1}"
            ror_id = ""
            if rng.random() < 0.6:
                ror_id = format_ror(rng.randrange(32**6))
                while ror_id in used_ror:
                    ror_id = format_ror(rng.randrange(32**6))
                used_ror.add(ror_id)
            institutions.append(
                Institution(
                    name=name,
                    short_name=short_name,
                    city=city,
                    country=country,
                    website=f"https://www.{slugify(ascii_fold(short_name))}.example.org/",
                    ror_id=ror_id,
                    slug=slugs.take(f"{short_name} {city}"),
                )
            )
        # The organisations that run the series; reused when the archive already has them.
        existing = {
            institution.short_name: institution
            for institution in Institution.objects.filter(
                short_name__in=[short_name for _, short_name, _ in SERIES_ORGANISATIONS]
            )
        }
        self.organisations = []
        for name, short_name, country in SERIES_ORGANISATIONS:
            organisation = existing.get(short_name)
            if organisation is None:
                organisation = Institution(
                    name=name, short_name=short_name, country=country, slug=slugs.take(short_name)
                )
                institutions.append(organisation)
            self.organisations.append(organisation)
        self.insert("institutions", institutions)
        self.institutions = institutions[:count]

    def build_topics_and_projects(self):
        rng = self.rng
        wanted = scaled("topics", self.scale)
        names = [f"{subject} {where}" for subject in TOPIC_SUBJECTS for where in TOPIC_FIELDS]
        names = TOPIC_SUBJECTS + sorted(set(names) - set(TOPIC_SUBJECTS))
        names = names[:wanted]
        existing = {topic.name: topic for topic in Topic.objects.filter(name__in=names)}
        slugs = self.slug_book(Topic)
        new_topics = [
            Topic(
                name=name,
                slug=slugs.take(name),
                description=f"Research on {name[0].lower()}{name[1:]}.",
            )
            for name in names
            if name not in existing
        ]
        self.insert("topics", new_topics)
        self.topics = [existing.get(name) for name in names]
        created = iter(new_topics)
        self.topics = [topic or next(created) for topic in self.topics]

        slugs = self.slug_book(Project)
        projects = []
        for index in range(scaled("projects", self.scale)):
            subject = rng.choice(TOPIC_SUBJECTS)
            acronym = "".join(word[0] for word in subject.split()).upper() + f"-{index + 1}"
            funder, programme = rng.choice(PROJECT_FUNDERS)
            projects.append(
                Project(
                    acronym=acronym,
                    title=f"{subject} for inclusive public services",
                    funder=funder,
                    programme=programme,
                    grant_agreement=str(rng.randrange(100_000, 999_999)),
                    slug=slugs.take(acronym),
                )
            )
        self.projects = self.insert("projects", projects)

    def build_series_and_meetings(self):
        rng = self.rng
        meeting_count = scaled("meetings", self.scale)
        series_count = max(1, math.ceil(meeting_count / MEETINGS_PER_SERIES))
        organisations = self.organisations
        slugs = self.slug_book(Series)
        series_list = []
        for index in range(series_count):
            organisation = organisations[index % len(organisations)]
            subject = TOPIC_SUBJECTS[index % len(TOPIC_SUBJECTS)]
            round_number = index // len(TOPIC_SUBJECTS)
            group = f"Study Group on “{subject}”"
            if round_number:
                group = f"Study Group {round_number + 1} on “{subject}”"
            series_list.append(
                Series(
                    name=f"{organisation.short_name} {group}",
                    short_name=f"{organisation.short_name} {subject}",
                    parent_organisation=organisation,
                    description=f"Scholars and practitioners working on {subject.lower()}.",
                    slug=slugs.take(subject if not round_number else f"{subject} {index}"),
                )
            )
        self.insert("series", series_list)

        slugs = self.slug_book(Meeting)
        hosts = self.institutions
        meetings = []
        per_series = [0] * series_count
        for index in range(meeting_count):
            per_series[index % series_count] += 1
        for series, editions in zip(series_list, per_series, strict=True):
            first_year = rng.randint(1998, 2026 - editions)
            year = first_year
            for edition in range(1, editions + 1):
                host = rng.choice(hosts)
                start = datetime.date(year, rng.randint(3, 11), rng.randint(1, 25))
                meeting = Meeting(
                    series=series,
                    edition=edition,
                    kind=rng.choice(MEETING_KINDS),
                    start_date=start,
                    end_date=start + datetime.timedelta(days=rng.randint(0, 2)),
                    venue=host.name,
                    city=host.city,
                    country=host.country,
                    is_open=rng.random() < 0.8,
                    description=(
                        f"The {edition}th meeting of the group, hosted by {host.name}."
                        if edition > 3
                        else f"An early meeting of the group, hosted by {host.name}."
                    ),
                    slug=slugs.take(f"{series.slug} {year} {host.city}"),
                )
                if series is series_list[0] and edition == editions:
                    # The largest meeting (the first series' latest edition) runs three days.
                    meeting.end_date = start + datetime.timedelta(days=LARGEST_MEETING_DAYS - 1)
                meeting.title = meeting.default_title()
                meetings.append(meeting)
                year += 1 if rng.random() < 0.8 else 2
        self.insert("meetings", meetings)
        self.meetings = meetings

    def build_people(self):
        rng = self.rng
        count = scaled("people", self.scale)
        slugs = self.slug_book(Person)
        used_orcids = set(Person.objects.exclude(orcid="").values_list("orcid", flat=True))
        people = []
        for _ in range(count):
            origin = rng.choice(NAME_ORIGINS)
            given = rng.choice(GIVEN_NAMES[origin])
            # Mixed families: a quarter of family names come from another language.
            family_origin = rng.choice(NAME_ORIGINS) if rng.random() < 0.25 else origin
            family = rng.choice(FAMILY_NAMES[family_origin])
            if rng.random() < 0.35:
                given = f"{given} {rng.choice(INITIALS)}."
            orcid = ""
            if rng.random() < 0.3:
                while not orcid or orcid in used_orcids:
                    orcid = format_orcid(f"0000000{rng.choice('123')}{rng.randrange(10**7):07d}")
                used_orcids.add(orcid)
            people.append(
                Person(
                    given_name=given,
                    family_name=family,
                    orcid=orcid,
                    slug=slugs.take(f"{given} {family}"),
                )
            )
        self.people = self.insert("people", people)

        affiliations = []
        self.person_institutions = []
        for person in people:
            current = rng.choice(self.institutions)
            if rng.random() < 0.3:
                earlier = rng.choice(self.institutions)
                while earlier is current:
                    earlier = rng.choice(self.institutions)
                moved = rng.randint(2005, 2020)
                affiliations.append(
                    Affiliation(
                        person=person,
                        institution=earlier,
                        role=rng.choice(ROLES),
                        start_year=moved - rng.randint(2, 10),
                        end_year=moved,
                    )
                )
                affiliations.append(
                    Affiliation(
                        person=person, institution=current, role=rng.choice(ROLES), start_year=moved
                    )
                )
                self.person_institutions.append((earlier, moved, current))
            else:
                affiliations.append(
                    Affiliation(
                        person=person,
                        institution=current,
                        role=rng.choice(ROLES),
                        start_year=rng.choice([None, rng.randint(1995, 2020)]),
                    )
                )
                self.person_institutions.append((current, 0, current))
        self.insert("affiliations", affiliations)

    def title(self):
        rng = self.rng
        subject = rng.choice(TOPIC_SUBJECTS)
        opener = rng.choice(TITLE_OPENERS)
        return (
            f"{opener} {subject.lower()} in {rng.choice(TITLE_PLACES)}: {rng.choice(TITLE_METHODS)}"
        )

    def abstract(self, subject, year):
        rng = self.rng
        values = {
            "subject": subject,
            "subject_lower": subject.lower(),
            "field": rng.choice(TOPIC_FIELDS),
            "method": rng.choice(TITLE_METHODS),
            "place": rng.choice(TITLE_PLACES),
            "start": year - rng.randint(3, 8),
            "end": year - 1,
        }
        sentences = rng.sample(ABSTRACT_SENTENCES, rng.randint(2, 4))
        return " ".join(sentence.format(**values) for sentence in sentences)

    def build_papers(self):
        """Works and the meeting where each is presented; years follow the meetings."""
        rng = self.rng
        count = scaled("papers", self.scale)
        kinds, weights = zip(*KIND_WEIGHTS, strict=True)
        paper_kinds = rng.choices(kinds, weights, k=count)
        self.plan_presentations(paper_kinds)

        slugs = self.slug_book(Paper)
        used_dois = set(Paper.objects.exclude(doi="").values_list("doi", flat=True))
        first_meeting = {}
        for meeting, paper_index in self.presentation_plan:
            first_meeting.setdefault(paper_index, meeting)
        papers = []
        for index, kind in enumerate(paper_kinds):
            meeting = first_meeting.get(index)
            if meeting is None:
                year = rng.randint(1998, 2025)
            elif kind == Paper.Kind.PRESENTATION:
                year = meeting.start_date.year
            else:
                year = meeting.start_date.year + rng.randint(0, 2)
            subject = rng.choice(TOPIC_SUBJECTS)
            title = self.title()
            paper = Paper(
                title=title,
                abstract=self.abstract(subject, year),
                kind=kind,
                year=year,
                slug=slugs.take(title),
            )
            if kind == Paper.Kind.JOURNAL_ARTICLE:
                journal, prefix, code = rng.choice(JOURNALS)
                paper.journal = journal
                paper.volume = str(max(1, year - 1990))
                paper.issue = str(rng.randint(1, 12))
                paper.pages = f"{(start := rng.randint(1, 900))}–{start + rng.randint(8, 30)}"
                paper.publication_date = datetime.date(year, rng.randint(1, 12), 1)
                doi = ""
                while not doi or doi in used_dois:
                    doi = f"{prefix}/{code}.{year}.{rng.randrange(10**7):07d}"
                used_dois.add(doi)
                paper.doi = doi
            elif kind in (Paper.Kind.BOOK, Paper.Kind.CHAPTER):
                paper.publisher = rng.choice(BOOK_PUBLISHERS)
                if kind == Paper.Kind.CHAPTER:
                    paper.journal = f"Handbook of {subject.lower()}"
                    paper.pages = f"{(start := rng.randint(1, 400))}–{start + rng.randint(12, 30)}"
            elif kind == Paper.Kind.REPORT:
                paper.publisher = rng.choice(self.institutions).name
            papers.append(paper)
        self.papers = self.insert("papers", papers)

        through = Paper.topics.through
        paper_topics = [
            through(paper_id=paper.pk, topic_id=topic.pk)
            for paper in papers
            for topic in rng.sample(self.topics, min(len(self.topics), rng.randint(1, 3)))
        ]
        self.insert("paper topics", paper_topics)
        through = Paper.projects.through
        paper_projects = [
            through(paper_id=paper.pk, project_id=rng.choice(self.projects).pk)
            for paper in papers
            if rng.random() < 0.05
        ]
        self.insert("paper projects", paper_projects)

    def plan_presentations(self, paper_kinds):
        """(meeting, paper index) pairs: one meeting gets 400, the others share the rest."""
        rng = self.rng
        total = scaled("presentations", self.scale)
        meetings = self.meetings
        if len(meetings) == 1:
            sizes = [total]
        else:
            largest = min(LARGEST_MEETING_PRESENTATIONS, total * 2 // 3)
            weights = [rng.uniform(0.3, 1.7) for _ in meetings[1:]]
            shares = [(total - largest) * weight / sum(weights) for weight in weights]
            sizes = [math.floor(share) for share in shares]
            by_remainder = sorted(range(len(shares)), key=lambda i: sizes[i] - shares[i])
            for i in by_remainder[: total - largest - sum(sizes)]:
                sizes[i] += 1
            sizes = [largest, *sizes]
        # The largest meeting is the most recent edition of the first series.
        order = sorted(
            range(len(meetings)),
            key=lambda i: (
                meetings[i].series_id != meetings[0].series_id,
                -meetings[i].start_date.toordinal(),
            ),
        )
        slots = [
            meetings[order[position]] for position, size in enumerate(sizes) for _ in range(size)
        ]

        conference = [i for i, kind in enumerate(paper_kinds) if kind == Paper.Kind.PRESENTATION]
        others = [i for i, kind in enumerate(paper_kinds) if kind != Paper.Kind.PRESENTATION]
        rng.shuffle(others)
        # Every conference paper and three in five other works, up to the total...
        firsts = (conference + others[: len(others) * 3 // 5])[:total]
        # ...and the rest are conference papers presented again at another meeting.
        repeat_count = min(total - len(firsts), len(conference)) if len(meetings) > 1 else 0
        repeats = rng.sample(conference, repeat_count)
        repeated = set(repeats)
        # Each repeated paper's two presentations come first and side by side, so that a slot
        # at a different meeting is always left to swap in.
        order = [index for index in repeats for _ in range(2)]
        order += [index for index in firsts if index not in repeated]
        rng.shuffle(slots)

        plan = []
        for position, paper_index in enumerate(order):
            if position % 2 and position < 2 * repeat_count:
                first_meeting = slots[position - 1]
                other = next(
                    (i for i in range(position, len(slots)) if slots[i] is not first_meeting),
                    None,
                )
                if other is None:
                    continue
                slots[position], slots[other] = slots[other], slots[position]
            plan.append((slots[position], paper_index))
        self.presentation_plan = plan

    def build_authorships(self):
        """1–8 authors a work, prolific people more often; journal articles that extend a
        conference paper keep its authors."""
        rng = self.rng
        people = self.people
        person_count = len(people)
        positions, weights = range(1, len(AUTHOR_COUNT_WEIGHTS) + 1), AUTHOR_COUNT_WEIGHTS
        conference = [p for p in self.papers if p.kind == Paper.Kind.PRESENTATION]
        self.extends = []
        authors_of = {}
        authorships = []
        self.paper_authorships = {}
        self.authors_of = authors_of
        for paper in self.papers:
            chosen = None
            if paper.kind == Paper.Kind.JOURNAL_ARTICLE and conference and rng.random() < 0.5:
                for _ in range(5):
                    earlier = rng.choice(conference)
                    if earlier.year <= paper.year and earlier.pk in authors_of:
                        self.extends.append((paper, earlier))
                        chosen = authors_of[earlier.pk]
                        break
            if chosen is None:
                wanted = min(rng.choices(positions, weights)[0], person_count)
                chosen = []
                while len(chosen) < wanted:
                    # u**1.5 skews towards the front: a few people write dozens of works.
                    index = int(person_count * rng.random() ** 1.5)
                    if index not in chosen:
                        chosen.append(index)
            authors_of[paper.pk] = chosen
            rows = []
            for position, index in enumerate(chosen, start=1):
                earlier, moved, current = self.person_institutions[index]
                rows.append(
                    Authorship(
                        paper=paper,
                        person=people[index],
                        position=position,
                        affiliation=earlier if paper.year < moved else current,
                    )
                )
            self.paper_authorships[paper.pk] = rows
            authorships.extend(rows)
        self.insert("authorships", authorships)

    def build_presentations(self):
        """Each meeting's talks in sessions of three to six, over its days, in parallel rooms,
        with chairs, discussants and breaks (``ProgrammeBuilder``); then the presenters."""
        rng = self.rng
        by_meeting = {}
        for meeting, paper_index in self.presentation_plan:
            by_meeting.setdefault(meeting.pk, (meeting, []))[1].append(self.papers[paper_index])
        largest = max(by_meeting.values(), key=lambda item: (len(item[1]), -item[0].pk))[0]
        programme = ProgrammeBuilder(self)
        for meeting, papers in by_meeting.values():
            papers.sort(key=lambda paper: paper.slug)
            programme.plan(
                meeting, papers, rooms=LARGEST_MEETING_ROOMS if meeting is largest else None
            )
        self.insert("rooms", programme.rooms)
        self.insert("sessions", programme.sessions)
        self.insert("session chairs", programme.chairs)
        presentations = self.insert("presentations", programme.talks)
        self.insert("discussants", programme.discussants_of(presentations))

        presenters = []
        for presentation in presentations:
            authorships = self.paper_authorships[presentation.paper.pk]
            wanted = min(rng.choices([1, 2, 3], [80, 17, 3])[0], len(authorships))
            if wanted == 1 and rng.random() < 0.6:
                chosen = [authorships[0]]
            else:
                chosen = sorted(rng.sample(authorships, wanted), key=lambda a: a.position)
            presenters.extend(
                Presenter(presentation=presentation, authorship=authorship, position=position)
                for position, authorship in enumerate(chosen, start=1)
            )
        self.insert("presenters", presenters)

    def build_relations(self):
        rng = self.rng
        seen = set()
        relations = []
        for source, target in self.extends:
            seen.add((source.pk, target.pk, WorkRelation.Kind.EXTENDS))
            relations.append(
                WorkRelation(
                    source=source,
                    target=target,
                    kind=WorkRelation.Kind.EXTENDS,
                    note="significantly extends research presented earlier",
                )
            )
        papers = self.papers
        for source in papers:
            if rng.random() >= 0.4:
                continue
            for _ in range(rng.randint(1, 3)):
                target = rng.choice(papers)
                key = (source.pk, target.pk, WorkRelation.Kind.CITES)
                if target is source or target.year > source.year or key in seen:
                    continue
                seen.add(key)
                relations.append(
                    WorkRelation(source=source, target=target, kind=WorkRelation.Kind.CITES)
                )
        self.insert("relations", relations)

    def build_meeting_extras(self):
        """Announced topics, supporting projects and organizing committees."""
        rng = self.rng
        meeting_topics, supports, committee = [], [], []
        for meeting in self.meetings:
            topics = rng.sample(self.topics, min(len(self.topics), rng.randint(3, 6)))
            meeting_topics.extend(
                MeetingTopic(meeting=meeting, topic=topic, position=position)
                for position, topic in enumerate(topics, start=1)
            )
            if rng.random() < 0.3:
                projects = rng.sample(self.projects, min(len(self.projects), rng.randint(1, 2)))
                supports.extend(
                    MeetingSupport(
                        meeting=meeting,
                        project=project,
                        kind=rng.choice(MeetingSupport.Kind.values),
                        acknowledged=rng.random() < 0.7,
                        position=position,
                    )
                    for position, project in enumerate(projects, start=1)
                )
            members = rng.sample(range(len(self.people)), min(len(self.people), rng.randint(3, 6)))
            for position, index in enumerate(members, start=1):
                earlier, moved, current = self.person_institutions[index]
                if position == 1:
                    role = CommitteeMember.Role.CHAIR
                elif position == len(members):
                    role = CommitteeMember.Role.LOCAL
                else:
                    role = CommitteeMember.Role.MEMBER
                committee.append(
                    CommitteeMember(
                        meeting=meeting,
                        person=self.people[index],
                        affiliation=earlier if meeting.start_date.year < moved else current,
                        role=role,
                        position=position,
                    )
                )
        self.insert("announced topics", meeting_topics)
        self.insert("supporting projects", supports)
        self.insert("committee members", committee)


def _minutes(time):
    return time.hour * 60 + time.minute


def _time(minutes):
    return datetime.time(minutes // 60, minutes % 60)


def session_sizes(rng, talks, *, at_most=None):
    """Sizes of three to six (fewer only for a meeting of fewer than three talks) that add up
    to ``talks``, in at most ``at_most`` sessions."""
    if talks < 3:
        return [talks] if talks else []
    fewest, most = math.ceil(talks / 6), talks // 3
    count = min(max(round(talks / rng.uniform(4.0, 5.5)), fewest), most)
    if at_most is not None:
        count = max(fewest, min(count, at_most))
    sizes = [talks // count] * count
    for index in rng.sample(range(count), talks - sum(sizes)):
        sizes[index] += 1
    return sizes


class ProgrammeBuilder:
    """The programme of each generated meeting: its talks in sessions of three to six,
    spread over the meeting's days and run in parallel rooms (as many as the busiest day
    needs, four for the largest meeting), each with a chair and most talks with a discussant
    (never an author of the work), and a coffee break and lunch every day."""

    def __init__(self, builder):
        self.builder = builder
        self.rng = builder.rng
        self.rooms, self.sessions, self.chairs, self.talks = [], [], [], []
        self.discussants = []  # (index of the talk, person index, affiliation)

    def affiliation(self, person_index, year):
        earlier, moved, current = self.builder.person_institutions[person_index]
        return earlier if year < moved else current

    def someone_else(self, excluded):
        people = len(self.builder.people)
        while True:
            index = self.rng.randrange(people)
            if index not in excluded or len(excluded) >= people:
                return index

    def plan(self, meeting, papers, *, rooms=None):
        rng = self.rng
        days = meeting.days
        slots_per_day = len(SESSION_SLOTS)
        capacity = None if rooms is None else rooms * slots_per_day * len(days)
        sizes = session_sizes(rng, len(papers), at_most=capacity)
        per_day = [len(sizes) // len(days)] * len(days)
        for index in range(len(sizes) - sum(per_day)):
            per_day[index] += 1
        room_count = max(rooms or 1, math.ceil(max(per_day) / slots_per_day))
        meeting_rooms = [
            Room(
                meeting=meeting,
                name=ROOM_NAMES[index % len(ROOM_NAMES)]
                + (f" ({index // len(ROOM_NAMES) + 1})" if index >= len(ROOM_NAMES) else ""),
                capacity=rng.choice([30, 40, 60, 80, 120]),
                position=index + 1,
            )
            for index in range(room_count)
        ]
        self.rooms.extend(meeting_rooms)
        year = meeting.start_date.year
        slugs = SlugBook()
        titles = {}
        position = 0
        paper_iter = iter(papers)
        size_iter = iter(sizes)
        for day, count in zip(days, per_day, strict=True):
            if not count:
                continue
            planned = []
            for number in range(count):
                slot, room = divmod(number, room_count)
                opens, closes = SESSION_SLOTS[slot]
                planned.append((_minutes(opens), room, opens, closes))
            for title, opens, closes in BREAKS:
                planned.append((_minutes(opens), -1, title, (opens, closes)))
            for _, room, first, second in sorted(planned, key=lambda item: item[:2]):
                position += 1
                if room < 0:
                    self.sessions.append(
                        Session(
                            meeting=meeting,
                            slug=slugs.take(f"{first} {day:%A}"),
                            title=first,
                            kind=Session.Kind.BREAK,
                            day=day,
                            start_time=second[0],
                            end_time=second[1],
                            position=position,
                        )
                    )
                    continue
                theme = rng.choice(TOPIC_SUBJECTS)
                titles[theme] = titles.get(theme, 0) + 1
                numeral = ROMAN[(titles[theme] - 1) % len(ROMAN)]
                title = f"{theme} {numeral}"
                kinds, weights = zip(*SESSION_KINDS, strict=True)
                session = Session(
                    meeting=meeting,
                    slug=slugs.take(title),
                    title=title,
                    kind=rng.choices(kinds, weights)[0],
                    day=day,
                    start_time=first,
                    end_time=second,
                    room=meeting_rooms[room],
                    position=position,
                )
                self.sessions.append(session)
                talks = [next(paper_iter) for _ in range(next(size_iter))]
                authors = {index for paper in talks for index in self.builder.authors_of[paper.pk]}
                chair = self.someone_else(authors)
                self.chairs.append(
                    SessionChair(
                        session=session,
                        person=self.builder.people[chair],
                        affiliation=self.affiliation(chair, year),
                        position=1,
                    )
                )
                length = (_minutes(second) - _minutes(first)) // len(talks) // 5 * 5
                for order, paper in enumerate(talks):
                    talk_start = _minutes(first) + order * length
                    self.talks.append(
                        Presentation(
                            meeting=meeting,
                            paper=paper,
                            session=session,
                            position=order + 1,
                            start_time=_time(talk_start),
                            end_time=_time(talk_start + length),
                        )
                    )
                    wanted = session.kind == Session.Kind.PANEL or rng.random() < 0.5
                    if wanted:
                        person = self.someone_else(set(self.builder.authors_of[paper.pk]))
                        self.discussants.append(
                            (len(self.talks) - 1, person, self.affiliation(person, year))
                        )

    def discussants_of(self, presentations):
        return [
            Discussant(
                presentation=presentations[talk],
                person=self.builder.people[person],
                affiliation=affiliation,
                position=1,
            )
            for talk, person, affiliation in self.discussants
        ]


def generate_sample_data(*, scale=1.0, seed=1, flush=False, progress=None):
    """Generate and insert the sample archive in one transaction; return a ``SampleSummary``.

    ``progress(label, rows, stage_seconds, total_seconds)`` is called after each table.
    With ``flush`` the archive tables are emptied first (in the same transaction).
    """
    if scale <= 0:
        raise ValueError("The scale must be positive.")
    with transaction.atomic():
        if flush:
            flush_archive()
        summary = SampleBuilder(scale=scale, seed=seed, progress=progress).run()
        # bulk_create sends no signals, so the page cache would not learn of the new rows.
        transaction.on_commit(bump_data_version)
    return summary
