import pytest
from django.core.exceptions import ValidationError

from conference.core.identifiers import normalize_doi, normalize_orcid, normalize_ror


@pytest.mark.parametrize(
    "value",
    [
        "0000-0002-1825-0097",
        "000000021825OO97".replace("O", "0"),
        "https://orcid.org/0000-0002-1825-0097",
        " orcid.org/0000-0002-1825-0097 ",
    ],
)
def test_orcid_accepts_bare_and_url_forms(value):
    assert normalize_orcid(value) == "0000-0002-1825-0097"


def test_orcid_with_x_check_digit_is_valid():
    assert normalize_orcid("0000-0002-9079-593x") == "0000-0002-9079-593X"


def test_orcid_with_wrong_check_digit_is_rejected_with_reason():
    with pytest.raises(ValidationError) as error:
        normalize_orcid("0000-0002-1825-0098")
    assert "check digit does not match" in error.value.messages[0]


@pytest.mark.parametrize("value", ["1234", "0000-0002-1825-00977", "abcd-efgh-ijkl-mnop", ""])
def test_orcid_of_wrong_shape_is_rejected(value):
    with pytest.raises(ValidationError) as error:
        normalize_orcid(value)
    assert "is not an ORCID iD" in error.value.messages[0]


@pytest.mark.parametrize(
    "value",
    [
        "10.3390/admsci13020043",
        "doi:10.3390/admsci13020043",
        "https://doi.org/10.3390/ADMSCI13020043",
        "http://dx.doi.org/10.3390/admsci13020043",
    ],
)
def test_doi_accepts_prefixed_forms_and_stores_lower_case(value):
    assert normalize_doi(value) == "10.3390/admsci13020043"


@pytest.mark.parametrize(
    "value", ["10.33/short", "11.3390/x", "doi:", "not a doi", "10.3390/with space"]
)
def test_doi_of_wrong_shape_is_rejected(value):
    with pytest.raises(ValidationError) as error:
        normalize_doi(value)
    assert "is not a DOI" in error.value.messages[0]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("016xsfp80", "016xsfp80"), ("https://ror.org/05F950310", "05f950310")],
)
def test_ror_accepts_bare_and_url_forms(value, expected):
    assert normalize_ror(value) == expected


def test_ror_with_wrong_check_digits_is_rejected():
    with pytest.raises(ValidationError) as error:
        normalize_ror("016xsfp81")
    assert "check digits do not match" in error.value.messages[0]


@pytest.mark.parametrize("value", ["16xsfp80", "016xsfp8", "0lixsfp80", "https://ror.org/"])
def test_ror_of_wrong_shape_is_rejected(value):
    with pytest.raises(ValidationError) as error:
        normalize_ror(value)
    assert "is not a ROR id" in error.value.messages[0]
