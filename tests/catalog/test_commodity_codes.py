"""The commodity-code tree: known codes, names in both languages, parents and children."""

import pytest

from cooplab.catalog.commodity_codes import commodity_catalog, parse_commodity_catalog
from cooplab.vocab.processes import Process


def test_the_car_headings_the_issue_names_are_known():
    catalog = commodity_catalog()
    for code in [
        "8708.10",
        "8708.29",
        "8708.30",
        "8708.40",
        "8708.50",
        "8708.70",
        "8708.80",
        "8708.91",
        "8708.92",
        "8708.93",
        "8708.94",
        "8708.95",
        "9401.20",
        "8512",
        "8544.30",
        "8507",
        "8415.20",
        "8407",
        "8409",
        "8483",
        "4011",
        "7007",
        "3926",
        "4016",
        "7318",
        "7326",
        "8301",
        "8421",
        "8481",
        "8511",
        "9029",
        "9032",
    ]:
        assert catalog.is_known(code), code
    assert catalog.edition == "HS 2022" and catalog.source and catalog.as_of


def test_names_parents_children_and_national_lines():
    catalog = commodity_catalog()
    assert catalog.name("870829", "ru").startswith("Прочие части кузова")
    assert catalog.name("8708.29") == "Other body parts (panels, doors, trim)"
    assert [p.code for p in catalog.parents("8708.29.1000")] == ["870829", "8708", "87"]
    assert catalog.is_known("8708291000") and not catalog.is_known("8708.77")
    assert not catalog.is_known("87a8") and catalog.name("0101") is None
    assert "870840" in [c.code for c in catalog.children("8708")]
    assert catalog.find("94").level == "chapter" and catalog.find("9401").level == "heading"
    assert Process.WIRE_HARNESS in catalog.processes("8544.30.0000")
    assert catalog.processes("8708") == ()  # the heading lists none of its own
    tree = catalog.tree("ru")
    assert tree[0]["children"] and all(node["name"] for node in tree)


def test_every_code_has_both_names_and_hangs_under_its_parent():
    for entry in commodity_catalog().codes.values():
        assert entry.names["ru"] and entry.names["en"]
    with pytest.raises(ValueError, match="parent"):
        parse_commodity_catalog(
            {
                "nomenclature": "x",
                "edition": "x",
                "source": "x",
                "as_of": None,
                "codes": [{"code": "8708", "en": "a", "ru": "б"}],
            }
        )
