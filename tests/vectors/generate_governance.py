#!/usr/bin/env python3
"""Writes governance.json: the shared test vectors of the governance family (R-QUORUM,
R-MAJORITY).

    python3 tests/vectors/generate_governance.py          # rewrite governance.json
    python3 tests/vectors/generate_governance.py --check  # fail if governance.json is stale

Each case is a board document (as `Board::from_json` reads it, with its sittings: presence,
weights at the date, motions and votes), the date of one sitting and either a motion id
(decide it) or null (the roll call), with the expected output or refusal:

- roll call: the QuorumCheck JSON, of which the vectors list `members`, `present`,
  `required` (null for a weighted quorum) and `met`, plus `sentence` (its Display);
- motion: the Decision JSON plus `passed`, of which the vectors list `passed`, `outcome`,
  `tally` and `quorum` (members, present, required, met; `sentence` is its Display);
- refusal: `expected_error` = `{"code", "path"}` as `Error::code()` / `Error::path()`.

Runners compare only the fields `expected` lists (recursively), exactly.

Two kinds of case:

- hand-written edge cases (HAND below), each with its arithmetic in `why`, the figure worked
  out by hand (required and met for a roll call, the outcome for a motion, the code for a
  refusal) and the Italian sentences for the minutes, written and read by hand. The
  generator refuses to write a case whose hand figure the independent reference
  (reference_governance.py) does not reproduce, so no expected output is copied from
  cit-core;
- generated cases from a seeded generator (SEED, COUNT): random boards of 1-45 members,
  random presence and votes, random rules among the presets, some weighted, with the
  numbers and outcome of reference_governance.py (no sentences).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from vector_file import write  # noqa: E402
import reference_governance as ref  # noqa: E402

SEED = 20261118
COUNT = 80
DATE = "2026-03-12"

# --- rules as JSON (the core's presets) --------------------------------------------------

WHOLE = {"kind": "half_plus_one", "reading": "whole_above_half"}
LITERAL = {"kind": "half_plus_one", "reading": "literal"}


def q_fraction(f, rounding="up"):
    return {"kind": "fraction", "fraction": f, "rounding": rounding}


def q_weighted(f="1/2", comparator="more_than"):
    return {"kind": "weighted", "fraction": f, "comparator": comparator}


def heads(base, f="1/2", comparator="more_than", rounding="exact"):
    return {"base": base, "fraction": f, "comparator": comparator, "rounding": rounding}


def wrule(base, f="1/2", comparator="more_than"):
    return {"base": base, "fraction": f, "comparator": comparator}


def majority(h=None, w=None, abstentions="weigh_as_no"):
    m = {}
    if h:
        m["heads"] = h
    if w:
        m["weights"] = w
    m["abstentions"] = abstentions
    return m


OF_PRESENT = majority(heads("present"))
OF_PRESENT_LEFT_OUT = majority(heads("present"), abstentions="left_out")
OF_VOTERS = majority(heads("voters"))
ABSOLUTE = majority(heads("members"))


def qualified(f, base, rounding="up"):
    return majority(heads(base, f, "at_least", rounding))


UNANIMITY = majority(heads("present", "1/1", "at_least", "exact"))
WEIGHTED_PRESENT = majority(w=wrule("present"))
WEIGHTED_MEMBERS = majority(w=wrule("members"))
DOUBLE_MEMBERS = majority(heads("members"), wrule("members"))
DOUBLE_PRESENT = majority(heads("present"), wrule("present"))

# --- documents ---------------------------------------------------------------------------


def eid(i):
    return f"e{i:02d}"


def board(n, quorum=None, maj=None, weights=None, meetings=(), kind="strategico"):
    """A board of n members e01…; weights (strings) on the members when given."""
    members = []
    for i in range(1, n + 1):
        m = {"ente": eid(i), "representative": f"Rappresentante {i}"}
        if weights is not None:
            m["weight"] = weights[i - 1]
        members.append(m)
    b = {"id": f"tavolo-{n}", "kind": kind, "name": f"Tavolo di {n} componenti", "president": eid(1),
         "members": members}
    if quorum is not None:
        b["quorum"] = quorum
    if maj is not None:
        b["majority"] = maj
    b["meetings"] = list(meetings)
    return b


def votes(yes=0, no=0, abstain=0, blank=0, start=1):
    """Votes of consecutive members from e<start>: yes first, then no, abstain, blank."""
    out, i = {}, start
    for v, k in (("yes", yes), ("no", no), ("abstain", abstain), ("blank", blank)):
        for _ in range(k):
            out[eid(i)] = v
            i += 1
    return out


def motion(mid, v, maj=None, title=None):
    m = {"id": mid, "title": title or f"Proposta {mid}"}
    if maj is not None:
        m["majority"] = maj
    m["votes"] = v
    return m


def sitting(present, motions=(), weights=None, date=DATE):
    """present: a count (the first members) or a list of ids."""
    ids = [eid(i) for i in range(1, present + 1)] if isinstance(present, int) else list(present)
    s = {"date": date, "present": ids}
    if weights is not None:
        s["weights"] = weights
    s["motions"] = list(motions)
    return s


def snapshot(ws):
    return {eid(i + 1): w for i, w in enumerate(ws)}


# --- hand-written cases ------------------------------------------------------------------

D15 = "metà più uno dei componenti, intero superiore alla metà"
DLIT = "metà più uno dei componenti, lettura letterale, n/2 + 1 arrotondato per eccesso"
OK = "numero legale raggiunto"
KO = "numero legale non raggiunto"


def rc(p, n, r, describe, verdict):
    need = "necessario 1" if r == 1 else f"necessari {r}"
    return f"Presenti {p} su {n}, {need} ({describe}): {verdict}"


POP = ["189902", "27229", "24563", "23384", "18517"]  # 283.595 in all
# 22 of 40 holding 269 of 493 shares: e01-e21 12 each, e22 17 (269); e23-e39 12 each, e40 20 (224)
SHARES_PASS = ["12"] * 21 + ["17"] + ["12"] * 17 + ["20"]
# 22 of 40 holding 240: e01-e20 11 each, e21-e22 10 (240); e23-e32 14, e33-e36 15 (200);
# e37-e39 13, e40 14 (53, absent)
SHARES_FAIL = ["11"] * 20 + ["10"] * 2 + ["14"] * 10 + ["15"] * 4 + ["13"] * 3 + ["14"]
assert sum(map(int, SHARES_PASS)) == 493 and sum(map(int, SHARES_PASS[:22])) == 269
assert sum(map(int, SHARES_FAIL)) == 493 and sum(map(int, SHARES_FAIL[:22])) == 240
assert sum(map(int, SHARES_FAIL[22:36])) == 200

HAND = []


def hand(name, why, b, mot, by_hand, sentence=None, quorum_sentence=None):
    HAND.append({"name": name, "why": why, "board": b, "motion": mot, "by_hand": by_hand,
                 "sentence": sentence, "quorum_sentence": quorum_sentence})


# R-QUORUM at the roll call
hand("R-QUORUM 1 member, whole number above half", "⌊1/2⌋ + 1 = 1; 1 present ≥ 1",
     board(1, meetings=[sitting(1)]), None, (1, True),
     rc(1, 1, 1, D15, OK))
hand("R-QUORUM 1 member, literal reading can never be met", "⌈1/2 + 1⌉ = ⌈1,5⌉ = 2 > 1 member: "
     "even the only member present is not enough",
     board(1, LITERAL, meetings=[sitting(1)]), None, (2, False),
     rc(1, 1, 2, DLIT, "numero legale non raggiungibile (soglia superiore ai componenti)"))
hand("R-QUORUM 7 members, one below", "⌊7/2⌋ + 1 = 4; 3 present < 4",
     board(7, meetings=[sitting(3)]), None, (4, False), rc(3, 7, 4, D15, KO))
hand("R-QUORUM 15 members, case law reading, exactly the quorum",
     "⌊15/2⌋ + 1 = 8 (CdS V 463/1987); 8 present ≥ 8",
     board(15, WHOLE, meetings=[sitting(8)]), None, (8, True), rc(8, 15, 8, D15, OK))
hand("R-QUORUM 15 members, case law reading, one below", "⌊15/2⌋ + 1 = 8; 7 present < 8",
     board(15, meetings=[sitting(7)]), None, (8, False), rc(7, 15, 8, D15, KO))
hand("R-QUORUM 15 members, literal reading, 8 is not enough",
     "⌈15/2 + 1⌉ = ⌈8,5⌉ = 9; 8 present < 9 (the case law reading would accept 8)",
     board(15, LITERAL, meetings=[sitting(8)]), None, (9, False), rc(8, 15, 9, DLIT, KO))
hand("R-QUORUM 15 members, literal reading, exactly the quorum", "⌈15/2 + 1⌉ = 9; 9 present ≥ 9",
     board(15, LITERAL, meetings=[sitting(9)]), None, (9, True), rc(9, 15, 9, DLIT, OK))
hand("R-QUORUM 16 members, the readings agree", "even: 16/2 + 1 = 9 in both readings; 9 present",
     board(16, LITERAL, meetings=[sitting(9)]), None, (9, True), rc(9, 16, 9, DLIT, OK))
hand("R-QUORUM 16 members, one below", "16/2 + 1 = 9; 8 present < 9 (exactly half is not enough)",
     board(16, meetings=[sitting(8)]), None, (9, False), rc(8, 16, 9, D15, KO))
hand("R-QUORUM 33 members, one below", "⌊33/2⌋ + 1 = 17 (TAR Liguria 239/2014); 16 present < 17",
     board(33, meetings=[sitting(16)]), None, (17, False), rc(16, 33, 17, D15, KO))
hand("R-QUORUM one third, rounded up", "16 × 1/3 = 5,33 → 6 (CdS I parere 129/2021); 6 present ≥ 6",
     board(16, q_fraction("1/3"), meetings=[sitting(6)]), None, (6, True),
     rc(6, 16, 6, "almeno 1/3 dei componenti", OK))
hand("R-QUORUM one third, rounded up, one below", "16 × 1/3 = 5,33 → 6; 5 present < 6",
     board(16, q_fraction("1/3"), meetings=[sitting(5)]), None, (6, False),
     rc(5, 16, 6, "almeno 1/3 dei componenti", KO))
hand("R-QUORUM one third, rounded down by the rule", "16 × 1/3 = 5,33 → 5 (rounding down); 5 present ≥ 5",
     board(16, q_fraction("1/3", "down"), meetings=[sitting(5)]), None, (5, True),
     rc(5, 16, 5, "almeno 1/3 dei componenti, soglia arrotondata per difetto", OK))
hand("R-QUORUM weighted, two large members suffice",
     "weight present 189.902 + 27.229 = 217.131 > 283.595 / 2 = 141.797,5, with 2 of 5 members",
     board(5, q_weighted(), weights=POP, meetings=[sitting(2, weights=snapshot(POP))]), None, (None, True),
     "Presenti 2 su 5 con peso 217.131 su 283.595, necessario più di 1/2 del peso dei componenti: " + OK)
hand("R-QUORUM weighted, four small members do not",
     "weight present 27.229 + 24.563 + 23.384 + 18.517 = 93.693 ≤ 141.797,5, with 4 of 5 members",
     board(5, q_weighted(), weights=POP,
           meetings=[sitting(["e02", "e03", "e04", "e05"], weights=snapshot(POP))]), None, (None, False),
     "Presenti 4 su 5 con peso 93.693 su 283.595, necessario più di 1/2 del peso dei componenti: " + KO)
PRESENCE = board(7, meetings=[sitting(4, [motion("1", votes(yes=3))])])
hand("R-QUORUM roll call of a sitting later inquorate at the vote", "⌊7/2⌋ + 1 = 4; 4 present at the roll call",
     PRESENCE, None, (4, True), rc(4, 7, 4, D15, OK))

# R-MAJORITY
hand("R-MAJORITY 1 member", "quorum 1; of those present: 1 > 1/2",
     board(1, meetings=[sitting(1, [motion("1", votes(yes=1))])]), "1", "passed",
     "Presenti 1 su 1; favorevoli 1, contrari 0, astenuti 0: approvata a maggioranza dei presenti",
     rc(1, 1, 1, D15, OK))
B2 = board(2, meetings=[sitting(2, [motion("1", votes(yes=1)), motion("2", votes(yes=1, abstain=1))])])
hand("R-QUORUM presence at the vote, 2 members", "2/2 + 1 = 2; e02 attended but has no vote record: "
     "1 present at the vote < 2, nothing passes", B2, "1", "no_quorum",
     "Presenti 1 su 2; favorevoli 1, contrari 0, astenuti 0: non approvata, manca il numero legale (necessari 2)",
     rc(1, 2, 2, D15, KO))
hand("R-MAJORITY 2 members, an abstention weighs as no", "quorum 2 of 2; base 2 present, more than 1 → "
     "2 yes needed; 1 yes", B2, "2", "rejected",
     "Presenti 2 su 2; favorevoli 1, contrari 0, astenuti 1: respinta: necessari almeno 2 voti favorevoli "
     "(maggioranza dei presenti)", rc(2, 2, 2, D15, OK))
hand("R-MAJORITY 3 members, a tie", "quorum ⌊3/2⌋ + 1 = 2; 1 yes, 1 no: a tie never passes",
     board(3, meetings=[sitting(2, [motion("1", votes(yes=1, no=1))])]), "1", "tie",
     "Presenti 2 su 3; favorevoli 1, contrari 1, astenuti 0: respinta per parità di voti",
     rc(2, 3, 2, D15, OK))
hand("R-MAJORITY 3 members, all abstain", "quorum 2; 3 present, 0 yes = 0 no: a tie, nobody in favour",
     board(3, meetings=[sitting(3, [motion("1", votes(abstain=3))])]), "1", "tie",
     "Presenti 3 su 3; favorevoli 0, contrari 0, astenuti 3: respinta, nessun voto favorevole",
     rc(3, 3, 2, D15, OK))
hand("R-MAJORITY 4 members, exactly the quorum", "quorum 4/2 + 1 = 3; 3 present; 2 yes > 3/2",
     board(4, meetings=[sitting(3, [motion("1", votes(yes=2, no=1))])]), "1", "passed",
     "Presenti 3 su 4; favorevoli 2, contrari 1, astenuti 0: approvata a maggioranza dei presenti",
     rc(3, 4, 3, D15, OK))
hand("R-MAJORITY 4 members of voters, a tie", "quorum 3; 4 present, 2 yes = 2 no: yes > no fails, a tie",
     board(4, maj=OF_VOTERS, meetings=[sitting(4, [motion("1", votes(yes=2, no=2))])]), "1", "tie",
     "Presenti 4 su 4; favorevoli 2, contrari 2, astenuti 0: respinta per parità di voti",
     rc(4, 4, 3, D15, OK))
hand("R-QUORUM presence must hold at the vote", "4 of 7 at the roll call (quorum 4), e04 left before "
     "the vote: 3 present at the vote < 4", PRESENCE, "1", "no_quorum",
     "Presenti 3 su 7; favorevoli 3, contrari 0, astenuti 0: non approvata, manca il numero legale (necessari 4)",
     rc(3, 7, 4, D15, KO))
hand("R-MAJORITY 33 members, of those present", "quorum ⌊33/2⌋ + 1 = 17; 17 present; 9 yes > 17/2 = 8,5",
     board(33, meetings=[sitting(17, [motion("1", votes(yes=9, no=6, abstain=2))])]), "1", "passed",
     "Presenti 17 su 33; favorevoli 9, contrari 6, astenuti 2: approvata a maggioranza dei presenti",
     rc(17, 33, 17, D15, OK))
B15A = board(15, meetings=[sitting(9, [motion("1", votes(yes=4, no=2, abstain=3)),
                                       motion("2", votes(yes=4, no=2, abstain=3), OF_PRESENT_LEFT_OUT)])])
hand("R-MAJORITY abstentions weigh as no", "quorum 8 of 15, 9 present; base 9 present, 4 yes ≤ 4,5: rejected",
     B15A, "1", "rejected",
     "Presenti 9 su 15; favorevoli 4, contrari 2, astenuti 3: respinta: necessari almeno 5 voti favorevoli "
     "(maggioranza dei presenti)", rc(9, 15, 8, D15, OK))
hand("R-MAJORITY abstentions left out", "same votes; the 3 abstainers leave the base: 4 yes > 6/2 = 3: passed",
     B15A, "2", "passed",
     "Presenti 9 su 15; favorevoli 4, contrari 2, astenuti 3: approvata a maggioranza dei presenti, "
     "astenuti e schede bianche non computati", rc(9, 15, 8, D15, OK))
B15B = board(15, meetings=[sitting(10, [motion("1", votes(yes=5, no=3, blank=2)),
                                        motion("2", votes(yes=5, no=3, blank=2), OF_VOTERS)])])
hand("R-MAJORITY blank ballots weigh as no", "10 present; base 10, 5 yes ≤ 5: rejected", B15B, "1", "rejected",
     "Presenti 10 su 15; favorevoli 5, contrari 3, astenuti 0, schede bianche 2: respinta: necessari almeno "
     "6 voti favorevoli (maggioranza dei presenti)", rc(10, 15, 8, D15, OK))
hand("R-MAJORITY of voters, blank ballots are no votes cast", "base 5 + 3 = 8 voters, 5 yes > 4: passed",
     B15B, "2", "passed",
     "Presenti 10 su 15; favorevoli 5, contrari 3, astenuti 0, schede bianche 2: approvata a maggioranza "
     "dei votanti", rc(10, 15, 8, D15, OK))
B15C = board(15, maj=ABSOLUTE, meetings=[sitting(10, [motion("1", votes(yes=7, no=3)),
                                                      motion("2", votes(yes=8, no=2))])])
hand("R-MAJORITY absolute majority of members, not reached", "more than 15/2 = 7,5 → 8 yes needed; 7 yes "
     "(a majority of those present, not of the members)", B15C, "1", "rejected",
     "Presenti 10 su 15; favorevoli 7, contrari 3, astenuti 0: respinta: necessari almeno 8 voti favorevoli "
     "(maggioranza assoluta dei componenti)", rc(10, 15, 8, D15, OK))
hand("R-MAJORITY absolute majority of members, reached", "8 yes ≥ 8", B15C, "2", "passed",
     "Presenti 10 su 15; favorevoli 8, contrari 2, astenuti 0: approvata a maggioranza assoluta dei componenti",
     rc(10, 15, 8, D15, OK))
B16 = board(16, maj=qualified("2/3", "members"),
            meetings=[sitting(14, [motion("1", votes(yes=10, no=4)),
                                   motion("2", votes(yes=10, no=4), qualified("2/3", "members", "down"))])])
hand("R-MAJORITY two thirds of members, rounded up", "16 × 2/3 = 10,67 → 11; 10 yes < 11", B16, "1", "rejected",
     "Presenti 14 su 16; favorevoli 10, contrari 4, astenuti 0: respinta: necessari almeno 11 voti favorevoli "
     "(maggioranza qualificata dei 2/3 dei componenti)", rc(14, 16, 9, D15, OK))
hand("R-MAJORITY two thirds of members, rounded down", "16 × 2/3 = 10,67 → 10 (the motion's own rule); "
     "10 yes ≥ 10", B16, "2", "passed",
     "Presenti 14 su 16; favorevoli 10, contrari 4, astenuti 0: approvata a maggioranza qualificata dei 2/3 "
     "dei componenti (soglia arrotondata per difetto)", rc(14, 16, 9, D15, OK))
hand("R-MAJORITY unanimity of those present", "7 members, quorum 4, 5 present; 1/1 of 5 = 5 yes needed; 5 yes",
     board(7, maj=UNANIMITY, meetings=[sitting(5, [motion("1", votes(yes=5))])]), "1", "passed",
     "Presenti 5 su 7; favorevoli 5, contrari 0, astenuti 0: approvata all'unanimità dei presenti",
     rc(5, 7, 4, D15, OK))
hand("R-MAJORITY weighted by population", "e01 (189.902 ab.) yes, the other four (93.693) no: "
     "189.902 > 283.595 / 2 = 141.797,5; heads do not count",
     board(5, maj=WEIGHTED_PRESENT, weights=POP,
           meetings=[sitting(5, [motion("1", votes(yes=1, no=4))], weights=snapshot(POP))]), "1", "passed",
     "Presenti 5 su 5; favorevoli 1, contrari 4, astenuti 0; peso favorevole 189.902 su 283.595 dei presenti: "
     "approvata a maggioranza ponderata dei presenti", rc(5, 5, 3, D15, OK))
OLD = ["90000"] + POP[1:]  # the snapshot at the sitting, not the board's current weights
hand("R-MAJORITY weighted, weights as of the meeting date",
     "the sitting's snapshot gives e01 90.000 (the board now says 189.902): 90.000 ≤ 183.693 / 2 = 91.846,5",
     board(5, maj=WEIGHTED_PRESENT, weights=POP,
           meetings=[sitting(5, [motion("1", votes(yes=1, no=4))], weights=snapshot(OLD))]), "1", "rejected",
     "Presenti 5 su 5; favorevoli 1, contrari 4, astenuti 0; peso favorevole 90.000 su 183.693 dei presenti: "
     "respinta: necessario più di 1/2 del peso dei presenti (maggioranza ponderata dei presenti)",
     rc(5, 5, 3, D15, OK))
DOUBLE = "doppia maggioranza assoluta dei componenti, per teste e per peso"
hand("R-MAJORITY double majority, 22 of 40 holding 269 of 493", "heads: 22 > 40/2 → 21 needed; "
     "weights: 269 > 493/2 = 246,5 (e01-e21 hold 12 each, e22 17; the 18 against 224)",
     board(40, maj=DOUBLE_MEMBERS, weights=SHARES_PASS,
           meetings=[sitting(40, [motion("1", votes(yes=22, no=18))], weights=snapshot(SHARES_PASS))]),
     "1", "passed",
     "Presenti 40 su 40; favorevoli 22, contrari 18, astenuti 0; peso favorevole 269 su 493 dei componenti: "
     f"approvata a {DOUBLE}", rc(40, 40, 21, D15, OK))
hand("R-MAJORITY double majority failing on weights only", "36 of 40 present; heads 22 ≥ 21; weights "
     "240 ≤ 246,5 (e01-e20 hold 11, e21-e22 10), though more than the 200 against",
     board(40, maj=DOUBLE_MEMBERS, weights=SHARES_FAIL,
           meetings=[sitting(36, [motion("1", votes(yes=22, no=14))], weights=snapshot(SHARES_FAIL))]),
     "1", "rejected",
     "Presenti 36 su 40; favorevoli 22, contrari 14, astenuti 0; peso favorevole 240 su 493 dei componenti: "
     f"respinta: necessario più di 1/2 del peso dei componenti ({DOUBLE})", rc(36, 40, 21, D15, OK))
hand("R-QUORUM weighted quorum at the vote", "sitting e01-e03 (241.694 of 283.595); e01 left before the "
     "vote: 51.792 ≤ 141.797,5, nothing passes",
     board(5, q_weighted(), weights=POP,
           meetings=[sitting(3, [motion("1", {"e02": "yes", "e03": "yes"})], weights=snapshot(POP))]),
     "1", "no_quorum",
     "Presenti 2 su 5; favorevoli 2, contrari 0, astenuti 0: non approvata, manca il numero legale "
     "(necessario più di 1/2 del peso dei componenti)",
     "Presenti 2 su 5 con peso 51.792 su 283.595, necessario più di 1/2 del peso dei componenti: " + KO)

# refusals
hand("refused: a motion the sitting does not have", "the sitting of 2026-03-12 has motion 1 only",
     board(3, meetings=[sitting(2, [motion("1", votes(yes=2))])]), "2", ("invalid_value", "motion"))
hand("refused: a vote by a non-member", "x99 is not on the board: the whole board document is invalid",
     board(3, meetings=[sitting(2, [motion("1", {**votes(yes=2), "x99": "yes"})])]), "1",
     ("invalid", "meetings[0].motions[0].votes.x99"))
hand("refused: a vote by a member who did not attend", "e03 is not in present: no vote record possible",
     board(3, meetings=[sitting(2, [motion("1", votes(yes=3))])]), "1",
     ("invalid", "meetings[0].motions[0].votes.e03"))
hand("refused: a member listed twice as present", "e01 twice in present",
     board(3, meetings=[sitting(["e01", "e02", "e01"])]), None, ("invalid", "meetings[0].present[2]"))
hand("refused: a weighted majority without weights", "the board's majority counts weights, its members have none",
     board(3, maj=WEIGHTED_PRESENT, meetings=[sitting(2, [motion("1", votes(yes=2))])]), "1",
     ("invalid", "majority"))


def reference(b, date, mot):
    try:
        if mot is None:
            return {"expected": ref.roll_call(b, date)}
        return {"expected": ref.decide(b, date, mot)}
    except ref.GovernanceError as e:
        return {"expected_error": {"code": e.code, "path": e.path}}


def case(name, b, date, mot, why=None):
    c = {"name": name}
    if why:
        c["why"] = why
    c.update({"board": b, "meeting": date, "motion": mot})
    c.update(reference(b, date, mot))
    return c


def hand_cases():
    out = []
    for h in HAND:
        c = case(h["name"], h["board"], DATE, h["motion"], h["why"])
        by_hand = h["by_hand"]
        if "expected_error" in c:
            got = (c["expected_error"]["code"], c["expected_error"]["path"])
        elif h["motion"] is None:
            got = (c["expected"]["required"], c["expected"]["met"])
            c["expected"]["sentence"] = h["sentence"]
        else:
            got = c["expected"]["outcome"]
            c["expected"]["sentence"] = h["sentence"]
            c["expected"]["quorum"]["sentence"] = h["quorum_sentence"]
        if got != by_hand:
            sys.exit(f"hand case {h['name']!r}: the reference gives {got}, the hand arithmetic {by_hand}")
        out.append(c)
    return out


# --- generated cases ---------------------------------------------------------------------

QUORUMS = [(WHOLE, 4), (LITERAL, 3), (None, 2), (q_fraction("1/3"), 1), (q_fraction("2/5", "nearest"), 1),
           (q_fraction("2/3"), 1), (q_fraction("1/2", "down"), 1), (q_fraction("3/5", "exact"), 1),
           (q_weighted(), 2), (q_weighted("1/3", "at_least"), 1)]
MAJORITIES = [(OF_PRESENT, 3), (None, 2), (OF_PRESENT_LEFT_OUT, 2), (OF_VOTERS, 2), (ABSOLUTE, 2),
              (qualified("2/3", "present"), 1), (qualified("2/3", "members"), 1),
              (qualified("3/5", "present", "nearest"), 1), (qualified("2/3", "voters", "down"), 1),
              (majority(heads("present", "1/2", "at_least", "up")), 1), (UNANIMITY, 1),
              (WEIGHTED_PRESENT, 2), (WEIGHTED_MEMBERS, 1),
              (majority(w=wrule("present", "1/2"), abstentions="left_out"), 1),
              (DOUBLE_MEMBERS, 2), (DOUBLE_PRESENT, 1), (majority(heads("voters"), wrule("voters")), 1),
              (majority(heads("members", "2/3", "at_least", "up"), wrule("members", "2/3", "at_least")), 1)]


def pick(rng, table):
    return rng.choices([r for r, _ in table], weights=[w for _, w in table])[0]


def is_weighted(rule):
    return rule is not None and (rule.get("kind") == "weighted" or rule.get("weights") is not None)


def random_weights(rng, n):
    style = rng.choice(["population", "shares", "decimal"])
    while True:
        if style == "population":
            ws = [str(rng.choice([rng.randint(0, 3000), rng.randint(0, 200_000)])) for _ in range(n)]
        elif style == "shares":
            ws = [str(rng.randint(0, 40)) for _ in range(n)]
        else:
            cents = [rng.randint(0, 100_000) for _ in range(n)]
            ws = [f"{c // 100}.{c % 100:02d}" for c in cents]
        if any(ref.weight(w) > 0 for w in ws):
            return ws


def random_presence(rng, n, quorum):
    """How many attend: often around the quorum, to hit the boundary."""
    required = ref.quorum_required(quorum or WHOLE, n)
    r = rng.random()
    if required is not None and r < 0.4:
        k = required + rng.choice([-1, 0, 0, 1])
    elif required is not None and r < 0.8:
        k = rng.randint(min(required, n), n)
    else:
        k = rng.randint(0, n)
    return max(0, min(n, k))


def random_votes(rng, present_ids):
    """Each one present votes, or left before the vote; sometimes a forced tie."""
    p_left = rng.choice([0, 0, 0, 0.05, 0.2])
    mix = rng.choice([(5, 3, 1, 0), (3, 3, 2, 0), (4, 4, 0, 0), (2, 1, 3, 2), (1, 1, 1, 1), (6, 1, 0, 0)])
    out = {}
    for e in present_ids:
        if rng.random() < p_left:
            continue
        out[e] = rng.choices(["yes", "no", "abstain", "blank"], weights=mix)[0]
    if rng.random() < 0.15:  # make it a tie by heads when it can be
        ids = sorted(out)
        yes_no = [e for e in ids if out[e] in ("yes", "no")]
        half = len(yes_no) // 2
        for k, e in enumerate(yes_no[: 2 * half]):
            out[e] = "yes" if k < half else "no"
        for e in yes_no[2 * half:]:
            out[e] = "abstain"
    return out


def random_case(rng, i):
    n = rng.randint(1, 45)
    quorum = pick(rng, QUORUMS)
    maj = pick(rng, MAJORITIES)
    own = pick(rng, MAJORITIES) if rng.random() < 0.2 else None  # a motion's own majority
    weighted = is_weighted(quorum) or is_weighted(maj) or is_weighted(own) or rng.random() < 0.15
    ws = random_weights(rng, n) if weighted else None
    snap = None
    if ws is not None:
        snap = list(ws)
        if rng.random() < 0.3:  # the snapshot at the date differs from today's weights
            snap = random_weights(rng, n)
    k = random_presence(rng, n, quorum)
    present = sorted(rng.sample([eid(j) for j in range(1, n + 1)], k))
    date = f"{rng.randint(2025, 2027)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    motions = [motion(str(j + 1), random_votes(rng, present), own if j == 0 else None)
               for j in range(rng.choice([0, 1, 1, 2, 3]))]
    b = board(n, quorum, maj, ws, [sitting(present, motions, snapshot(snap) if snap else None, date)],
              kind=rng.choice(["strategico", "tecnico", "tematico"]))
    mot = rng.choice([m["id"] for m in motions]) if motions and rng.random() < 0.85 else None
    c = case(f"generated {i}", b, date, mot)
    exp = c.get("expected")
    if exp is not None and mot is None:
        c["expected"] = {k: exp[k] for k in ("members", "present", "required", "met")}
    return c


def generated_cases():
    rng = random.Random(SEED)
    return [random_case(rng, i) for i in range(COUNT)]


def main():
    write("governance.json", "governance",
          "Quorum and majorities (R-QUORUM, R-MAJORITY): input a board document with its sittings, the "
          "date of one sitting and a motion id (decide it) or null (the roll call); output the fields "
          "listed of the QuorumCheck (plus sentence) or of the Decision (plus passed and "
          "quorum.sentence), compared field by field, or the error code and path.",
          hand_cases() + generated_cases(), "generate_governance.py", SEED)


if __name__ == "__main__":
    main()
