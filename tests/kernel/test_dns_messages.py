"""DNS messages on the wire (netsim.proto.dns): encoding, decoding, the memos."""
import pytest

from netsim.proto import dns


def test_a_reply_bytes_as_dockers_resolver_sends_them():
    r = dns.Message(16482, "c2", dns.A, response=True, ra=True,
                    answers=[dns.Record("c2", dns.A, 600, "172.18.0.3")])
    assert r.pack() == bytes.fromhex("406281800001000100000000" "02633200" "00010001"
                                     "0263320000010001" "00000258" "0004" "ac120003")
    assert len(r.pack()) == 38


def test_pack_query_is_a_recursive_query_message():
    for name in ("c2", "n00c01.net00", "a.b.", "x"):
        for qtype in (dns.A, dns.AAAA, dns.PTR):
            assert dns.pack_query(7, name, qtype) == dns.Message(7, name, qtype).pack()


def test_unpack_round_trip_and_fresh_answer_lists():
    msg = dns.Message(9, "web.net", dns.A, response=True, rcode=dns.NOERROR, rd=False, ra=True, aa=True,
                      answers=[dns.Record("web.net", dns.A, 600, "10.0.0.2"),
                               dns.Record("web.net", dns.A, 600, "10.0.0.3")])
    data = msg.pack()
    one, two = dns.Message.unpack(data), dns.Message.unpack(data)
    assert one == msg and two == msg
    one.answers.append(dns.Record("x", dns.A, 1, "1.2.3.4"))     # each message has its own list
    assert two.answers == msg.answers
    with pytest.raises(Exception):
        msg.answers[0].data = "10.0.0.9"                          # records are immutable (shared)


def test_same_body_different_header():
    body = dns.Message(1, "c2", dns.A, response=True, rcode=dns.NXDOMAIN).pack()[12:]
    a = dns.Message.unpack(bytes.fromhex("000181830001000000000000") + body)
    b = dns.Message.unpack(bytes.fromhex("ffff01000001000000000000") + body)
    assert (a.id, a.response, a.rcode, a.rd, a.ra) == (1, True, dns.NXDOMAIN, True, True)
    assert (b.id, b.response, b.rcode, b.rd, b.ra) == (0xFFFF, False, 0, True, False)
    assert a.qname == b.qname == "c2"


def test_compression_pointers_including_into_the_header():
    # answer owner name points back at the question (offset 12)
    data = (bytes.fromhex("000181800001000100000000") + b"\x02c2\x00\x00\x01\x00\x01"
            + b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x02\x58\x00\x04\x0a\x00\x00\x02")
    m = dns.Message.unpack(data)
    assert [(r.name, r.data) for r in m.answers] == [("c2", "10.0.0.2")]
    # a question name pointing into the header reads the header's bytes: the
    # same body under two headers means two names (never served from the memo)
    body = b"\xc0\x00\x00\x01\x00\x01"
    first = dns.Message.unpack(b"\x01a\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00" + body)
    second = dns.Message.unpack(b"\x01b\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00" + body)
    assert (first.qname, second.qname) == ("a", "b")


@pytest.mark.parametrize("data", [b"", b"\x00" * 11, bytes.fromhex("000181800001000100000000") + b"\x02c2\x00\x00",
                                  bytes.fromhex("000181800001000100000000") + b"\x02c2\x00\x00\x01\x00\x01\x02c2\x00"])
def test_truncated_messages_raise(data):
    with pytest.raises(Exception):
        dns.Message.unpack(data)


def test_pack_reply_and_parse_agree_with_messages():
    for rd in (True, False):
        for answers in ([], [dns.Record("db", dns.A, 600, "10.0.0.2"), dns.Record("db", dns.A, 600, "10.0.0.3")]):
            msg = dns.Message(77, "db", dns.A, response=True, rd=rd, ra=True, answers=answers)
            wire = dns.pack_reply(77, rd, "db", dns.A, answers)
            assert wire == msg.pack()
            ident, flags, qname, qtype, got = dns.parse(wire)
            assert (ident, qname, qtype, list(got)) == (77, "db", dns.A, answers)
            assert flags == dns.QR | dns.RA | (dns.RD if rd else 0)
