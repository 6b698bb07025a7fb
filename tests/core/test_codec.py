"""The Rest.li 2.0 value codec: tables from PROTOCOL.md §1-3 and Hypothesis properties."""

from __future__ import annotations

import enum
import json
import re
import string
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from restli_core import (
    RequestBuilder,
    RestliDecodeError,
    RestliEncodeError,
    RestliError,
    RestliUsageError,
    Urn,
    decode,
    encode,
    encode_path,
    param_encode,
    reduced_decode,
    reduced_encode,
)
from restli_core import strategies as rs
from restli_core._codec import MAX_DEPTH, java_double

# --------------------------------------------------------------------------- §2 examples


@pytest.mark.parametrize(
    ("value", "query", "path", "reduced"),
    [
        (
            {"this is a key": ["/", "=", "&"]},
            "(this%20is%20a%20key:List(/,%3D,%26))",
            "(this%20is%20a%20key:List(%2F,=,&))",
            "(this is a key:List(/,=,&))",
        ),
        (
            {",": ["'", "(", ")", ":"]},
            "(%2C:List(%27,%28,%29,%3A))",
            "(%2C:List(%27,%28,%29,%3A))",
            "(%2C:List(%27,%28,%29,%3A))",
        ),
        (
            "urn:li:organization:123",
            "urn%3Ali%3Aorganization%3A123",
            "urn%3Ali%3Aorganization%3A123",
            "urn%3Ali%3Aorganization%3A123",
        ),
    ],
)
def test_protocol_examples(value: object, query: str, path: str, reduced: str) -> None:
    assert encode(value) == query
    assert encode_path(value) == path
    assert reduced_encode(value) == reduced


# One row per line of the escaping table in PROTOCOL.md §2.
ESCAPING_TABLE = [
    # char, path, query, reduced
    ("(", "%28", "%28", "%28"),
    (")", "%29", "%29", "%29"),
    (",", "%2C", "%2C", "%2C"),
    (":", "%3A", "%3A", "%3A"),
    ("'", "%27", "%27", "%27"),
    ("%", "%25", "%25", "%25"),
    (" ", "%20", "%20", " "),
    ("/", "%2F", "/", "/"),
    ("?", "%3F", "?", "?"),
    (";", "%3B", ";", ";"),
    ("=", "=", "%3D", "="),
    ("&", "&", "%26", "&"),
    ("+", "+", "%2B", "+"),
    ("#", "%23", "%23", "#"),
    ('"', "%22", "%22", '"'),
    ("[", "%5B", "%5B", "["),
    ("]", "%5D", "%5D", "]"),
    ("{", "%7B", "%7B", "{"),
    ("}", "%7D", "%7D", "}"),
    ("|", "%7C", "%7C", "|"),
    ("\\", "%5C", "%5C", "\\"),
    ("^", "%5E", "%5E", "^"),
    ("`", "%60", "%60", "`"),
    ("<", "%3C", "%3C", "<"),
    (">", "%3E", "%3E", ">"),
    ("é", "%C3%A9", "%C3%A9", "é"),
    ("日", "%E6%97%A5", "%E6%97%A5", "日"),
    ("😀", "%F0%9F%98%80", "%F0%9F%98%80", "😀"),
    # allowed literally
    ("!", "!", "!", "!"),
    ("$", "$", "$", "$"),
    ("*", "*", "*", "*"),
    ("@", "@", "@", "@"),
    ("-._~", "-._~", "-._~", "-._~"),
    ("aZ09", "aZ09", "aZ09", "aZ09"),
]


@pytest.mark.parametrize(("char", "path", "query", "reduced"), ESCAPING_TABLE)
def test_escaping_table(char: str, path: str, query: str, reduced: str) -> None:
    assert encode_path(char) == path
    assert encode(char) == query
    assert reduced_encode(char) == reduced
    # and inside a structure, the grammar characters stay literal
    assert encode({"k": [char]}) == f"(k:List({query}))"


def test_control_characters_are_percent_encoded_in_urls() -> None:
    assert encode("a\nb\x00") == "a%0Ab%00"
    assert encode_path("\t") == "%09"


# --------------------------------------------------------------------------- §1 values


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "''"),
        ([""], "List('')"),
        ({"": ""}, "('':'')"),
        ({"a": ""}, "(a:'')"),
        ([], "List()"),
        ({}, "()"),
        ((1, 2), "List(1,2)"),
        (True, "true"),
        (False, "false"),
        (0, "0"),
        (-12, "-12"),
        (10**20, "100000000000000000000"),
        ({"b": 1, "a": None, "c": [True]}, "(b:1,c:List(true))"),
        ([["x"], {"y": []}], "List(List(x),(y:List()))"),
        # Java String order: uppercase < '_' < lowercase
        ({"B": 1, "a": 2, "_": 3}, "(B:1,_:3,a:2)"),
    ],
)
def test_values(value: object, expected: str) -> None:
    assert encode(value) == expected


def test_empty_string_is_two_apostrophes_in_every_context() -> None:
    for enc in (encode, encode_path, reduced_encode):
        assert enc("") == "''"
        assert enc([""]) == "List('')"


def test_literal_two_apostrophes_differ_from_empty_string() -> None:
    assert encode("''") == "%27%27"
    assert decode("%27%27") == "''"
    assert decode("''") == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3.2, "3.2"),
        (1e10, "1.0E10"),
        (1e-5, "1.0E-5"),
        (1e16, "1.0E16"),
        (1.0, "1.0"),
        (100.0, "100.0"),
        (0.001, "0.001"),
        (0.0001, "1.0E-4"),
        (1234567.0, "1234567.0"),
        (9999999.0, "9999999.0"),
        (1e7, "1.0E7"),
        (12345678.9, "1.23456789E7"),
        (-2.5, "-2.5"),
        (0.0, "0.0"),
        (-0.0, "-0.0"),
        (5e-324, "4.9E-324"),  # Java's two-digit rule, not Python's shortest "5e-324"
        (1e23, "1.0E23"),
        (2e-323, "2.0E-323"),
        (1.7976931348623157e308, "1.7976931348623157E308"),
        (0.1 + 0.2, "0.30000000000000004"),
    ],
)
def test_floats_use_java_double_to_string(value: float, expected: str) -> None:
    assert encode(value) == expected
    assert java_double(value) == expected
    assert "+" not in encode(value)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_floats_have_no_form(value: float) -> None:
    with pytest.raises(RestliEncodeError, match="no Rest.li form"):
        encode(value)


class Status(enum.Enum):
    ACTIVE = "ACTIVE"
    PAUSED = "PAUSED STATE"


class Level(enum.IntEnum):
    HIGH = 3


class Color(str, enum.Enum):
    RED = "red:dark"


def test_enums_encode_as_their_value() -> None:
    assert encode(Status.ACTIVE) == "ACTIVE"
    assert encode([Status.PAUSED]) == "List(PAUSED%20STATE)"
    assert encode(Level.HIGH) == "3"
    assert encode(Color.RED) == "red%3Adark"
    assert encode({Color.RED: 1}) == "(red%3Adark:1)"


def test_urns_encode_as_their_text_everywhere() -> None:
    urn = Urn.parse("urn:li:sponsoredCreative:(urn:li:sponsoredCampaign:123,456)")
    text = str(urn)
    assert encode(urn) == encode(text)
    assert encode_path(urn) == encode_path(text)
    assert reduced_encode(urn) == reduced_encode(text)
    assert encode({"k": [urn]}) == f"(k:List({encode(text)}))"
    assert encode({urn: 1}) == f"({encode(text)}:1)"
    assert decode(encode(urn)) == text


@pytest.mark.parametrize(
    ("value", "where"),
    [
        (None, "value"),
        ([None], r"value\[0\]"),
        ({"a": {"b": [1, None]}}, r"value\['a'\]\['b'\]\[1\]"),
        ({"a": {1, 2}}, r"value\['a'\].*set"),
        (b"bytes", "bytes"),
        (object(), "object"),
        ({1: "x"}, "map keys must be strings"),
        ([1.5, float("nan")], r"value\[1\]"),
    ],
)
def test_unencodable_values_say_what_and_where(value: object, where: str) -> None:
    with pytest.raises(RestliEncodeError, match=where):
        encode(value)


def test_self_containing_value_is_an_encode_error() -> None:
    loop: list[object] = []
    loop.append(loop)
    with pytest.raises(RestliEncodeError, match="nested more than 100 levels"):
        encode(loop)


def test_non_bmp_keys_sort_in_utf16_order() -> None:
    # U+FF21 (fullwidth A) is a single UTF-16 unit 0xFF21; U+1F600 is the surrogate
    # pair D83D DE00, which Java sorts *before* it (code-point order would not).
    assert reduced_encode({"\uff21": 1, "\U0001f600": 2}) == "(\U0001f600:2,\uff21:1)"


# --------------------------------------------------------------------------- param_encode


def test_param_encode_readme_finder_query() -> None:
    query = param_encode(
        {
            "q": "search",
            "search": {
                "status": {"values": ["ACTIVE", "DRAFT"]},
                "reference": {"values": ["urn:li:organization:123"]},
                "test": True,
            },
            "start": 0,
            "count": 5,
        }
    )
    assert query == (
        "count=5&q=search&search=(reference:(values:List(urn%3Ali%3Aorganization%3A123)),"
        "status:(values:List(ACTIVE,DRAFT)),test:true)&start=0"
    )


def test_param_encode_sorts_by_encoded_name_and_drops_none() -> None:
    assert param_encode({"b": 1, "a b": 2, "A": 3, "skip": None}) == "A=3&a%20b=2&b=1"
    assert param_encode(None) == ""
    assert param_encode({}) == ""
    assert param_encode({"x": None}) == ""


def test_projections_are_masks_not_values() -> None:
    assert param_encode({"fields": "id,name"}) == "fields=id,name"
    assert param_encode({"fields": ["id", "name", "account:(id)"]}) == "fields=id,name,account:(id)"
    assert param_encode({"metadataFields": "x", "pagingFields": "total"}) == (
        "metadataFields=x&pagingFields=total"
    )
    assert param_encode({"fields": "a b"}) == "fields=a%20b"
    with pytest.raises(RestliEncodeError, match="'fields'"):
        param_encode({"fields": 3})


def test_the_v2_projection_is_a_mask_sent_as_written() -> None:
    # LinkedIn's v2 APIs: projection=(...), with decorations (~) and nested masks.
    mask = "(id,firstName,profilePicture(displayImage~:playableStreams))"
    assert param_encode({"projection": mask}) == f"projection={mask}"
    assert param_encode({"projection": ["id", "localizedFirstName"]}) == (
        "projection=id,localizedFirstName"
    )
    assert param_encode({"projection": "(id,a b)"}) == "projection=(id,a%20b)"
    with pytest.raises(RestliEncodeError, match="'projection'"):
        param_encode({"projection": {"id": True}})
    with pytest.raises(RestliEncodeError, match="'projection'"):
        param_encode({"projection": "(id,\ud800)"})


def test_the_v2_projection_url_is_exact() -> None:
    builder = RequestBuilder()
    request = builder.get(
        resource_path="/me",
        query_params={"projection": "(id,firstName,profilePicture(displayImage~:playableStreams))"},
        access_token="t",
    )
    assert request.url == (
        "https://api.linkedin.com/v2/me"
        "?projection=(id,firstName,profilePicture(displayImage~:playableStreams))"
    )
    people = builder.batch_get(
        resource_path="/people",
        ids=["(id:abc)", "x y"],
        query_params={"projection": "(results*(id,localizedFirstName))"},
        access_token="t",
    )
    assert people.url == (
        "https://api.linkedin.com/v2/people?ids=List(%28id%3Aabc%29,x%20y)"
        "&projection=(results*(id,localizedFirstName))"
    )


def test_param_encode_names_the_bad_parameter() -> None:
    with pytest.raises(RestliEncodeError, match="query parameter 'search'"):
        param_encode({"search": {"x": [None]}})
    with pytest.raises(RestliEncodeError, match="names must be strings"):
        param_encode({1: "x"})  # type: ignore[dict-item]


# --------------------------------------------------------------------------- §3 decoding


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("abc", "abc"),
        ("''", ""),
        ("%27%27", "''"),
        ("List()", []),
        ("()", {}),
        ("List('')", [""]),
        ("('':'')", {"": ""}),
        ("(a:b,c:List(1,2))", {"a": "b", "c": ["1", "2"]}),
        ("List(List(),(),(x:List(())))", [[], {}, {"x": [{}]}]),
        ("a+b", "a+b"),  # + is never a space
        ("%C3%A9t%C3%A9", "été"),
        ("List", "List"),
        ("(List:x)", {"List": "x"}),
        ("(this%20is%20a%20key:List(/,%3D,%26))", {"this is a key": ["/", "=", "&"]}),
        ("urn%3Ali%3Aorganization%3A123", "urn:li:organization:123"),
    ],
)
def test_decode_table(text: str, expected: object) -> None:
    assert decode(text) == expected


@pytest.mark.parametrize(
    ("text", "column", "what"),
    [
        ("", 1, "empty input"),
        ("(a:b", 5, "missing"),
        ("List(a", 7, "missing"),
        ("(a:b)x", 6, "unexpected text"),
        ("(a:b))", 6, "unexpected"),
        ("(a,b)", 3, "expected ':'"),
        ("(a:b,c)", 7, "expected ':'"),
        ("List(a,,b)", 8, "expected a value"),
        ("List(a,)", 8, "expected a value"),
        ("(a:b,)", 6, "expected a map key"),
        ("(:b)", 2, "expected a map key"),
        ("(a:)", 4, "expected a value"),
        ("x(a)", 2, "unexpected '('"),
        ("a:b", 2, "unexpected ':'"),
        ("List(a:b)", 7, "unexpected ':'"),
        ("%zz", 1, "bad percent-escape"),
        ("ab%4", 3, "bad percent-escape"),
        ("(k:%ff)", 4, "not valid UTF-8"),
        (",", 1, "expected a value"),
        (")", 1, "expected a value"),
    ],
)
def test_strict_decoder_names_problem_and_column(text: str, column: int, what: str) -> None:
    for dec in (decode, reduced_decode):
        with pytest.raises(RestliDecodeError, match=re.escape(what)) as info:
            dec(text)
        assert info.value.column == column
        assert f"column {column}" in str(info.value)


def test_decode_rejects_non_text() -> None:
    with pytest.raises(RestliDecodeError):
        decode(b"abc")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "(" * 1_000_000,
        "List(" * 200_000,
        "List(a" + "," * 1_000_000,
        "(a:" * 300_000,
        "List(" * 100_000 + ")" * 100_000,
        "(a:b," * 200_000 + "c",
        "%" * 1_000_000,
        "%41" * 330_000 + "%",
    ],
    ids=["parens", "lists", "commas", "deep-maps", "deep-valid", "wide-map", "percents", "escapes"],
)
def test_pathological_inputs_are_linear_and_safe(text: str) -> None:
    # Not a timing assertion: a generous ceiling that only a quadratic or runaway
    # decoder would break (the real figures are in benchmarks/).
    start = time.perf_counter()
    try:
        decode(text)
    except RestliDecodeError:
        pass
    assert time.perf_counter() - start < 10


def test_nesting_up_to_max_depth_decodes_and_no_deeper() -> None:
    assert MAX_DEPTH == 100
    for dec in (decode, reduced_decode):
        value = dec("List(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH)
        depth = 0
        while isinstance(value, list):
            value = value[0]
            depth += 1
        assert (depth, value) == (MAX_DEPTH, "x")
        deep = dec("(a:" * MAX_DEPTH + "b" + ")" * MAX_DEPTH)
        assert json.loads(json.dumps(deep)) == deep  # printable, serialisable
        repr(deep)


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("List(" * 101 + "x" + ")" * 101, 5 * 100 + 5),
        ("(a:" * 101 + "b" + ")" * 101, 3 * 100 + 1),
        ("(a:" * 5000, 3 * 100 + 1),  # refused before the missing ')' is seen
        ("List(" * 50 + "(a:" * 51 + "x", 5 * 50 + 3 * 50 + 1),
    ],
)
def test_deeper_nesting_is_a_decode_error_with_its_column(text: str, column: int) -> None:
    for dec in (decode, reduced_decode):
        with pytest.raises(RestliDecodeError, match="nested more than 100 levels") as info:
            dec(text)
        assert info.value.column == column
        assert text[column - 1] == "("


def test_the_encoder_writes_nothing_the_decoder_refuses() -> None:
    value: object = "x"
    for _ in range(MAX_DEPTH):
        value = [value]
    for enc, dec in ((encode, decode), (encode_path, decode), (reduced_encode, reduced_decode)):
        assert dec(enc(value)) == value
        with pytest.raises(RestliEncodeError, match="nested more than 100 levels"):
            enc({"a": value})
    with pytest.raises(RestliEncodeError, match="query parameter 'q'.*nested more than"):
        param_encode({"q": [value]})
    many = [{"k": [{"v": str(i)}]} for i in range(5000)]  # wide, shallow: fine
    assert decode(encode(many)) == many
    for depth in (150, 5000):  # deeper than Python's recursion limit too
        deep: object = "x"
        for _ in range(depth):
            deep = {"a": deep}
        with pytest.raises(RestliEncodeError, match="nested more than 100 levels"):
            encode(deep)


# --------------------------------------------------------------------------- properties

# One source for the strategies: the public kit users test their own code with.
text_strategy = rs.restli_strings()
values = rs.restli_values()


@settings(max_examples=200, deadline=None)
@given(values)
def test_decode_inverts_encode(value: object) -> None:
    rs.assert_round_trip(value, "query")


@settings(max_examples=200, deadline=None)
@given(values)
def test_reduced_decode_inverts_reduced_encode(value: object) -> None:
    rs.assert_round_trip(value, "reduced")


@settings(max_examples=200, deadline=None)
@given(values)
def test_path_encoding_round_trips(value: object) -> None:
    rs.assert_round_trip(value, "path")


def _stringify(value: object) -> object:
    if isinstance(value, dict):
        return {k: _stringify(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_stringify(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return encode(value) if isinstance(value, float) else str(value)


scalars = st.one_of(
    text_strategy,
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
)
typed_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(text_strategy, st.one_of(children, st.none()), max_size=4),
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(typed_values)
def test_leaves_come_back_as_strings(value: object) -> None:
    assert decode(encode(value)) == _stringify(value)


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_float_text_reads_back_as_the_same_double(value: float) -> None:
    text = java_double(value)
    assert float(text) == value
    assert "+" not in text and "e" not in text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from("(),:%'List0aA9 é") | st.characters(), max_size=60))
def test_decoder_robustness(text: str) -> None:
    for dec in (decode, reduced_decode):
        try:
            dec(text)
        except RestliDecodeError as exc:
            assert exc.column is None or 1 <= exc.column <= len(text) + 1
        except Exception as exc:  # pragma: no cover - the property under test
            pytest.fail(f"{dec.__name__}({text!r}) raised {type(exc).__name__}: {exc}")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=string.printable, max_size=40))
def test_encoded_text_holds_no_stray_characters(text: str) -> None:
    q = encode(text)
    assert all(c not in q for c in ' "#<>[]\\^`{|}=&+')
    p = encode_path(text)
    assert all(c not in p for c in ' "#<>[]\\^`{|}/?;')


def test_errors_are_value_errors_under_one_root() -> None:
    assert issubclass(RestliDecodeError, ValueError)
    assert issubclass(RestliEncodeError, ValueError)
    assert issubclass(RestliDecodeError, RestliError)
    assert issubclass(RestliEncodeError, RestliError)


def test_param_encode_of_something_else_than_a_mapping_is_a_misuse() -> None:
    assert param_encode(None) == param_encode({}) == ""
    with pytest.raises(RestliUsageError, match="params must be a dict"):
        param_encode([("a", 1)])  # type: ignore[arg-type]
