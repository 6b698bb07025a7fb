"""URNs: parse, build, print, reject malformed text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from restli_core import RestliEncodeError, Urn, UrnError, encode, reduced_decode, reduced_encode


def test_simple_urn() -> None:
    urn = Urn.parse("urn:li:person:abc")
    assert (urn.namespace, urn.entity_type, urn.id) == ("li", "person", "abc")
    assert not urn.is_compound
    assert urn.parts == ("abc",)
    assert str(urn) == "urn:li:person:abc"
    assert repr(urn) == "Urn('urn:li:person:abc')"


def test_compound_urn_with_a_nested_urn() -> None:
    text = "urn:li:sponsoredCreative:(urn:li:sponsoredCampaign:123,456)"
    urn = Urn.parse(text)
    assert urn.entity_type == "sponsoredCreative"
    assert urn.is_compound
    assert urn.parts == (Urn.parse("urn:li:sponsoredCampaign:123"), "456")
    assert str(urn) == text


def test_doubly_nested_compound_urn_round_trips() -> None:
    text = "urn:li:x:(urn:li:y:(urn:li:z:1,2),urn:li:w:3,plain)"
    urn = Urn.parse(text)
    assert str(urn) == text
    inner = urn.parts[0]
    assert isinstance(inner, Urn)
    assert inner.parts == (Urn.parse("urn:li:z:1"), "2")


def test_build() -> None:
    campaign = Urn.build("sponsoredCampaign", 123)
    assert str(campaign) == "urn:li:sponsoredCampaign:123"
    creative = Urn.build("sponsoredCreative", campaign, 456)
    assert str(creative) == "urn:li:sponsoredCreative:(urn:li:sponsoredCampaign:123,456)"
    assert Urn.build("thing", "a", namespace="lla") == Urn.parse("urn:lla:thing:a")


def test_urns_are_values() -> None:
    a = Urn.parse("urn:li:person:abc")
    assert a == Urn("li", "person", "abc")
    assert len({a, Urn.parse("urn:li:person:abc")}) == 1
    assert Urn.parse(a) is a


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "must start with 'urn:'"),
        ("person:abc", "must start with 'urn:'"),
        ("urn:li:person", "urn:<namespace>:<type>:<id>"),
        ("urn::person:1", "namespace"),
        ("urn:li::1", "entity type"),
        ("urn:li:person:", "empty URN id"),
        ("urn:li:x:(a,b", "unbalanced '\\('"),
        ("urn:li:x:a)", "unbalanced '\\)'"),
        ("urn:li:x:(a,,b)", "empty part"),
        ("urn:li:x:(a,b)c", "one '\\(...\\)' group"),
        ("urn:li:x:(urn:li:y,2)", "urn:<namespace>:<type>:<id>"),
        ("urn:li:x:" + "(" * 40 + "a" + ")" * 40, "nested more than"),
        ("urn:li:x:" + "(" * 100_000, "unbalanced"),
    ],
)
def test_malformed_urns_are_rejected_clearly(text: str, why: str) -> None:
    with pytest.raises(UrnError, match=why):
        Urn.parse(text)


def test_urn_error_is_a_value_error_of_the_library() -> None:
    assert issubclass(UrnError, RestliEncodeError)
    assert issubclass(UrnError, ValueError)
    with pytest.raises(UrnError, match="text, not int"):
        Urn.parse(123)  # type: ignore[arg-type]
    with pytest.raises(UrnError):
        Urn.build("x")
    with pytest.raises(UrnError):
        Urn("li", "bad type!", "1")


ids = st.text(alphabet="abcXYZ019-_.~", min_size=1, max_size=6)


@st.composite
def urns(draw: st.DrawFn, depth: int = 0) -> Urn:
    entity = draw(st.sampled_from(["person", "sponsoredCampaign", "organization"]))
    if depth < 2 and draw(st.booleans()):
        parts = draw(st.lists(st.one_of(ids, urns(depth + 1)), min_size=1, max_size=3))
        return Urn.build(entity, *parts) if len(parts) > 1 else Urn.build(entity, parts[0])
    return Urn.build(entity, draw(ids))


@settings(max_examples=150, deadline=None)
@given(urns())
def test_urns_round_trip_exactly(urn: Urn) -> None:
    assert Urn.parse(str(urn)) == urn
    assert str(Urn.parse(str(urn))) == str(urn)
    assert reduced_decode(reduced_encode(urn)) == str(urn)
    assert "(" not in encode(urn) and ":" not in encode(urn)
