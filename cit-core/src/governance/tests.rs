//! Unit tests of governance, one group per rule (R-QUORUM, R-MAJORITY, R-YEARLY,
//! R-ADOPT), then the documents, then properties.

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;

use super::*;
use crate::Error;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn date(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn id(i: usize) -> String {
    format!("e{i:02}")
}

/// A board of `n` members `e01…`, presided by the first.
fn board(n: usize, kind: BoardKind) -> Board {
    Board {
        id: format!("{kind}-{n}"),
        kind,
        name: format!("{} di prova", kind.label()),
        president: id(1),
        members: (1..=n)
            .map(|i| Member::new(id(i), format!("Rappresentante {i}")))
            .collect(),
        quorum: Quorum::default(),
        majority: Majority::default(),
        meetings: Vec::new(),
    }
}

fn weighted_board(weights: &[&str], kind: BoardKind) -> Board {
    let mut b = board(weights.len(), kind);
    for (m, w) in b.members.iter_mut().zip(weights) {
        m.weight = Some(d(w));
    }
    b
}

/// A sitting of `b` on `on` with members `1..=present` attending and one motion `"1"`
/// voted `yes`, `no`, `abstain` (in that order among those present).
fn sitting(b: &Board, on: NaiveDate, present: usize, yes: usize, no: usize) -> Meeting {
    let mut m = b.new_meeting(on);
    m.present = (1..=present).map(id).collect();
    let mut motion = Motion::new("1", "Quota di adesione");
    for i in 1..=present {
        let vote = if i <= yes {
            Vote::Yes
        } else if i <= yes + no {
            Vote::No
        } else {
            Vote::Abstain
        };
        motion.votes.insert(id(i), vote);
    }
    m.motions.push(motion);
    m
}

fn tally(members: u64, yes: u64, no: u64, abstain: u64, blank: u64) -> Tally {
    Tally {
        members,
        present: yes + no + abstain + blank,
        yes,
        no,
        abstain,
        blank,
    }
}

const LITERAL: Quorum = Quorum::HalfPlusOne {
    reading: Reading::Literal,
};

// ---------------------------------------------------------------- R-QUORUM

#[test]
fn r_quorum_default_is_the_whole_number_above_half() {
    for (n, q) in [
        (1, 1),
        (2, 2),
        (3, 2),
        (4, 3),
        (7, 4),
        (15, 8),
        (16, 9),
        (33, 17),
    ] {
        assert_eq!(Quorum::default().required(n), Some(q), "{n} members");
    }
}

#[test]
fn r_quorum_literal_reading_rounds_half_plus_one_up() {
    for (n, q) in [
        (1, 2),
        (2, 2),
        (3, 3),
        (4, 3),
        (7, 5),
        (15, 9),
        (16, 9),
        (33, 18),
    ] {
        assert_eq!(LITERAL.required(n), Some(q), "{n} members");
    }
}

#[test]
fn r_quorum_odd_15_default_is_8() {
    let check = Quorum::default().check(15, 8, None).unwrap();
    assert!(check.met);
    assert_eq!(check.required, Some(8));
    assert_eq!(check.reading(), Some(Reading::WholeAboveHalf));
    assert!(!Quorum::default().check(15, 7, None).unwrap().met);
}

#[test]
fn r_quorum_odd_15_literal_is_9_and_the_result_names_the_reading() {
    let check = LITERAL.check(15, 8, None).unwrap();
    assert!(!check.met);
    assert_eq!(check.required, Some(9));
    assert_eq!(check.reading(), Some(Reading::Literal));
    assert_eq!(
        check.to_string(),
        "Presenti 8 su 15, necessari 9 (metà più uno dei componenti, lettura letterale, \
         n/2 + 1 arrotondato per eccesso): numero legale non raggiunto"
    );
}

#[test]
fn r_quorum_even_16_both_readings_are_9() {
    assert_eq!(Quorum::default().required(16), Some(9));
    assert_eq!(LITERAL.required(16), Some(9));
}

#[test]
fn r_quorum_one_member_literal_reading_is_unattainable() {
    let check = LITERAL.check(1, 1, None).unwrap();
    assert!(!check.met);
    assert!(check.to_string().contains("non raggiungibile"), "{check}");
    assert!(Quorum::default().check(1, 1, None).unwrap().met);
}

#[test]
fn r_quorum_two_three_four_members() {
    let q = Quorum::default();
    assert!(!q.check(2, 1, None).unwrap().met);
    assert!(q.check(2, 2, None).unwrap().met);
    assert!(q.check(3, 2, None).unwrap().met);
    assert!(!LITERAL.check(3, 2, None).unwrap().met);
    assert!(!q.check(4, 2, None).unwrap().met);
    assert!(q.check(4, 3, None).unwrap().met);
}

#[test]
fn r_quorum_fractions_round_up_by_default() {
    let q: Quorum = serde_json::from_str(r#"{"kind": "fraction", "fraction": "1/3"}"#).unwrap();
    assert_eq!(
        q,
        Quorum::Fraction {
            fraction: Fraction::ONE_THIRD,
            rounding: Rounding::Up
        }
    );
    assert_eq!(q.required(15), Some(5));
    assert_eq!(q.required(16), Some(6));
    let frac = |f, rounding| Quorum::Fraction {
        fraction: f,
        rounding,
    };
    assert_eq!(
        frac(Fraction::TWO_FIFTHS, Rounding::Up).required(16),
        Some(7)
    );
    assert_eq!(
        frac(Fraction::TWO_FIFTHS, Rounding::Down).required(16),
        Some(6)
    );
    assert_eq!(
        frac(Fraction::TWO_FIFTHS, Rounding::Nearest).required(16),
        Some(6)
    );
    assert_eq!(
        frac(Fraction::TWO_THIRDS, Rounding::Up).required(16),
        Some(11)
    );
    assert_eq!(
        frac(Fraction::TWO_THIRDS, Rounding::Down).required(16),
        Some(10)
    );
    assert_eq!(
        frac(Fraction::TWO_THIRDS, Rounding::Nearest).required(16),
        Some(11)
    );
    assert_eq!(
        frac(Fraction::TWO_THIRDS, Rounding::Up).required(15),
        Some(10)
    );
    assert_eq!(
        frac(Fraction::ONE_THIRD, Rounding::Down)
            .check(16, 5, None)
            .unwrap()
            .to_string(),
        "Presenti 5 su 16, necessari 5 (almeno 1/3 dei componenti, soglia arrotondata per \
         difetto): numero legale raggiunto"
    );
}

#[test]
fn r_quorum_is_never_zero() {
    // One third of two, rounded down, is zero: a sitting nobody attends is still invalid.
    let q = Quorum::Fraction {
        fraction: Fraction::ONE_THIRD,
        rounding: Rounding::Down,
    };
    assert_eq!(q.required(2), Some(1));
    assert!(!q.check(2, 0, None).unwrap().met);
}

#[test]
fn r_quorum_everyone_absent_is_never_valid() {
    for n in [1, 2, 3, 4, 15, 16] {
        for q in [Quorum::default(), LITERAL] {
            assert!(!q.check(n, 0, None).unwrap().met, "{q:?} with {n}");
        }
    }
    let w = Quorum::Weighted {
        fraction: Fraction::HALF,
        comparator: Comparator::MoreThan,
    };
    let presence = WeightPresence {
        members: d("100"),
        present: d("0"),
    };
    assert!(!w.check(4, 0, Some(presence)).unwrap().met);
}

#[test]
fn r_quorum_weighted_counts_the_share_of_weight_present() {
    let w = Quorum::Weighted {
        fraction: Fraction::HALF,
        comparator: Comparator::MoreThan,
    };
    let at = |present: &str| {
        w.check(
            3,
            1,
            Some(WeightPresence {
                members: d("493"),
                present: d(present),
            }),
        )
        .unwrap()
    };
    assert!(!at("246.5").met);
    let check = at("246.6");
    assert!(check.met);
    assert_eq!(check.required, None);
    assert_eq!(
        check.to_string(),
        "Presenti 1 su 3 con peso 246,6 su 493, necessario più di 1/2 del peso dei \
         componenti: numero legale raggiunto"
    );
}

#[test]
fn r_quorum_weights_summing_to_zero_are_an_error() {
    let w = Quorum::Weighted {
        fraction: Fraction::HALF,
        comparator: Comparator::MoreThan,
    };
    let zero = WeightPresence {
        members: Decimal::ZERO,
        present: Decimal::ZERO,
    };
    let e = w.check(3, 2, Some(zero)).unwrap_err();
    assert_eq!(e.code(), "invalid_value");
    assert!(e.to_string().contains("sum to more than zero"), "{e}");
    assert_eq!(w.check(3, 2, None).unwrap_err().code(), "invalid_value");
}

#[test]
fn r_quorum_more_present_than_members_is_an_error() {
    let e = Quorum::default().check(3, 4, None).unwrap_err();
    assert_eq!(e.path().as_deref(), Some("present"));
}

#[test]
fn r_quorum_must_hold_at_the_vote() {
    // 15 members, 9 at the roll call, only 7 still in the room at the vote.
    let b = board(15, BoardKind::Strategico);
    let mut m = sitting(&b, date(2026, 3, 12), 9, 7, 0);
    m.motions[0].votes.remove(&id(8));
    m.motions[0].votes.remove(&id(9));
    assert!(b.roll_call(&m).unwrap().met);
    let decision = b.decide(&m, "1").unwrap();
    assert_eq!(decision.outcome, Outcome::NoQuorum);
    assert_eq!(
        decision.sentence,
        "Presenti 7 su 15; favorevoli 7, contrari 0, astenuti 0: non approvata, manca il \
         numero legale (necessari 8)"
    );
}

// ---------------------------------------------------------------- R-MAJORITY

#[test]
fn r_majority_of_present_minutes_sentence() {
    let decision = Majority::default()
        .decide(&Quorum::default(), &tally(15, 6, 2, 1, 0), None)
        .unwrap();
    assert!(decision.passed());
    assert_eq!(decision.heads_check.map(|h| h.required), Some(5));
    assert_eq!(
        decision.to_string(),
        "Presenti 9 su 15; favorevoli 6, contrari 2, astenuti 1: approvata a maggioranza dei \
         presenti"
    );
}

#[test]
fn r_majority_of_present_abstentions_weigh_as_no_by_default() {
    // 9 present: 4 yes, 3 no, 2 abstain. Of those present 5 are needed.
    let t = tally(15, 4, 3, 2, 0);
    let q = Quorum::default();
    let present = Majority::of_present().decide(&q, &t, None).unwrap();
    assert_eq!(present.outcome, Outcome::Rejected);
    assert_eq!(
        present.sentence,
        "Presenti 9 su 15; favorevoli 4, contrari 3, astenuti 2: respinta: necessari almeno 5 \
         voti favorevoli (maggioranza dei presenti)"
    );
    // Of voters: 4 > 3.
    assert!(Majority::of_voters().decide(&q, &t, None).unwrap().passed());
    // Abstentions left out (Camera): base 7, 4 > 3,5.
    let camera = Majority {
        abstentions: Abstentions::LeftOut,
        ..Majority::of_present()
    };
    let left_out = camera.decide(&q, &t, None).unwrap();
    assert!(left_out.passed());
    assert_eq!(
        left_out.sentence,
        "Presenti 9 su 15; favorevoli 4, contrari 3, astenuti 2: approvata a maggioranza dei \
         presenti, astenuti e schede bianche non computati"
    );
}

#[test]
fn r_majority_blank_ballots_are_listed_and_weigh_as_no_among_those_present() {
    let t = tally(15, 5, 2, 1, 2);
    let decision = Majority::of_present()
        .decide(&Quorum::default(), &t, None)
        .unwrap();
    assert!(!decision.passed());
    assert!(
        decision.sentence.starts_with(
            "Presenti 10 su 15; favorevoli 5, contrari 2, astenuti 1, schede bianche 2:"
        ),
        "{decision}"
    );
}

#[test]
fn r_majority_tie_never_passes() {
    let q = Quorum::default();
    let t = tally(4, 2, 2, 0, 0);
    let at_least_half = Majority {
        heads: Some(HeadsRule {
            base: Base::Voters,
            fraction: Fraction::HALF,
            comparator: Comparator::AtLeast,
            rounding: Rounding::Exact,
        }),
        ..Majority::default()
    };
    for rule in [
        Majority::of_present(),
        Majority::of_voters(),
        Majority::absolute(),
        Majority::qualified(Fraction::ONE_THIRD, Base::Members),
        at_least_half,
    ] {
        let decision = rule.decide(&q, &t, None).unwrap();
        assert_eq!(decision.outcome, Outcome::Tie, "{rule:?}");
        assert!(decision.sentence.ends_with("respinta per parità di voti"));
    }
    // A tie in weight fails a weighted majority, whatever the heads.
    let w = WeightTally {
        members: d("100"),
        present: d("100"),
        yes: d("50"),
        no: d("50"),
        abstain: d("0"),
        blank: d("0"),
    };
    let decision = Majority::weighted(Base::Present)
        .decide(&q, &tally(4, 3, 1, 0, 0), Some(&w))
        .unwrap();
    assert_eq!(decision.outcome, Outcome::Tie);
    assert!(decision.sentence.ends_with("respinta per parità di peso"));
}

#[test]
fn r_majority_more_no_than_yes_never_passes() {
    // At least a third of the members: 5 of 15 is enough, but 6 are against.
    let rule = Majority::qualified(Fraction::ONE_THIRD, Base::Members);
    let decision = rule
        .decide(&Quorum::default(), &tally(15, 5, 6, 0, 0), None)
        .unwrap();
    assert_eq!(decision.outcome, Outcome::Rejected);
    assert!(
        decision
            .sentence
            .ends_with("respinta, contrari più numerosi dei favorevoli")
    );
}

#[test]
fn r_majority_all_abstain_passes_nothing() {
    let q = Quorum::default();
    let t = tally(15, 0, 0, 9, 0);
    for rule in [
        Majority::of_present(),
        Majority::of_voters(),
        Majority::absolute(),
        Majority::qualified(Fraction::TWO_THIRDS, Base::Present),
    ] {
        let decision = rule.decide(&q, &t, None).unwrap();
        assert!(!decision.passed(), "{rule:?}");
        assert!(
            decision
                .sentence
                .ends_with("respinta, nessun voto favorevole"),
            "{decision}"
        );
    }
}

#[test]
fn r_majority_everyone_absent_has_no_quorum() {
    for n in [1, 2, 3, 4, 15, 16] {
        let decision = Majority::of_voters()
            .decide(&Quorum::default(), &tally(n, 0, 0, 0, 0), None)
            .unwrap();
        assert_eq!(decision.outcome, Outcome::NoQuorum, "{n} members");
        assert!(decision.sentence.contains("manca il numero legale"));
    }
}

#[test]
fn r_majority_without_quorum_a_unanimous_vote_does_not_pass() {
    let b = board(15, BoardKind::Strategico);
    let m = sitting(&b, date(2026, 3, 12), 7, 7, 0);
    assert!(!b.roll_call(&m).unwrap().met);
    let decision = b.decide(&m, "1").unwrap();
    assert_eq!(decision.outcome, Outcome::NoQuorum);
    assert!(!decision.passed());
    assert_eq!(
        decision.sentence,
        "Presenti 7 su 15; favorevoli 7, contrari 0, astenuti 0: non approvata, manca il \
         numero legale (necessari 8)"
    );
}

#[test]
fn r_majority_small_boards_1_2_3_4() {
    let q = Quorum::default();
    let of_present = Majority::of_present();
    let passes = |t: Tally| of_present.decide(&q, &t, None).unwrap().passed();
    assert!(passes(tally(1, 1, 0, 0, 0)));
    assert!(!passes(tally(1, 0, 1, 0, 0)));
    assert!(!passes(tally(1, 0, 0, 1, 0)));
    assert!(passes(tally(2, 2, 0, 0, 0)));
    assert!(!passes(tally(2, 1, 0, 1, 0))); // 1 of 2 present is not more than half
    assert!(!passes(tally(2, 1, 1, 0, 0)));
    assert!(passes(tally(3, 2, 0, 0, 0)));
    assert!(passes(tally(3, 2, 1, 0, 0)));
    assert!(!passes(tally(3, 1, 0, 1, 0)));
    assert!(passes(tally(4, 2, 0, 1, 0)));
    assert!(!passes(tally(4, 2, 1, 1, 0)));
    assert!(passes(tally(4, 3, 1, 0, 0)));
}

#[test]
fn r_majority_absolute_counts_all_members() {
    let q = Quorum::default();
    let rule = Majority::absolute();
    assert!(
        rule.decide(&q, &tally(15, 8, 0, 1, 0), None)
            .unwrap()
            .passed()
    );
    let short = rule.decide(&q, &tally(15, 7, 0, 2, 0), None).unwrap();
    assert!(!short.passed());
    assert_eq!(
        short.heads_check.map(|h| (h.base, h.required)),
        Some((15, 8))
    );
    assert!(
        short
            .sentence
            .contains("maggioranza assoluta dei componenti")
    );
    assert!(
        rule.decide(&q, &tally(16, 9, 0, 0, 0), None)
            .unwrap()
            .passed()
    );
    assert!(
        !rule
            .decide(&q, &tally(16, 8, 0, 1, 0), None)
            .unwrap()
            .passed()
    );
}

#[test]
fn r_majority_qualified_two_thirds_rounds_up() {
    let q = Quorum::default();
    let of_present = Majority::qualified(Fraction::TWO_THIRDS, Base::Present);
    // 16 present: 2/3 = 10,67 → 11.
    let d16 = of_present
        .decide(&q, &tally(16, 10, 6, 0, 0), None)
        .unwrap();
    assert!(!d16.passed());
    assert_eq!(d16.heads_check.map(|h| h.required), Some(11));
    assert!(
        of_present
            .decide(&q, &tally(16, 11, 5, 0, 0), None)
            .unwrap()
            .passed()
    );
    // 2/3 of 15 members = 10.
    let of_members = Majority::qualified(Fraction::TWO_THIRDS, Base::Members);
    let ok = of_members
        .decide(&q, &tally(15, 10, 1, 0, 0), None)
        .unwrap();
    assert!(ok.passed());
    assert_eq!(
        ok.sentence,
        "Presenti 11 su 15; favorevoli 10, contrari 1, astenuti 0: approvata a maggioranza \
         qualificata dei 2/3 dei componenti"
    );
    assert!(
        !of_members
            .decide(&q, &tally(15, 9, 0, 0, 0), None)
            .unwrap()
            .passed()
    );
}

#[test]
fn r_majority_unanimity_reads_as_such() {
    let rule = Majority::qualified(Fraction::ONE, Base::Present);
    let decision = rule
        .decide(&Quorum::default(), &tally(5, 4, 0, 0, 0), None)
        .unwrap();
    assert!(decision.passed());
    assert!(
        decision
            .sentence
            .ends_with("approvata all'unanimità dei presenti")
    );
    assert!(
        !rule
            .decide(&Quorum::default(), &tally(5, 3, 0, 1, 0), None)
            .unwrap()
            .passed()
    );
}

/// TUEL art. 31 c. 4: e.g. 22 of 40 members holding 269 of 493 shares.
#[test]
fn r_majority_double_majority_of_heads_and_weights() {
    let rule = Majority::double(Base::Members);
    assert_eq!(
        rule.name(),
        "doppia maggioranza assoluta dei componenti, per teste e per peso"
    );
    let q = Quorum::default();
    let shares = |yes: &str, no: &str| WeightTally {
        members: d("493"),
        present: d(yes) + d(no),
        yes: d(yes),
        no: d(no),
        abstain: Decimal::ZERO,
        blank: Decimal::ZERO,
    };
    let ok = rule
        .decide(&q, &tally(40, 22, 8, 0, 0), Some(&shares("269", "100")))
        .unwrap();
    assert!(ok.passed());
    assert_eq!(
        ok.sentence,
        "Presenti 30 su 40; favorevoli 22, contrari 8, astenuti 0; peso favorevole 269 su 493 \
         dei componenti: approvata a doppia maggioranza assoluta dei componenti, per teste e \
         per peso"
    );
    // Heads enough, weight not: 246,5 is exactly half of 493.
    let light = rule
        .decide(&q, &tally(40, 22, 8, 0, 0), Some(&shares("246.5", "100")))
        .unwrap();
    assert_eq!(light.outcome, Outcome::Rejected);
    assert!(
        light
            .sentence
            .contains("necessario più di 1/2 del peso dei componenti")
    );
    // Weight enough, heads not.
    let few = rule
        .decide(&q, &tally(40, 20, 10, 0, 0), Some(&shares("300", "100")))
        .unwrap();
    assert_eq!(few.outcome, Outcome::Rejected);
    assert!(few.sentence.contains("necessari almeno 21 voti favorevoli"));
}

#[test]
fn r_majority_weighted_uses_the_weights_snapshotted_at_the_meeting_date() {
    let mut b = weighted_board(&["189902", "26793", "23734"], BoardKind::Strategico);
    b.majority = Majority::weighted(Base::Present);
    // The big comune votes no; the two smaller ones yes.
    let mut m = b.new_meeting(date(2026, 3, 12));
    m.present = vec![id(1), id(2), id(3)];
    let mut motion = Motion::new("1", "Quota");
    motion.votes.insert(id(1), Vote::No);
    motion.votes.insert(id(2), Vote::Yes);
    motion.votes.insert(id(3), Vote::Yes);
    m.motions.push(motion);
    let before = b.decide(&m, "1").unwrap();
    assert!(!before.passed());
    assert_eq!(
        before.sentence,
        "Presenti 3 su 3; favorevoli 2, contrari 1, astenuti 0; peso favorevole 50.527 su \
         240.429 dei presenti: respinta: necessario più di 1/2 del peso dei presenti \
         (maggioranza ponderata dei presenti)"
    );
    // The board's weights change later: the sitting keeps its snapshot.
    b.members[0].weight = Some(d("1"));
    assert_eq!(b.decide(&m, "1").unwrap(), before);
    // A sitting convened now snapshots the new weights.
    let mut later = b.new_meeting(date(2027, 3, 12));
    later.present = m.present.clone();
    later.motions = m.motions.clone();
    assert!(b.decide(&later, "1").unwrap().passed());
}

#[test]
fn r_majority_weights_summing_to_zero_are_an_error() {
    // In the board document.
    let b = weighted_board(&["0", "0", "0"], BoardKind::Strategico);
    let e = b.validate().unwrap_err();
    assert_eq!(e.code(), "invalid");
    assert!(
        e.to_string().contains("weights that sum to more than zero"),
        "{e}"
    );
    // In a sitting's snapshot.
    let mut b = weighted_board(&["1", "2", "3"], BoardKind::Strategico);
    b.majority = Majority::weighted(Base::Present);
    let mut m = sitting(&b, date(2026, 1, 1), 3, 2, 1);
    for w in m.weights.values_mut() {
        *w = Decimal::ZERO;
    }
    let e = b.decide(&m, "1").unwrap_err();
    assert_eq!(e.path().as_deref(), Some("weights"));
    assert!(
        e.to_string().contains("weights that sum to more than zero"),
        "{e}"
    );
    // In a bare weight tally.
    let zero = WeightTally {
        members: Decimal::ZERO,
        present: Decimal::ZERO,
        yes: Decimal::ZERO,
        no: Decimal::ZERO,
        abstain: Decimal::ZERO,
        blank: Decimal::ZERO,
    };
    let e = Majority::weighted(Base::Members)
        .decide(&Quorum::default(), &tally(3, 0, 0, 0, 0), Some(&zero))
        .unwrap_err();
    assert_eq!(e.code(), "invalid_value");
}

#[test]
fn r_majority_weighted_rule_needs_weights() {
    let e = Majority::weighted(Base::Present)
        .decide(&Quorum::default(), &tally(3, 2, 0, 0, 0), None)
        .unwrap_err();
    assert_eq!(e.path().as_deref(), Some("weights"));
    let mut b = board(3, BoardKind::Strategico);
    b.majority = Majority::double(Base::Members);
    let e = b.validate().unwrap_err();
    assert!(e.to_string().contains("the majority is weighted"), "{e}");
    // A motion's own weighted majority needs the sitting's snapshot.
    let b = board(3, BoardKind::Strategico);
    let mut m = sitting(&b, date(2026, 1, 1), 3, 2, 1);
    m.motions[0].majority = Some(Majority::weighted(Base::Present));
    let e = b.decide(&m, "1").unwrap_err();
    assert_eq!(e.path().as_deref(), Some("weights"));
}

#[test]
fn r_majority_tally_must_add_up() {
    let bad = Tally {
        members: 15,
        present: 9,
        yes: 6,
        no: 2,
        abstain: 0,
        blank: 0,
    };
    let e = Majority::default()
        .decide(&Quorum::default(), &bad, None)
        .unwrap_err();
    assert_eq!(e.path().as_deref(), Some("tally.present"));
    let too_many = tally(3, 4, 0, 0, 0);
    assert!(
        Majority::default()
            .decide(&Quorum::default(), &too_many, None)
            .is_err()
    );
}

#[test]
fn r_majority_rules_are_data_with_defaults() {
    let m: Majority = serde_json::from_str("{}").unwrap();
    assert_eq!(
        m,
        Majority {
            heads: None,
            weights: None,
            abstentions: Abstentions::WeighAsNo
        }
    );
    let m: Majority =
        serde_json::from_str(r#"{"heads": {"base": "present", "fraction": "1/2"}}"#).unwrap();
    assert_eq!(m, Majority::of_present());
    let qualified: Majority = serde_json::from_str(
        r#"{"heads": {"base": "members", "fraction": "2/3", "comparator": "at_least",
                      "rounding": "up"}}"#,
    )
    .unwrap();
    assert_eq!(
        qualified,
        Majority::qualified(Fraction::TWO_THIRDS, Base::Members)
    );
    for rule in [
        Majority::of_present(),
        Majority::of_voters(),
        Majority::absolute(),
        Majority::weighted(Base::Present),
        Majority::double(Base::Members),
    ] {
        let json = serde_json::to_string(&rule).unwrap();
        assert_eq!(
            serde_json::from_str::<Majority>(&json).unwrap(),
            rule,
            "{json}"
        );
    }
    assert_eq!(
        serde_json::to_string(&Majority::of_present()).unwrap(),
        r#"{"heads":{"base":"present","fraction":"1/2","comparator":"more_than","rounding":"exact"},"abstentions":"weigh_as_no"}"#
    );
    assert!(
        serde_json::from_str::<Majority>(
            r#"{"heads": {"base": "present", "fraction": "1/2", "quorum": 3}}"#
        )
        .is_err()
    );
}

#[test]
fn r_majority_names_for_the_minutes() {
    assert_eq!(
        Majority::of_present().adverbial(),
        "a maggioranza dei presenti"
    );
    assert_eq!(Majority::of_voters().name(), "maggioranza dei votanti");
    assert_eq!(
        Majority::absolute().name(),
        "maggioranza assoluta dei componenti"
    );
    assert_eq!(
        Majority::qualified(Fraction::TWO_THIRDS, Base::Present).name(),
        "maggioranza qualificata dei 2/3 dei presenti"
    );
    assert_eq!(
        Majority::weighted(Base::Present).name(),
        "maggioranza ponderata dei presenti"
    );
    let literal_half = Majority {
        heads: Some(HeadsRule {
            base: Base::Present,
            fraction: Fraction::HALF,
            comparator: Comparator::MoreThan,
            rounding: Rounding::Up,
        }),
        ..Majority::default()
    };
    assert_eq!(
        literal_half.name(),
        "maggioranza dei presenti (soglia arrotondata per eccesso)"
    );
}

// ---------------------------------------------------------------- R-YEARLY

#[test]
fn r_yearly_reports_who_met_and_who_missed() {
    let mut ts = board(15, BoardKind::Strategico);
    ts.meetings = vec![
        sitting(&ts, date(2024, 3, 12), 9, 9, 0),
        sitting(&ts, date(2025, 4, 2), 7, 7, 0), // no quorum: does not count
    ];
    let mut tt = board(4, BoardKind::Tecnico);
    let mut restricted = sitting(&tt, date(2025, 6, 1), 4, 4, 0);
    restricted.plenary = false; // a restricted session does not count
    tt.meetings = vec![sitting(&tt, date(2024, 9, 30), 3, 3, 0), restricted];
    let mut tm = board(3, BoardKind::Tematico);
    tm.meetings = vec![sitting(&tm, date(2025, 2, 1), 2, 2, 0)];

    let report = yearly(&[ts, tt, tm], 2024, 2025).unwrap();
    assert_eq!(
        report.missed(),
        vec![(2025, "strategico-15"), (2025, "tecnico-4")]
    );
    assert!(!report.is_complete());
    let y2024 = &report.years[0];
    assert_eq!(y2024.met.len(), 2, "the thematic board has no obligation");
    assert_eq!(y2024.met[0].sittings, vec![date(2024, 3, 12)]);
    assert_eq!(
        report.years[1].missed[0].without_quorum,
        vec![date(2025, 4, 2)]
    );
    assert_eq!(report.years[1].missed[1].without_quorum, vec![]);
    assert_eq!(
        report.to_string(),
        "2024: strategico-15 riunito (12/03/2024); tecnico-4 riunito (30/09/2024)\n\
         2025: tematico-3 riunito (01/02/2025); strategico-15 non riunito validamente, sedute \
         senza numero legale: 02/04/2025 (R-YEARLY); tecnico-4 non riunito (R-YEARLY)\n"
    );
}

#[test]
fn r_yearly_range_is_checked() {
    let b = board(3, BoardKind::Strategico);
    assert_eq!(
        yearly(std::slice::from_ref(&b), 2026, 2025)
            .unwrap_err()
            .code(),
        "invalid_value"
    );
    assert!(yearly(std::slice::from_ref(&b), i32::MIN, i32::MAX).is_err());
    let report = yearly(&[b], 2025, 2025).unwrap();
    assert_eq!(report.missed(), vec![(2025, "strategico-3")]);
    assert!(yearly(&[], 2020, 2025).unwrap().is_complete());
}

// ---------------------------------------------------------------- R-ADOPT

fn adopting_board() -> Board {
    let mut b = board(15, BoardKind::Strategico);
    let mut m = sitting(&b, date(2026, 3, 12), 12, 9, 2);
    m.motions[0].id = "3".into();
    b.meetings.push(m);
    b
}

#[test]
fn r_adopt_a_valid_deliberation_is_cited() {
    let b = adopting_board();
    let m = &b.meetings[0];
    let adoption = adopt(&b, m, "3").unwrap();
    assert_eq!(
        adoption.citation(),
        "Deliberazione del Tavolo Strategico del 12/03/2026, mozione 3: approvata a \
         maggioranza dei presenti (favorevoli 9 su 12 presenti)"
    );
    adoption.check(&b, m).unwrap();
    let json = adoption.to_json();
    assert_eq!(Adoption::from_json(&json).unwrap(), adoption);
    assert_eq!(
        json,
        r#"{"board":"strategico-15","meeting":"2026-03-12","motion":"3","title":"Quota di adesione","majority":"a maggioranza dei presenti","tally":{"members":15,"present":12,"yes":9,"no":2,"abstain":1,"blank":0}}"#
    );
}

#[test]
fn r_adopt_cites_the_register_number() {
    let mut b = adopting_board();
    b.meetings[0].motions[0].delibera = Some("14/2026".into());
    let adoption = adopt(&b, &b.meetings[0], "3").unwrap();
    assert!(
        adoption.citation().starts_with(
            "Deliberazione n. 14/2026 del Tavolo Strategico del 12/03/2026, mozione 3:"
        )
    );
}

#[test]
fn r_adopt_refused_unless_the_board_is_strategic() {
    for kind in [BoardKind::Tecnico, BoardKind::Tematico] {
        let mut b = adopting_board();
        b.kind = kind;
        let e = adopt(&b, &b.meetings[0], "3").unwrap_err();
        assert_eq!(e.code(), "adoption_refused");
        assert_eq!(e.path().as_deref(), Some("kind"));
        assert!(e.to_string().contains("only the Tavolo Strategico"), "{e}");
    }
}

#[test]
fn r_adopt_refused_without_quorum() {
    let b = board(15, BoardKind::Strategico);
    let m = sitting(&b, date(2026, 3, 12), 7, 7, 0);
    let e = adopt(&b, &m, "1").unwrap_err();
    assert_eq!(e.code(), "adoption_refused");
    assert_eq!(e.path().as_deref(), Some("present"));
    assert!(e.to_string().contains("numero legale non raggiunto"), "{e}");
}

#[test]
fn r_adopt_refused_when_the_motion_did_not_pass() {
    let b = board(15, BoardKind::Strategico);
    let tie = sitting(&b, date(2026, 3, 12), 10, 5, 5);
    let e = adopt(&b, &tie, "1").unwrap_err();
    assert_eq!(e.path().as_deref(), Some("motions[0].votes"));
    assert!(e.to_string().contains("respinta per parità di voti"), "{e}");
    // Quorum at the roll call, not at the vote.
    let mut left = sitting(&b, date(2026, 3, 12), 9, 7, 0);
    left.motions[0].votes.retain(|k, _| k.as_str() <= "e07");
    let e = adopt(&b, &left, "1").unwrap_err();
    assert!(e.to_string().contains("manca il numero legale"), "{e}");
    // No such motion.
    assert_eq!(adopt(&b, &tie, "9").unwrap_err().code(), "invalid_value");
}

#[test]
fn r_adopt_check_refuses_a_record_that_differs_from_the_minutes() {
    let b = adopting_board();
    let m = &b.meetings[0];
    let adoption = adopt(&b, m, "3").unwrap();
    let mut forged = adoption.clone();
    forged.tally.yes = 10;
    forged.tally.abstain = 0;
    let e = forged.check(&b, m).unwrap_err();
    assert_eq!(e.path().as_deref(), Some("adoption"));
    let mut other_day = adoption.clone();
    other_day.meeting = date(2026, 3, 13);
    assert_eq!(
        other_day.check(&b, m).unwrap_err().path().as_deref(),
        Some("meeting")
    );
    let mut other_board = adoption;
    other_board.board = "tt".into();
    assert_eq!(
        other_board.check(&b, m).unwrap_err().path().as_deref(),
        Some("board")
    );
}

#[test]
fn r_adopt_record_json_is_checked() {
    let e = Adoption::from_json(
        r#"{"board":"","meeting":"2026-03-12","motion":"3","title":"t","majority":"a maggioranza dei presenti",
            "tally":{"members":15,"present":12,"yes":9,"no":2,"abstain":0,"blank":0}}"#,
    )
    .unwrap_err();
    let Error::Invalid { problems, .. } = e else {
        panic!("{e:?}")
    };
    let paths: Vec<_> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["board", "tally.present"]);
    let e = Adoption::from_json(
        r#"{"board":"b","meeting":"2026-03-12","motion":"3","title":"t","majority":"m","tally":{"members":1,"present":0,"yes":0,"no":0,"abstain":0,"blank":0},"extra":1}"#,
    )
    .unwrap_err();
    assert_eq!(e.code(), "malformed");
}

// ---------------------------------------------------------------- documents

const BOARD_JSON: &str = r#"{
  "id": "ts-bs", "kind": "strategico", "name": "Tavolo Strategico CIT Brescia",
  "president": "017029",
  "members": [
    {"ente": "017029", "representative": "Sindaco di Brescia", "weight": 189902},
    {"ente": "017067", "representative": "Sindaco di Desenzano del Garda", "weight": "26793"},
    {"ente": "017113", "representative": "Sindaco di Montichiari", "weight": 23734.5}
  ],
  "quorum": {"kind": "weighted", "fraction": "1/2"},
  "majority": {"heads": {"base": "present", "fraction": "1/2"},
               "weights": {"base": "present", "fraction": "1/2"}},
  "meetings": [
    {"date": "2026-03-12", "present": ["017029", "017067", "017113"],
     "weights": {"017029": 189902, "017067": "26793", "017113": 23734.5},
     "motions": [
       {"id": "1", "title": "Quota 2027", "delibera": "3/2026",
        "votes": {"017029": "yes", "017067": "yes", "017113": "abstain"}}
     ]}
  ]
}"#;

#[test]
fn board_document_reads_decimals_exactly_and_round_trips() {
    let b = Board::from_json(BOARD_JSON).unwrap();
    assert_eq!(b.members[2].weight, Some(d("23734.5")));
    assert_eq!(b.meetings[0].weights.get("017113"), Some(&d("23734.5")));
    let json = b.to_json();
    assert!(json.contains(r#""weight":"189902""#), "{json}");
    assert_eq!(Board::from_json(&json).unwrap(), b);
    let decision = b.decide(&b.meetings[0], "1").unwrap();
    assert!(decision.passed());
    assert!(b.roll_call(&b.meetings[0]).unwrap().met);
}

#[test]
fn board_document_refuses_unknown_fields_everywhere() {
    for (from, to) in [
        (r#""president""#, r#""presidente": "x", "president""#),
        (
            r#""representative": "Sindaco di Brescia""#,
            r#""representative": "x", "peso": 1"#,
        ),
        (
            r#""kind": "weighted""#,
            r#""kind": "weighted", "reading": "literal""#,
        ),
        (
            r#""base": "present", "fraction": "1/2"}"#,
            r#""base": "present", "fraction": "1/2", "x": 1}"#,
        ),
        (
            r#""date": "2026-03-12""#,
            r#""date": "2026-03-12", "place": "Brescia""#,
        ),
        (
            r#""title": "Quota 2027""#,
            r#""title": "Quota 2027", "result": "ok""#,
        ),
    ] {
        let text = BOARD_JSON.replacen(from, to, 1);
        assert_ne!(text, BOARD_JSON, "{from}");
        let e = Board::from_json(&text).unwrap_err();
        assert_eq!(e.code(), "malformed", "{to}: {e}");
    }
}

#[test]
fn board_document_refuses_a_duplicate_vote() {
    let text = BOARD_JSON.replace(
        r#""017113": "abstain"}"#,
        r#""017113": "abstain", "017029": "no"}"#,
    );
    let e = Board::from_json(&text).unwrap_err();
    assert_eq!(e.code(), "malformed");
    assert!(e.to_string().contains("`017029` appears twice"), "{e}");
    assert!(
        e.path()
            .unwrap()
            .starts_with("meetings[0].motions[0].votes"),
        "{e}"
    );
}

#[test]
fn board_document_reports_every_problem_at_once() {
    let text = r#"{
      "id": "", "kind": "tecnico", "name": "T", "president": "zz",
      "members": [
        {"ente": "a", "representative": "A", "weight": -1},
        {"ente": "a", "representative": ""},
        {"ente": "b", "representative": "B", "weight": 2}
      ],
      "quorum": {"kind": "fraction", "fraction": "1/3"},
      "majority": {},
      "meetings": [
        {"date": "2025-01-10", "present": ["a", "x", "a"],
         "motions": [{"id": "1", "title": "t", "votes": {"b": "yes", "y": "no"}},
                     {"id": "1", "title": "t", "delibera": " ", "votes": {}}]},
        {"date": "2025-01-10", "present": []}
      ]
    }"#;
    let e = Board::from_json(text).unwrap_err();
    let Error::Invalid { document, problems } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(*document, "board");
    let paths: Vec<_> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "id",
            "members[0].weight",
            "members[1].ente",
            "members[1].representative",
            "members[1].weight",
            "president",
            "majority",
            "meetings[0].present[1]",
            "meetings[0].present[2]",
            "meetings[0].motions[0].votes.b",
            "meetings[0].motions[0].votes.y",
            "meetings[0].motions[1].id",
            "meetings[0].motions[1].delibera",
            "meetings[1].date",
        ],
        "{e}"
    );
}

#[test]
fn board_document_errors_carry_the_json_path() {
    let text = BOARD_JSON.replace(r#""fraction": "1/2"}"#, r#""fraction": "3/2"}"#);
    let e = Board::from_json(&text).unwrap_err();
    assert_eq!(e.code(), "malformed");
    let text = BOARD_JSON.replace(r#""weight": 189902"#, r#""weight": 1e5"#);
    let e = Board::from_json(&text).unwrap_err();
    assert_eq!(e.path().as_deref(), Some("members[0].weight"), "{e}");
}

#[test]
fn meeting_document_stands_alone_and_is_checked_against_its_board() {
    let text = r#"{"date": "2026-03-12", "present": ["e01", "e02", "e02"],
      "motions": [{"id": "1", "title": "t", "votes": {"e01": "yes", "e03": "no"}}]}"#;
    let e = Meeting::from_json(text).unwrap_err();
    let Error::Invalid { problems, .. } = &e else {
        panic!("{e:?}")
    };
    let paths: Vec<_> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["present[2]", "motions[0].votes.e03"]);

    let mut b = board(2, BoardKind::Tecnico);
    let ok = Meeting::from_json(
        r#"{"date": "2026-03-12", "present": ["e01", "e02"], "plenary": false}"#,
    )
    .unwrap();
    assert_eq!(
        ok.to_json(),
        r#"{"date":"2026-03-12","plenary":false,"present":["e01","e02"],"motions":[]}"#
    );
    b.add_meeting(ok.clone()).unwrap();
    let again = b.add_meeting(ok).unwrap_err();
    assert_eq!(again.path().as_deref(), Some("date"));
    assert_eq!(b.meetings.len(), 1);
    let stranger = Meeting::from_json(r#"{"date": "2026-04-01", "present": ["zz"]}"#).unwrap();
    let e = b.add_meeting(stranger).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Invalid {
                document: "meeting",
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(b.meetings.len(), 1);
}

#[test]
fn decide_names_the_motions_of_the_sitting() {
    let b = adopting_board();
    let e = b.decide(&b.meetings[0], "4").unwrap_err();
    assert_eq!(e.path().as_deref(), Some("motion"));
    assert!(e.to_string().contains(r#"("3")"#), "{e}");
}

// ---------------------------------------------------------------- properties

fn any_fraction() -> impl Strategy<Value = Fraction> {
    (1u32..=12, 1u32..=12).prop_filter_map("n ≤ d", |(n, d)| Fraction::new(n, d).ok())
}

fn any_rounding() -> impl Strategy<Value = Rounding> {
    prop_oneof![
        Just(Rounding::Exact),
        Just(Rounding::Up),
        Just(Rounding::Down),
        Just(Rounding::Nearest)
    ]
}

fn any_comparator() -> impl Strategy<Value = Comparator> {
    prop_oneof![Just(Comparator::MoreThan), Just(Comparator::AtLeast)]
}

fn any_base() -> impl Strategy<Value = Base> {
    prop_oneof![Just(Base::Members), Just(Base::Present), Just(Base::Voters)]
}

fn any_abstentions() -> impl Strategy<Value = Abstentions> {
    prop_oneof![Just(Abstentions::WeighAsNo), Just(Abstentions::LeftOut)]
}

fn any_heads_quorum() -> impl Strategy<Value = Quorum> {
    prop_oneof![
        Just(Quorum::default()),
        Just(LITERAL),
        (any_fraction(), any_rounding())
            .prop_map(|(fraction, rounding)| Quorum::Fraction { fraction, rounding }),
    ]
}

/// Any quorum rule, weighted ones included.
fn any_quorum() -> impl Strategy<Value = Quorum> {
    prop_oneof![
        3 => any_heads_quorum(),
        1 => (any_fraction(), any_comparator())
            .prop_map(|(fraction, comparator)| Quorum::Weighted { fraction, comparator }),
    ]
}

fn any_heads_rule() -> impl Strategy<Value = HeadsRule> {
    (any_base(), any_fraction(), any_comparator(), any_rounding()).prop_map(
        |(base, fraction, comparator, rounding)| HeadsRule {
            base,
            fraction,
            comparator,
            rounding,
        },
    )
}

fn any_weights_rule() -> impl Strategy<Value = WeightsRule> {
    (any_base(), any_fraction(), any_comparator()).prop_map(|(base, fraction, comparator)| {
        WeightsRule {
            base,
            fraction,
            comparator,
        }
    })
}

/// Any majority on heads: the presets, and rules of any base, share, comparator, rounding
/// and treatment of abstentions.
fn any_heads_majority() -> impl Strategy<Value = Majority> {
    prop_oneof![
        Just(Majority::of_present()),
        Just(Majority::of_voters()),
        Just(Majority::absolute()),
        (any_fraction(), any_base()).prop_map(|(f, base)| Majority::qualified(f, base)),
        (any_heads_rule(), any_abstentions()).prop_map(|(h, abstentions)| Majority {
            heads: Some(h),
            weights: None,
            abstentions,
        }),
    ]
}

/// Any majority with a weights condition: weighted only, or a double majority.
fn any_weighted_majority() -> impl Strategy<Value = Majority> {
    let heads = prop::option::of(any_heads_rule());
    (heads, any_weights_rule(), any_abstentions()).prop_map(|(heads, w, abstentions)| Majority {
        heads,
        weights: Some(w),
        abstentions,
    })
}

fn any_majority() -> impl Strategy<Value = Majority> {
    prop_oneof![2 => any_heads_majority(), 1 => any_weighted_majority()]
}

/// `yes` in favour, `no` against, `abstain` abstaining, `blank` blank ballots and `absent`
/// members away: a tally `Tally::check` accepts by construction (present = yes + no +
/// abstain + blank ≤ members).
fn tally_of(yes: u64, no: u64, abstain: u64, blank: u64, absent: u64) -> Tally {
    tally(yes + no + abstain + blank + absent, yes, no, abstain, blank)
}

/// A valid tally of a small board: ties, quorums just met and thresholds just reached
/// come up often.
fn small_tally() -> impl Strategy<Value = Tally> {
    (0u64..30, 0u64..30, 0u64..30, 0u64..6, 0u64..30)
        .prop_map(|(yes, no, abstain, blank, absent)| tally_of(yes, no, abstain, blank, absent))
}

/// A valid tally of any size: five parts of at most `u64::MAX / 5`, so that they add up.
fn any_tally() -> impl Strategy<Value = Tally> {
    let part = || 0u64..=u64::MAX / 5;
    let huge = (part(), part(), part(), part(), part())
        .prop_map(|(yes, no, abstain, blank, absent)| tally_of(yes, no, abstain, blank, absent));
    prop_oneof![small_tally(), huge]
}

/// How one more member comes to vote yes: arriving from absence, or changing an
/// abstention, a blank ballot or a no. `None` if the tally has nobody to move.
fn one_more_yes(t: &Tally, from: usize) -> Option<Tally> {
    let mut u = *t;
    match from {
        0 if t.members > t.present => u.present += 1,
        1 if t.abstain > 0 => u.abstain -= 1,
        2 if t.blank > 0 => u.blank -= 1,
        3 if t.no > 0 => u.no -= 1,
        _ => return None,
    }
    u.yes += 1;
    u.check().ok()?;
    Some(u)
}

/// One more member present at the vote (an absent one arriving), voting `vote`.
fn one_more_present(t: &Tally, vote: Vote) -> Option<Tally> {
    let mut u = *t;
    if t.members == t.present {
        return None;
    }
    u.present += 1;
    match vote {
        Vote::Yes => u.yes += 1,
        Vote::No => u.no += 1,
        Vote::Abstain => u.abstain += 1,
        Vote::Blank => u.blank += 1,
    }
    Some(u)
}

fn any_vote() -> impl Strategy<Value = Vote> {
    prop_oneof![
        Just(Vote::Yes),
        Just(Vote::No),
        Just(Vote::Abstain),
        Just(Vote::Blank)
    ]
}

/// A valid Tavolo Strategico of 1 to 12 members (`e01…`), with a weight on every member or
/// on none, any quorum and majority its weights allow (validated as a document would be),
/// and how each member attended motion `"1"` of a sitting: away (`None`) or voting.
fn valid_board() -> impl Strategy<Value = (Board, Vec<Option<Vote>>)> {
    (1usize..=12)
        .prop_flat_map(|n| {
            (
                prop::option::weighted(0.7, prop::collection::vec(0u32..1000, n)),
                prop::collection::vec(prop::option::weighted(0.75, any_vote()), n),
                any_quorum(),
                any_majority(),
            )
        })
        .prop_filter_map("a valid board", |(weights, votes, quorum, majority)| {
            let mut b = board(votes.len(), BoardKind::Strategico);
            if let Some(weights) = weights {
                for (m, w) in b.members.iter_mut().zip(weights) {
                    m.weight = Some(Decimal::from(w));
                }
            }
            b.quorum = quorum;
            b.majority = majority;
            b.validate().ok()?;
            Some((b, votes))
        })
}

/// The sitting of 2026-03-12 of `b`, members attending as `votes` says and voting on
/// motion `"1"`, with the weights snapshotted at the date.
fn sitting_of(b: &Board, votes: &[Option<Vote>]) -> Meeting {
    let mut m = b.new_meeting(date(2026, 3, 12));
    let mut motion = Motion::new("1", "Quota di adesione");
    for (i, vote) in votes.iter().enumerate() {
        if let Some(vote) = vote {
            m.present.push(id(i + 1));
            motion.votes.insert(id(i + 1), *vote);
        }
    }
    m.motions.push(motion);
    m
}

proptest! {
    #[test]
    fn r_quorum_is_monotone_in_the_number_present(q in any_heads_quorum(), n in 1u64..500, p in 0u64..500) {
        let p = p.min(n.saturating_sub(1));
        let fewer = q.check(n, p, None).unwrap();
        let more = q.check(n, p + 1, None).unwrap();
        prop_assert!(!fewer.met || more.met, "{fewer} / {more}");
    }

    #[test]
    fn r_quorum_weighted_is_monotone_in_who_is_present(
        weights in proptest::collection::vec(0u32..1000, 1..20),
        num in 1u32..=6,
        at_least in any::<bool>(),
    ) {
        prop_assume!(weights.iter().any(|w| *w > 0));
        let q = Quorum::Weighted {
            fraction: Fraction::new(num, 6).unwrap(),
            comparator: if at_least { Comparator::AtLeast } else { Comparator::MoreThan },
        };
        let total: Decimal = weights.iter().map(|w| Decimal::from(*w)).sum();
        let n = weights.len() as u64;
        // Members arrive one by one, in the (random) order of `weights`.
        let mut present = Decimal::ZERO;
        let mut was_met = false;
        for (k, w) in weights.iter().enumerate() {
            present += Decimal::from(*w);
            let presence = WeightPresence { members: total, present };
            let met = q.check(n, k as u64 + 1, Some(presence)).unwrap().met;
            prop_assert!(!was_met || met);
            was_met = met;
        }
    }

    #[test]
    fn r_quorum_readings_agree_for_even_sizes_and_differ_by_one_for_odd(n in 0u64..100_000) {
        let default = Quorum::default().required(n).unwrap();
        let literal = LITERAL.required(n).unwrap();
        if n % 2 == 0 {
            prop_assert_eq!(default, literal);
        } else {
            prop_assert_eq!(literal, default + 1);
        }
        prop_assert_eq!(default, n / 2 + 1);
    }

    /// R-QUORUM at the vote: one more member present, however they vote, never turns a met
    /// quorum into a missed one.
    #[test]
    fn r_quorum_one_more_present_at_the_vote_never_loses_it(
        q in any_heads_quorum(), m in any_heads_majority(), t in small_tally(), vote in any_vote(),
    ) {
        let Some(more) = one_more_present(&t, vote) else { return Ok(()) };
        let before = m.decide(&q, &t, None).unwrap();
        let after = m.decide(&q, &more, None).unwrap();
        prop_assert!(!before.quorum.met || after.quorum.met, "{before} / {after}");
    }

    /// R-QUORUM on a board, weighted quorums included: a member arriving never turns a
    /// valid roll call, or a quorum at the vote, into a missed one.
    #[test]
    fn r_quorum_a_member_arriving_never_loses_it(
        (b, votes) in valid_board(), who in any::<prop::sample::Index>(), vote in any_vote(),
    ) {
        let absent: Vec<usize> = (0..votes.len()).filter(|&i| votes[i].is_none()).collect();
        if absent.is_empty() {
            return Ok(());
        }
        let mut more = votes.clone();
        more[absent[who.index(absent.len())]] = Some(vote);
        let (before, after) = (sitting_of(&b, &votes), sitting_of(&b, &more));
        let (r0, r1) = (b.roll_call(&before).unwrap(), b.roll_call(&after).unwrap());
        prop_assert!(!r0.met || r1.met, "{r0} / {r1}");
        let (d0, d1) = (b.decide(&before, "1").unwrap(), b.decide(&after, "1").unwrap());
        prop_assert!(!d0.quorum.met || d1.quorum.met, "{d0} / {d1}");
    }

    #[test]
    fn r_majority_passing_of_present_passes_of_voters(
        yes in 0u64..60, no in 0u64..60, abstain in 0u64..60, blank in 0u64..60, absent in 0u64..60,
    ) {
        let t = tally_of(yes, no, abstain, blank, absent);
        let q = Quorum::default();
        let of_present = Majority::of_present().decide(&q, &t, None).unwrap();
        let of_voters = Majority::of_voters().decide(&q, &t, None).unwrap();
        prop_assert!(!of_present.passed() || of_voters.passed(), "{of_present} / {of_voters}");
        // A tie never passes, whatever the rule.
        if yes == no {
            prop_assert!(!of_present.passed() && !of_voters.passed());
        }
    }

    /// R-MAJORITY on any valid tally, up to `u64::MAX` members: a heads rule always decides
    /// (no error), and a motion passes only with quorum, more yes than no and the yes votes
    /// its threshold requires.
    #[test]
    fn r_majority_decides_every_valid_tally_and_passes_only_on_its_conditions(
        q in any_heads_quorum(), m in any_heads_majority(), t in any_tally(),
    ) {
        let d = m.decide(&q, &t, None).unwrap();
        prop_assert_eq!(d.tally, t);
        prop_assert_eq!(d.quorum.met, t.present >= q.required(t.members).unwrap());
        prop_assert!(d.sentence.starts_with(&t.sentence()), "{}", d.sentence);
        let heads = d.heads_check.unwrap();
        prop_assert_eq!(heads.met, t.yes >= heads.required);
        if d.passed() {
            prop_assert!(d.quorum.met && t.yes > t.no && heads.met, "{d}");
        }
    }

    /// R-MAJORITY is monotone in the yes votes: one more yes (an absent member arriving,
    /// or an abstention, a blank ballot or a no turning yes) never turns a pass into a fail.
    #[test]
    fn r_majority_one_more_yes_never_undoes_a_pass(
        q in any_heads_quorum(), m in any_heads_majority(), t in small_tally(), from in 0usize..4,
    ) {
        let Some(more) = one_more_yes(&t, from) else { return Ok(()) };
        let before = m.decide(&q, &t, None).unwrap();
        let after = m.decide(&q, &more, None).unwrap();
        prop_assert!(!before.passed() || after.passed(), "{before} / {after}");
    }

    /// R-MAJORITY on a board, weighted and double majorities and weighted quorums
    /// included: a member voting yes instead of staying away or voting otherwise never
    /// turns a pass into a fail.
    #[test]
    fn r_majority_a_member_voting_yes_never_undoes_a_pass(
        (b, votes) in valid_board(), who in any::<prop::sample::Index>(),
    ) {
        let others: Vec<usize> = (0..votes.len()).filter(|&i| votes[i] != Some(Vote::Yes)).collect();
        if others.is_empty() {
            return Ok(());
        }
        let mut more = votes.clone();
        more[others[who.index(others.len())]] = Some(Vote::Yes);
        let before = b.decide(&sitting_of(&b, &votes), "1").unwrap();
        let after = b.decide(&sitting_of(&b, &more), "1").unwrap();
        prop_assert!(!before.passed() || after.passed(), "{before} / {after}");
    }

    /// R-MAJORITY: a tie of heads never passes, whatever the rule and the quorum.
    #[test]
    fn r_majority_a_tie_never_passes(
        q in any_heads_quorum(), m in any_heads_majority(),
        each in 0u64..30, abstain in 0u64..30, blank in 0u64..6, absent in 0u64..30,
    ) {
        let t = tally_of(each, each, abstain, blank, absent);
        let d = m.decide(&q, &t, None).unwrap();
        prop_assert!(!d.passed(), "{d}");
        let expected = if d.quorum.met { Outcome::Tie } else { Outcome::NoQuorum };
        prop_assert_eq!(d.outcome, expected, "{}", d);
    }

    /// R-MAJORITY: a tie of weights never passes under a rule that counts weights,
    /// whatever the heads say.
    #[test]
    fn r_majority_a_tie_of_weights_never_passes(
        m in any_weighted_majority(), t in small_tally(),
        each in 0u32..1000, abstain in 0u32..1000, blank in 0u32..100, absent in 0u32..1000,
    ) {
        let w = |n: u32| Decimal::from(n);
        let present = w(each) * Decimal::TWO + w(abstain) + w(blank);
        prop_assume!(present + w(absent) > Decimal::ZERO);
        let weights = WeightTally {
            members: present + w(absent),
            present,
            yes: w(each),
            no: w(each),
            abstain: w(abstain),
            blank: w(blank),
        };
        let d = m.decide(&Quorum::default(), &t, Some(&weights)).unwrap();
        prop_assert!(!d.passed(), "{d}");
    }

    /// R-MAJORITY on a board: no sitting passes a motion on a tie, of heads under a rule
    /// with a heads condition or of weights under one with a weights condition.
    #[test]
    fn r_majority_no_sitting_passes_a_tie((b, votes) in valid_board()) {
        let d = b.decide(&sitting_of(&b, &votes), "1").unwrap();
        let heads_tie = d.majority.heads.is_some() && d.tally.yes == d.tally.no;
        let weights_tie = d.majority.weights.is_some() && d.weights.is_some_and(|w| w.yes == w.no);
        if heads_tie || weights_tie {
            prop_assert!(!d.passed(), "{d}");
        }
    }

    /// R-ADOPT: a Tavolo Strategico adopts exactly when the roll call met the quorum and
    /// the motion passed.
    #[test]
    fn r_adopt_is_granted_exactly_when_valid_and_passed((b, votes) in valid_board()) {
        let sitting = sitting_of(&b, &votes);
        let valid = b.roll_call(&sitting).unwrap().met;
        let passed = b.decide(&sitting, "1").unwrap().passed();
        match adopt(&b, &sitting, "1") {
            Ok(a) => {
                prop_assert!(valid && passed);
                prop_assert!(a.check(&b, &sitting).is_ok());
            }
            Err(e) => {
                prop_assert!(!(valid && passed), "{e}");
                prop_assert_eq!(e.code(), "adoption_refused");
            }
        }
    }

    /// The board, meeting and adoption documents, valid ones mutated — truncated, a byte
    /// changed, JSON tokens inserted: each reads or fails with an error, never a panic; what
    /// reads round-trips, and its sittings are decided without a panic.
    #[test]
    fn board_documents_mutated_read_or_fail_and_round_trip(
        (b, votes) in valid_board(), hand_written in any::<bool>(),
        cut in any::<prop::sample::Index>(), at in any::<prop::sample::Index>(),
        byte in any::<u8>(), insert in "[\\[\\]{}\",:0-9a-z./\\-]{0,8}",
    ) {
        let sitting = sitting_of(&b, &votes);
        let adoption = adopt(&b, &sitting, "1").ok().map(|a| a.to_json());
        let mut registered = b.clone();
        registered.add_meeting(sitting.clone()).unwrap();
        let board_text = if hand_written { BOARD_JSON.to_owned() } else { registered.to_json() };
        let mut documents = vec![("board", board_text), ("meeting", sitting.to_json())];
        documents.extend(adoption.map(|a| ("adoption", a)));
        for (kind, text) in documents {
            for mutated in mutations(&text, cut, at, byte, &insert) {
                match kind {
                    "board" => if let Ok(board) = Board::from_json(&mutated) {
                        prop_assert_eq!(&Board::from_json(&board.to_json()).unwrap(), &board);
                        for m in &board.meetings {
                            let _ = board.roll_call(m);
                            for motion in &m.motions {
                                if let Err(e) = board.decide(m, &motion.id) {
                                    prop_assert_eq!(e.code(), "overflow", "{}", e);
                                }
                            }
                        }
                    },
                    "meeting" => if let Ok(m) = Meeting::from_json(&mutated) {
                        prop_assert_eq!(&Meeting::from_json(&m.to_json()).unwrap(), &m);
                        let _ = b.check_meeting(&m);
                    },
                    _ => if let Ok(a) = Adoption::from_json(&mutated) {
                        prop_assert_eq!(&Adoption::from_json(&a.to_json()).unwrap(), &a);
                        let _ = a.check(&b, &sitting);
                    },
                }
            }
        }
    }
}

/// `text` truncated at `cut`, with the byte at `at` replaced by `byte`, and with `insert`
/// inserted at `at` (at a character boundary).
fn mutations(
    text: &str,
    cut: prop::sample::Index,
    at: prop::sample::Index,
    byte: u8,
    insert: &str,
) -> [String; 3] {
    let boundary = |s: &str, i: usize| {
        (0..=i.min(s.len()))
            .rev()
            .find(|&i| s.is_char_boundary(i))
            .unwrap_or(0)
    };
    let truncated = text[..boundary(text, cut.index(text.len() + 1))].to_owned();
    let mut bytes = text.as_bytes().to_vec();
    let i = at
        .index(bytes.len().max(1))
        .min(bytes.len().saturating_sub(1));
    if let Some(b) = bytes.get_mut(i) {
        *b = byte;
    }
    let changed = String::from_utf8_lossy(&bytes).into_owned();
    let (head, tail) = text.split_at(boundary(text, at.index(text.len() + 1)));
    [truncated, changed, format!("{head}{insert}{tail}")]
}
