"""Text helpers shared by the models: slugs, country names."""

from django.utils import translation

from conference.core.text import country_name, slug_base


def test_country_names_follow_the_active_language():
    assert country_name("BE") == "Belgium"
    with translation.override("de"):
        assert country_name("BE") == "Belgien"
    assert country_name("AT") == "Austria"
    assert country_name("") == ""


def test_slug_base_transliterates_and_falls_back_to_item():
    assert slug_base("Université de Liège, Bodø") == "universite-de-liege-bodo"
    assert slug_base("???") == "item"
    assert len(slug_base("word " * 40, max_length=20)) <= 20
