"""An independent reference implementation of the governance rules (RULES.md R-QUORUM and
R-MAJORITY), in pure Python with integers and fractions.Fraction (never a float): what an
analyst would write without `cit`.

It shares no code with cit-core: it exists to check it. `generate_governance.py` uses it to
compute the expected numbers and outcome of every governance vector. It reads the same
board document as `Board::from_json` (members, quorum, majority, meetings with presence,
weights snapshotted at the date and motions with votes) and gives:

- `roll_call(board, date)`: members, present, required (None for a weighted quorum), met;
- `decide(board, date, motion)`: the tally, the quorum at the vote, the outcome
  (`passed`, `no_quorum`, `tie`, `rejected`) and `passed`.

It computes numbers and outcomes, not the Italian sentences (the hand-written vectors
carry those, written and checked by hand).

The rules, as RULES.md states them:

- R-QUORUM "la metà più uno dei componenti": by default the whole number just above half,
  floor(n/2) + 1; the literal reading ceil(n/2 + 1). Quorums written as fractions: at least
  that share of the members, the share rounded up by default (or down, to the nearest,
  or not at all). A weighted quorum: the weight present compared exactly with a share of
  the total weight. Never fewer than one present. At the vote, those with a vote record
  are the ones present.
- R-MAJORITY: a heads condition (base members / present / voters, fraction, comparator
  more_than / at_least, rounding), a weights condition (base, fraction, comparator; exact),
  or both (double majority); abstentions and blank ballots weigh as no (stay in the
  "present" base) or are left out of it. A tie (as many yes as no, by heads for a heads
  condition, by weight for a weights condition) never passes; without quorum at the vote
  nothing passes.
"""

from __future__ import annotations

import math
from fractions import Fraction

DEFAULT_QUORUM = {"kind": "half_plus_one", "reading": "whole_above_half"}
DEFAULT_MAJORITY = {"heads": {"base": "present", "fraction": "1/2", "comparator": "more_than",
                              "rounding": "exact"},
                    "abstentions": "weigh_as_no"}


class GovernanceError(Exception):
    """A refusal, with the code and path cit-core gives."""

    def __init__(self, code: str, path: str):
        super().__init__(f"{code} at {path}")
        self.code = code
        self.path = path


def frac(text: str) -> Fraction:
    """'2/3' → Fraction(2, 3); only 0 < n ≤ d."""
    n, d = text.split("/")
    f = Fraction(int(n), int(d))
    assert 0 < f <= 1, text
    return f


def weight(value) -> Fraction:
    """A weight written as a decimal string (or an integer) → an exact Fraction."""
    assert not isinstance(value, float), "weights are never floats"
    return Fraction(str(value))


def rounded(share: Fraction, rounding: str) -> Fraction:
    """The share of a base, made whole as the rule says (exact: left as it is)."""
    if rounding == "exact":
        return share
    if rounding == "up":
        return Fraction(math.ceil(share))
    if rounding == "down":
        return Fraction(math.floor(share))
    if rounding == "nearest":  # halves up
        return Fraction(math.floor(share + Fraction(1, 2)))
    raise ValueError(rounding)


def fewest(threshold: Fraction, comparator: str) -> int:
    """The smallest whole count c with c ≥ threshold (at_least) or c > threshold (more_than)."""
    if comparator == "at_least":
        return math.ceil(threshold)
    if comparator == "more_than":
        return math.floor(threshold) + 1
    raise ValueError(comparator)


def meets(value: Fraction, threshold: Fraction, comparator: str) -> bool:
    return value >= threshold if comparator == "at_least" else value > threshold


# --- R-QUORUM ---------------------------------------------------------------------------

def quorum_required(quorum: dict, n: int):
    """Members required out of n; None for a weighted quorum."""
    kind = quorum["kind"]
    if kind == "half_plus_one":
        reading = quorum.get("reading", "whole_above_half")
        if reading == "whole_above_half":
            need = n // 2 + 1
        elif reading == "literal":
            need = math.ceil(Fraction(n, 2) + 1)
        else:
            raise ValueError(reading)
    elif kind == "fraction":
        share = rounded(n * frac(quorum["fraction"]), quorum.get("rounding", "up"))
        need = fewest(share, "at_least")
    elif kind == "weighted":
        return None
    else:
        raise ValueError(kind)
    return max(need, 1)  # a sitting nobody attends is never valid


def quorum_check(quorum: dict, members: int, present: int, w_members=None, w_present=None) -> dict:
    required = quorum_required(quorum, members)
    if required is None:
        share = w_members * frac(quorum["fraction"])
        met = present > 0 and meets(w_present, share, quorum.get("comparator", "more_than"))
    else:
        met = present >= required
    return {"members": members, "present": present, "required": required, "met": met}


# --- the board document ------------------------------------------------------------------

def is_weighted_majority(majority: dict) -> bool:
    return majority.get("weights") is not None


def validate(board: dict) -> None:
    """The refusals the vectors exercise, in the order the core reports them (the first
    problem gives the path): members, president, weighted rules without weights, then
    each sitting's presence, weights and votes."""
    members = [m["ente"] for m in board["members"]]
    if not members:
        raise GovernanceError("invalid", "members")
    for i, ente in enumerate(members):
        if ente in members[:i]:
            raise GovernanceError("invalid", f"members[{i}].ente")
    if board["president"] not in members:
        raise GovernanceError("invalid", "president")
    quorum = board.get("quorum", DEFAULT_QUORUM)
    majority = board.get("majority", DEFAULT_MAJORITY)
    has_weights = any("weight" in m for m in board["members"])
    if not has_weights and quorum["kind"] == "weighted":
        raise GovernanceError("invalid", "quorum")
    if not has_weights and is_weighted_majority(majority):
        raise GovernanceError("invalid", "majority")
    for i, sitting in enumerate(board.get("meetings", [])):
        prefix = f"meetings[{i}]"
        seen = set()
        for k, ente in enumerate(sitting["present"]):
            if ente not in members or ente in seen:
                raise GovernanceError("invalid", f"{prefix}.present[{k}]")
            seen.add(ente)
        needed = quorum["kind"] == "weighted" or is_weighted_majority(majority) or any(
            is_weighted_majority(m.get("majority") or {}) for m in sitting.get("motions", []))
        weights = sitting.get("weights", {})
        if needed and not weights:
            raise GovernanceError("invalid", f"{prefix}.weights")
        if weights and set(weights) != set(members):
            raise GovernanceError("invalid", f"{prefix}.weights")
        for j, motion in enumerate(sitting.get("motions", [])):
            for ente in sorted(motion["votes"]):
                if ente not in members or ente not in seen:
                    raise GovernanceError("invalid", f"{prefix}.motions[{j}].votes.{ente}")


def sitting_of(board: dict, date: str) -> dict:
    for s in board.get("meetings", []):
        if s["date"] == date:
            return s
    raise KeyError(date)


def roll_call(board: dict, date: str) -> dict:
    """R-QUORUM at the roll call: those listed as present at the sitting."""
    validate(board)
    sitting = sitting_of(board, date)
    quorum = board.get("quorum", DEFAULT_QUORUM)
    w = {k: weight(v) for k, v in sitting.get("weights", {}).items()}
    return quorum_check(quorum, len(board["members"]), len(sitting["present"]),
                        sum(w.values(), Fraction(0)),
                        sum((w.get(e, Fraction(0)) for e in sitting["present"]), Fraction(0)))


# --- R-MAJORITY --------------------------------------------------------------------------

def decide(board: dict, date: str, motion_id: str) -> dict:
    """R-MAJORITY for one motion, with R-QUORUM checked at the vote."""
    validate(board)
    sitting = sitting_of(board, date)
    motion = next((m for m in sitting.get("motions", []) if m["id"] == motion_id), None)
    if motion is None:
        raise GovernanceError("invalid_value", "motion")
    quorum = board.get("quorum", DEFAULT_QUORUM)
    majority = motion.get("majority") or board.get("majority", DEFAULT_MAJORITY)
    votes = motion["votes"]

    heads = {v: sum(1 for x in votes.values() if x == v) for v in ("yes", "no", "abstain", "blank")}
    n = len(board["members"])
    present = len(votes)  # presence at the vote: those with a vote record
    w = {k: weight(v) for k, v in sitting.get("weights", {}).items()}
    wv = {v: sum((w.get(e, 0) for e, x in votes.items() if x == v), Fraction(0))
          for v in ("yes", "no", "abstain", "blank")}
    w_members = sum(w.values(), Fraction(0))
    w_present = sum(wv.values(), Fraction(0))

    q = quorum_check(quorum, n, present, w_members, w_present)
    left_out = majority.get("abstentions", "weigh_as_no") == "left_out"

    h_rule, w_rule = majority.get("heads"), majority.get("weights")
    heads_ok = weights_ok = True
    heads_check = None
    if h_rule:
        base = {"members": n,
                "present": heads["yes"] + heads["no"] if left_out else present,
                "voters": heads["yes"] + heads["no"]}[h_rule["base"]]
        share = rounded(base * frac(h_rule["fraction"]), h_rule.get("rounding", "exact"))
        required = fewest(share, h_rule.get("comparator", "more_than"))
        heads_ok = heads["yes"] >= required
        heads_check = {"base": base, "required": required, "met": heads_ok}
    if w_rule:
        wbase = {"members": w_members,
                 "present": wv["yes"] + wv["no"] if left_out else w_present,
                 "voters": wv["yes"] + wv["no"]}[w_rule["base"]]
        weights_ok = meets(wv["yes"], wbase * frac(w_rule["fraction"]),
                           w_rule.get("comparator", "more_than"))

    tie = (h_rule and heads["yes"] == heads["no"]) or (w_rule and wv["yes"] == wv["no"])
    outnumbered = (h_rule and heads["yes"] < heads["no"]) or (w_rule and wv["yes"] < wv["no"])
    if not q["met"]:
        outcome = "no_quorum"
    elif tie:
        outcome = "tie"
    elif outnumbered or not (heads_ok and weights_ok):
        outcome = "rejected"
    else:
        outcome = "passed"
    return {"passed": outcome == "passed", "outcome": outcome,
            "tally": {"members": n, "present": present, **heads},
            "quorum": q, "heads_check": heads_check}
