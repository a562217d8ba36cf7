#!/usr/bin/env python3
"""Derives the golden vectors of rectiflow's hash chain (v3) from docs/CHAIN.md alone.

Written apart from the Rust implementation, with Python's standard library only, so the
expected values in adapters/store/tests/chain_vectors.rs are not the implementation's own
output copied back:
- numbers: Python's json reads integers exactly and floats correctly rounded; an integer
  outside [-2^63, 2^64 - 1] is read as the nearest double, as serde_json does;
- floats are laid out by ECMAScript Number::toString from the shortest round-trip digits of
  repr() (David Gay's algorithm), not by ryu;
- keys are sorted by their UTF-16BE encoding, strings escaped by hand, the chain input laid
  out with struct-free int.to_bytes and hashed with hashlib.

Run: python3 docs/chain_vectors.py  (prints the vectors as the Rust test writes them).
"""

import hashlib
import json
import struct
import uuid
from decimal import Decimal

CHAIN_TAG = b"rectiflow-chain-v3"
CONTENT_TAG = b"rectiflow-event-v3"
GENESIS = bytes(32)


def read(text):
    """JSON text -> value, numbers as serde_json holds them (int only if it fits i64/u64)."""

    def integer(digits):
        n = int(digits)
        return n if -(2**63) <= n <= 2**64 - 1 else float(digits)

    return json.loads(text, parse_int=integer)


def ecma_number(f):
    """ECMAScript Number::toString(f) (ECMA-262 6.1.6.1.20) for a finite double."""
    if f == 0:
        return "0"  # +0 and -0 alike
    sign = "-" if f < 0 else ""
    digits_tuple = Decimal(repr(abs(f))).normalize().as_tuple()
    s = "".join(str(d) for d in digits_tuple.digits)  # shortest digits, no trailing zeros
    k = len(s)
    n = digits_tuple.exponent + k  # value = 0.s * 10^n
    if k <= n <= 21:
        body = s + "0" * (n - k)
    elif 0 < n <= 21:
        body = s[:n] + "." + s[n:]
    elif -6 < n <= 0:
        body = "0." + "0" * (-n) + s
    else:
        e = n - 1
        exp = ("+" if e >= 0 else "-") + str(abs(e))
        body = (s if k == 1 else s[0] + "." + s[1:]) + "e" + exp
    return sign + body


SHORT = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def canon_string(text):
    out = ['"']
    for ch in text:
        if ch in SHORT:
            out.append(SHORT[ch])
        elif ord(ch) < 0x20:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def canon(value):
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return ecma_number(value)
    if isinstance(value, str):
        return canon_string(value)
    if isinstance(value, list):
        return "[" + ",".join(canon(v) for v in value) + "]"
    keys = sorted(value, key=lambda key: key.encode("utf-16-be"))
    return "{" + ",".join(canon_string(k) + ":" + canon(value[k]) for k in keys) + "}"


def canon_bytes(text):
    return canon(read(text)).encode("utf-8")


def field(data):
    return len(data).to_bytes(8, "big") + data


def content_hash(event):
    data = (
        CONTENT_TAG
        + field(event["stream_type"].encode())
        + field(event["stream_id"].encode())
        + event["stream_version"].to_bytes(8, "big")
        + uuid.UUID(event["event_id"]).bytes
        + field(event["event_type"].encode())
        + field(event["schema_version"].encode())
        + field(canon_bytes(event["payload"]))
        + field(canon_bytes(event["metadata"]))
        + event["recorded_at"].to_bytes(8, "big", signed=True)
    )
    return hashlib.sha256(data).digest()


def chain_hash(previous, position, content):
    data = CHAIN_TAG + previous + position.to_bytes(8, "big") + content
    return hashlib.sha256(data).digest()


# (name, payload as serde_json writes it in an export or in SQLite). Every payload is one both
# backends accept, so the same log can be committed on each and moved between them: hence no
# U+0000 (PostgreSQL cannot store it, and the executor refuses it on both backends).
VECTORS = [
    ("float_1e300", r'{"v":1e300}'),
    ("float_1_5e_minus_7", r'{"v":1.5e-7}'),
    ("float_0_1", r'{"v":0.1}'),
    ("negative_zero", r'{"v":-0.0}'),
    ("integer_2_pow_63", r'{"v":9223372036854775808}'),
    ("float_2_pow_63", r'{"v":9.223372036854776e18}'),
    ("u64_max", r'{"v":18446744073709551615}'),
    ("u64_max_minus_1", r'{"v":18446744073709551614}'),
    ("float_1e16", r'{"v":1e16}'),
    ("non_ascii", r'{"note":"整改 ✓ café","｡":1,"😀":2}'),
    (
        "escapes",
        r'{"s":"\u0001\b\t\n\u000b\f\r\u001f \"\\/\u007f\u2028\u2029"}',
    ),
    (
        "mixed",
        r'{"Added":{"by":1,"ratio":0.30000000000000004,"i64_min":-9223372036854775808,'
        r'"e21":1e21,"e20":1e20,"tiny":5e-324,"max":1.7976931348623157e308,"one":1.0,'
        r'"neg":-1.5,"list":[null,true,false,[],{}]}}',
    ),
]

METADATA = r'{"actor":"auditor-1","campaign_id":"c-1"}'
# 2026-03-02T01:00:00Z in microseconds since the Unix epoch.
RECORDED_AT = 1_772_413_200_000_000


def event(i, payload):
    return {
        "stream_type": "counter",
        "stream_id": "golden",
        "stream_version": i,
        "event_id": "01950000-0000-7000-8000-%012x" % i,
        "event_type": "Added",
        "schema_version": "1",
        "payload": payload,
        "metadata": METADATA,
        "recorded_at": RECORDED_AT + i,
    }


# RFC 8785 Appendix B: IEEE 754 bits and the text ECMAScript prints for them. The layout in
# ecma_number is checked against it before any vector is printed.
RFC_8785_APPENDIX_B = [
    ("0000000000000000", "0"),
    ("8000000000000000", "0"),
    ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"),
    ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"),
    ("4340000000000000", "9007199254740992"),
    ("c340000000000000", "-9007199254740992"),
    ("4430000000000000", "295147905179352830000"),
    ("44b52d02c7e14af5", "9.999999999999997e+22"),
    ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"),
    ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"),
    ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
    ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"),
    ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"),
    ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"),
    ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),
]


def check_appendix_b():
    for bits, expected in RFC_8785_APPENDIX_B:
        value = struct.unpack(">d", bytes.fromhex(bits))[0]
        got = ecma_number(value)
        assert got == expected, f"{bits}: {got} != {expected}"


def rust_str(text):
    """A Rust string literal: printable characters as they are, others as \\u{..}."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= ord(ch) < 0x7F or (ord(ch) >= 0xA0 and ch not in "\u2028\u2029"):
            out.append(ch)
        else:
            out.append("\\u{%x}" % ord(ch))
    return '"' + "".join(out) + '"'


def main():
    check_appendix_b()
    previous = GENESIS
    for i, (name, payload) in enumerate(VECTORS, start=1):
        canonical = canon_bytes(payload)
        content = content_hash(event(i, payload))
        previous = chain_hash(previous, i, content)
        print("Vector {")
        print(f"    name: {rust_str(name)},")
        print(f"    payload: r#\"{payload}\"#,")
        print(f"    canonical: {rust_str(canonical.decode('utf-8'))},")
        print(f"    canonical_sha256: \"{hashlib.sha256(canonical).hexdigest()}\",")
        print(f"    content_hash: \"{content.hex()}\",")
        print(f"    chain_hash: \"{previous.hex()}\",")
        print("},")
    print("metadata canonical:", canon_bytes(METADATA).decode())


if __name__ == "__main__":
    main()
