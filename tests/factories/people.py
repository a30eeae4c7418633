import factory

from people.models import Affiliation, Institution, InstitutionName, Person


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"University of Testing {n}")
    short_name = factory.Sequence(lambda n: f"UT{n}")
    city = "Leuven"
    country = "BE"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_name = factory.Faker("first_name")
    family_name = factory.Sequence(lambda n: f"Müller{n}")


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    institution = factory.SubFactory(InstitutionFactory)
    start_year = 2020


class InstitutionNameFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InstitutionName

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"Former College {n}")
    kind = InstitutionName.Kind.FORMER
