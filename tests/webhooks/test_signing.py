import time

from webhooks.signing import sign, verify

BODY = b'{"id":"x","type":"ticket.opened"}'


def test_a_signature_verifies_with_the_secret_and_body():
    assert verify("s3cret", sign("s3cret", BODY), BODY)


def test_the_header_format_is_timestamp_and_v1():
    header = sign("s3cret", BODY, timestamp=1_700_000_000)
    t, v1 = header.split(",")
    assert t == "t=1700000000"
    assert v1.startswith("v1=")
    assert len(v1) == 3 + 64


def test_another_secret_body_or_timestamp_does_not_verify():
    header = sign("s3cret", BODY)
    assert not verify("other", header, BODY)
    assert not verify("s3cret", header, BODY + b" ")
    t = int(time.time())
    forged = sign("s3cret", BODY, timestamp=t).replace(f"t={t}", f"t={t + 1}")
    assert not verify("s3cret", forged, BODY)


def test_an_old_signature_is_refused_as_a_replay():
    old = sign("s3cret", BODY, timestamp=int(time.time()) - 600)
    assert not verify("s3cret", old, BODY)
    assert verify("s3cret", old, BODY, tolerance=900)


def test_garbage_headers_do_not_verify():
    for header in ("", "t=abc,v1=00", "v1=00", "t=1", "nonsense"):
        assert not verify("s3cret", header, BODY)


def test_the_readmes_check_verifies_the_portals_signature():
    """README, "Webhooks": the few lines a receiver copies agree with webhooks/signing.py."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    code = readme.split("### Webhooks", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102  the README's own example
    header = sign("s3cret", BODY)
    assert namespace["verify"]("s3cret", header, BODY)
    assert not namespace["verify"]("s3cret", header, BODY + b"x")
    assert not namespace["verify"]("other", header, BODY)
