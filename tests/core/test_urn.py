"""URNs: parse, build, print, reject malformed text."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from restli_core import RestliEncodeError, Urn, UrnError, encode, reduced_decode, reduced_encode
from restli_core import strategies as rs


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


urns = rs.urns  # one source: the public strategies


@settings(max_examples=150, deadline=None)
@given(urns())
def test_urns_round_trip_exactly(urn: Urn) -> None:
    assert Urn.parse(str(urn)) == urn
    assert str(Urn.parse(str(urn))) == str(urn)
    assert reduced_decode(reduced_encode(urn)) == str(urn)
    assert "(" not in encode(urn) and ":" not in encode(urn)


# --------------------------------------------------------------------------- strictness


@pytest.mark.parametrize(
    "text",
    [
        "urn:li:person:abc\r\n",
        "urn:li:person:a\nb",
        "urn:li:person:a\rb",
        "urn:li:person:a\x00",
        "urn:li:person:a b",
        "urn:li:person:a\tb",
        "urn:li:person:\u00e9",
        "urn:li:person:a%zz",
        "urn:li:person:a%",
        "urn:li:person:a#b",
        "urn:li:person:a?b",
        'urn:li:person:a"b',
        "urn:li:x:(a,b c)",
        "urn:li:x:(urn:li:y:1\n,2)",
        "urn:li:x:(urn:li:y:(1,\x7f),2)",
    ],
)
def test_control_characters_whitespace_and_non_ascii_are_refused(text: str) -> None:
    with pytest.raises(UrnError, match="cannot hold"):
        Urn.parse(text)
    with pytest.raises(UrnError):
        Urn.build("person", text[len("urn:li:person:") :])


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("urn:li:x:a,b", "','"),
        ("urn:li:x:(a(b),c)", "'\\(' after a part"),
        ("urn:li:x:((a,b)c)", "text after"),
        ("urn:li:x:(urn:li:y:,1)", "empty URN id"),
        ("urn:li:x:)(", "unbalanced '\\)'"),
        ("urn:li:x:(a,)", "empty part"),
        ("urn:li:x:(,a)", "empty part"),
        ("urn:li:x:()", "empty part"),
        ("urn:li:x:(urn:li:bad type:1,2)", "entity type"),
        ("urn:li:x:(urn:-:y:1,2)", "namespace"),
    ],
)
def test_malformed_compound_ids_are_refused(text: str, why: str) -> None:
    with pytest.raises(UrnError, match=why):
        Urn.parse(text)


@pytest.mark.parametrize(
    "text",
    [
        "urn:li:person:-f_Ut43FoQ",
        "urn:li:digitalmediaAsset:C5622AQH1xyz-_.~",
        "urn:li:fs_salesProfile:(ACwAAA,NAME_SEARCH,VAKJ)",
        "urn:li:ageRange:(18,24)",
        "urn:li:x:a%2Fb",
        "urn:li:x:a!$&'*+;=:@/b",
        "urn:li:x:(a,(b,c))",  # a nested tuple (Rest.li's TupleKey)
        "urn:li:x:urn:li:y:1",  # a URN as the whole id
        "urn:li:x:urn:li:y:(1,2)",
        "urn:li:x:(urn:li:y:(urn:li:z:1,2),3)",
    ],
)
def test_what_linkedin_urns_hold_is_accepted_and_round_trips(text: str) -> None:
    urn = Urn.parse(text)
    assert str(urn) == text
    assert Urn.parse(str(urn)) == urn
    for part in urn.parts:
        assert isinstance(part, (str, Urn))


def test_parts_of_nested_urns_are_urns() -> None:
    urn = Urn.parse("urn:li:x:(urn:li:y:(urn:li:z:1,2),3)")
    inner = urn.parts[0]
    assert isinstance(inner, Urn) and inner.parts == (Urn.parse("urn:li:z:1"), "2")


def test_a_huge_deep_urn_parses_in_linear_time() -> None:
    # Not a timing measurement: a generous ceiling only a size x depth parser breaks
    # (it took 6 s before; one pass takes about 10 ms).
    leaf = "a" * 1_000_000
    text = "urn:li:x:" + "(urn:li:x:" * 31 + leaf + ")" * 31
    start = time.perf_counter()
    urn = Urn.parse(text)
    assert str(urn) == text
    depth = 0
    while urn.is_compound:
        (part,) = urn.parts
        assert isinstance(part, Urn)
        urn = part
        depth += 1
    assert (depth, urn.id) == (31, leaf)
    assert time.perf_counter() - start < 5  # parse plus walking all 31 levels
    start = time.perf_counter()
    with pytest.raises(UrnError, match="cannot hold"):
        Urn.parse(text[:-40] + " " + text[-40:])  # one bad character at the very end
    with pytest.raises(UrnError, match="nested more than"):
        Urn.parse("urn:li:x:" + "(urn:li:x:" * 40 + leaf + ")" * 40)
    assert time.perf_counter() - start < 2


URN_ALPHABET = "urn:li(),x:y%2F-_.~ \n\x00\u00e9'!abc1"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(URN_ALPHABET) | st.characters(), max_size=60))
def test_any_text_parses_or_raises_urn_error(text: str) -> None:
    try:
        urn = Urn.parse(text)
    except UrnError:
        return
    assert str(urn) == text
    assert text.isascii() and text.isprintable() and " " not in text
    for part in urn.parts:  # a parsed URN's parts parse too
        assert isinstance(part, (str, Urn))
