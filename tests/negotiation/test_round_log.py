"""The round log a document carries between rounds (issue 13): written and read back exactly, and a
damaged or foreign log is refused with a reason rather than read wrongly."""

import pytest

from addin_server.negotiation import NAMESPACE, read_log
from addin_server.negotiation.log import Protection, Round, RoundLog, RoundLogError

ONE = Round(1, "2026-12-01", "TermScore", (
    Protection("ai.prohibition-missing", "insert", 0, "p-7", added="3.4 Prohibition on AI Training. The Agency shall not"),
    Protection("usage.perpetual-irrevocable", "edit", 0, "p-5", removed="perpetual, irrevocable, ",
               anchor="The Designer grants the Agency a worldwide licence."),
))
TWO = Round(2, "2026-12-08", "Sam Ortiz", (
    Protection("ai.prohibition-missing", "insert", 1, "p-8", status="struck", added="Consent & <not> unreasonably"),
    Protection("usage.perpetual-irrevocable", "edit", 0, "p-5", answer="standing", status="accepted",
               removed="perpetual, irrevocable, ", anchor="The Designer grants the Agency a worldwide licence."),
))


def test_a_log_of_two_rounds_reads_back_as_it_was_written():
    log = RoundLog((ONE, TWO))
    again = RoundLog.from_xml(log.to_xml())
    assert again == log
    assert again.last.number == 2 and again.next_number == 3
    assert again.last.protections[0].added == "Consent & <not> unreasonably"


def test_adding_a_round_replaces_a_round_of_the_same_number_and_keeps_the_earlier_ones():
    log = RoundLog((ONE,)).with_round(TWO).with_round(Round(2, "2026-12-09", "TermScore"))
    assert [r.number for r in log.rounds] == [1, 2] and log.last.date == "2026-12-09"


@pytest.mark.parametrize("data, reason", [
    (b"<rounds", "not well-formed"),
    (b'<rounds xmlns="urn:other:1" version="1"/>', "not a round log"),
    (b'<rounds xmlns="urn:termscore:round-log:1" version="9"/>', "version"),
    (b'<rounds xmlns="urn:termscore:round-log:1" version="1"><round n="x"/></rounds>', "not a number"),
    (b'<rounds xmlns="urn:termscore:round-log:1" version="1"><round n="2"/><round n="1"/></rounds>', "in order"),
    (b'<rounds xmlns="urn:termscore:round-log:1" version="1"><round n="1"><protection rule="a" kind="poke" '
     b'rung="0"/></round></rounds>', "unknown kind"),
    (b'<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><rounds xmlns="urn:termscore:round-log:1" '
     b'version="1">&e;</rounds>', "document type declaration"),
])
def test_a_damaged_log_is_refused_with_its_reason(data, reason):
    with pytest.raises(RoundLogError, match=reason):
        RoundLog.from_xml(data)


def test_a_damaged_log_in_a_document_starts_afresh_and_says_why():
    log, error = read_log({NAMESPACE: b"<rounds"})
    assert log == RoundLog() and "not well-formed" in error
    assert read_log({}) == (RoundLog(), None)
