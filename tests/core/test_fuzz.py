"""Over 100,000 random and mutated inputs through ``decode``, ``reduced_decode`` and
``Urn.parse``: each either gives a valid result or raises the library's error
(RestliDecodeError with a column, UrnError), never another exception, never a hang.

Hypothesis explores the same properties elsewhere (test_codec, test_urn) with
shrinking; this test buys volume instead: a seeded generator mutates valid
encodings (inserting, deleting and replacing characters from an alphabet rich in
``( ) , : ' %`` and escapes) and adds random text, so a run is reproducible and
takes a few seconds.
"""

from __future__ import annotations

import random
import time
from typing import Any

from restli_core import (
    RestliDecodeError,
    Urn,
    UrnError,
    decode,
    encode,
    encode_path,
    reduced_decode,
    reduced_encode,
)
from restli_core._codec import MAX_DEPTH

SEED = 20240611
INPUTS = 100_000
# Grammar characters, escapes (valid, truncated, bad, UTF-8 and broken UTF-8),
# the empty string's spelling, URN pieces and a few non-ASCII characters.
PIECES = [
    *"(),:'%",
    "List(",
    "List",
    "()",
    "''",
    "%28",
    "%29",
    "%2C",
    "%3A",
    "%27",
    "%25",
    "%2",
    "%",
    "%zz",
    "%C3%A9",
    "%C3",
    "%FF",
    "%e2%82%ac",
    "urn:li:x:",
    "urn:",
    "(urn:li:y:",
    *'ab1 .-_~+/=&?#\\"',
    "\u00e9",
    "\u20ac",
    "\U0001f600",
    "\x00",
    "\n",
    "\t",
]
WORDS = ["a", "b", "id", "ACTIVE", "urn:li:sponsoredAccount:1", "", "x y", "é", "List", "''"]


def random_value(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if depth > 4 or roll < 0.4:
        return rng.choice(WORDS) + (str(rng.randint(0, 99)) if rng.random() < 0.3 else "")
    if roll < 0.7:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {rng.choice(WORDS): random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))}


def random_urn(rng: random.Random, depth: int = 0) -> str:
    entity = rng.choice(["person", "sponsoredCampaign", "x"])
    if depth < 3 and rng.random() < 0.4:
        parts = [
            random_urn(rng, depth + 1) if rng.random() < 0.5 else rng.choice(["1", "abc", "A-_"])
            for _ in range(rng.randint(1, 3))
        ]
        return f"urn:li:{entity}:({','.join(parts)})"
    return f"urn:li:{entity}:{rng.choice(['1', 'abc', '-f_Ut43FoQ', 'C5622AQ'])}"


def seeds(rng: random.Random) -> list[str]:
    out = []
    for _ in range(300):
        value = random_value(rng)
        out += [encode(value), encode_path(value), reduced_encode(value)]
        out.append(random_urn(rng))
    out += ["List(" * MAX_DEPTH + ")" * MAX_DEPTH, "(a:" * MAX_DEPTH + "b" + ")" * MAX_DEPTH]
    return out


def mutate(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, len(text))
        roll = rng.random()
        if roll < 0.4:
            text = text[:at] + rng.choice(PIECES) + text[at:]
        elif roll < 0.7:
            text = text[:at] + text[at + rng.randint(1, 3) :]
        elif roll < 0.95:
            text = text[:at] + rng.choice(PIECES) + text[at + 1 :]
        else:  # a burst: deep nesting, long runs
            text = (
                text[:at]
                + rng.choice(["(a:", "List(", "%", ",", "(urn:li:x:"]) * rng.randint(50, 400)
                + text[at:]
            )
    return text


def random_text(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 30)))


def only_text(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if not all(isinstance(key, str) for key in item):
                return False
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif not isinstance(item, str):
            return False
    return True


def check_decoders(text: str) -> bool:
    decoded = False
    for dec, enc in ((decode, encode), (reduced_decode, reduced_encode)):
        try:
            value = dec(text)
        except RestliDecodeError as exc:
            assert exc.column is None or 1 <= exc.column <= len(text) + 1, (text, exc)
            continue
        except Exception as exc:  # pragma: no cover - the property under test
            raise AssertionError(f"{dec.__name__}({text!r}) raised {exc!r}") from exc
        decoded = True
        assert only_text(value), (text, value)
        # What decodes re-encodes to text that decodes to the same value.
        assert dec(enc(value)) == value, text
    return decoded


def check_urn(text: str) -> bool:
    try:
        urn = Urn.parse(text)
    except UrnError:
        return False
    except Exception as exc:  # pragma: no cover - the property under test
        raise AssertionError(f"Urn.parse({text!r}) raised {exc!r}") from exc
    assert str(urn) == text
    assert all(isinstance(part, (str, Urn)) for part in urn.parts)
    return True


def test_a_hundred_thousand_random_and_mutated_inputs() -> None:
    rng = random.Random(SEED)
    pool = seeds(rng)
    start = time.perf_counter()
    decoded = urns = 0
    for number in range(INPUTS):
        text = random_text(rng) if number % 5 == 0 else mutate(rng, rng.choice(pool))
        decoded += check_decoders(text)
        urns += check_urn(text)
    elapsed = time.perf_counter() - start
    # The mix holds both outcomes (a generator that only made garbage, or only
    # valid text, would test little).
    assert 5_000 < decoded < INPUTS - 5_000, decoded
    assert 1_000 < urns < INPUTS - 5_000, urns
    # Not a timing assertion: a ceiling only a hang or a quadratic path would break.
    assert elapsed < 60
