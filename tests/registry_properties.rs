//! Properties of the registry over random sequences of operations (R-PAYER, R-RUN,
//! R-LEDGER): charges equal their payer shares, no payment is lost (nor counted twice when
//! reversed), the journal replays to the same state, and a refused event changes nothing.

use chrono::NaiveDate;
use cit_core::registry::Condition;
use cit_core::{
    CapofilaShare, Delibera, Ente, EnteKind, Event, Money, Registry, Tariff,
    split_largest_remainder,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

const CATALOGUE: &str = include_str!("../examples/tariffs/bs-2021-services.json");
const COMUNI: [(&str, u64, u64); 4] = [
    ("017001", 1_600, 120),
    ("017002", 4_200, 300),
    ("017003", 12_345, 900),
    ("017004", 2_999, 7),
];
const SERVICES: [&str; 5] = ["spid", "conservazione", "telemaco", "pec", "protocollo"];

pub(crate) fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

pub(crate) fn setup() -> Registry {
    let mut r = Registry::new();
    r.apply(Event::TariffAdopted {
        tariff: Box::new(Tariff::from_json(CATALOGUE).unwrap()),
    })
    .unwrap();
    let mut unione = Ente::comune("U1", "Unione", 0, 0);
    unione.kind = EnteKind::Unione;
    r.apply(Event::EnteRegistered { ente: unione }).unwrap();
    for (id, ab, imp) in COMUNI {
        r.apply(Event::EnteRegistered {
            ente: Ente::comune(id, id, ab, imp),
        })
        .unwrap();
    }
    r
}

pub(crate) fn ente(i: usize) -> String {
    if i == 0 {
        "U1".into()
    } else {
        COMUNI[(i - 1) % COMUNI.len()].0.into()
    }
}

/// A day in 2021-2023.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Day(i32, u32, u32);

impl Day {
    pub(crate) fn get(self) -> NaiveDate {
        date(self.0, self.1, self.2)
    }
}

pub(crate) fn day() -> impl Strategy<Value = Day> {
    (2021i32..=2023, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| Day(y, m, d))
}

#[derive(Clone, Debug)]
pub(crate) enum Op {
    Join(usize, Day),
    Service(usize, usize, u64, Day),
    Request(usize, Day),
    Approve(usize),
    /// The Unione approves for several memberships at once: all or none.
    UnioneApprove(Vec<usize>),
    Sign(usize, Day),
    Withdraw(usize, Day),
    Subscribe(usize, usize, u64, Day),
    Activate(usize, Day),
    Confirm(usize, i32),
    Decline(usize, i32),
    Close(i32),
    Cancel(usize, Day, i64),
    Agree(Vec<usize>, u8, i64),
    Run(i32, Day),
    Pay(usize, i64, Option<usize>, Day),
    Reverse(usize, Day),
    /// Reverse a recorded payment (or try a reversing entry), some days after it.
    Unpay(usize, i64),
}

pub(crate) fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0usize..5, day()).prop_map(|(e, d)| Op::Join(e, d)),
        3 => (0usize..5, 0usize..5, 1u64..250, day()).prop_map(|(e, s, q, d)| Op::Service(e, s, q, d)),
        1 => (0usize..5, day()).prop_map(|(e, d)| Op::Request(e, d)),
        1 => (0usize..8).prop_map(Op::Approve),
        1 => prop::collection::vec(0usize..8, 1..4).prop_map(Op::UnioneApprove),
        1 => (0usize..8, day()).prop_map(|(m, d)| Op::Sign(m, d)),
        1 => (0usize..8, day()).prop_map(|(m, d)| Op::Withdraw(m, d)),
        1 => (0usize..5, 0usize..5, 1u64..250, day()).prop_map(|(e, s, q, d)| Op::Subscribe(e, s, q, d)),
        1 => (0usize..8, day()).prop_map(|(s, d)| Op::Activate(s, d)),
        1 => (0usize..8, 2021i32..=2024).prop_map(|(s, y)| Op::Confirm(s, y)),
        1 => (0usize..8, 2021i32..=2024).prop_map(|(s, y)| Op::Decline(s, y)),
        1 => (2021i32..=2023).prop_map(Op::Close),
        1 => (0usize..8, day(), 0i64..10_000).prop_map(|(s, d, c)| Op::Cancel(s, d, c)),
        1 => (prop::collection::vec(0usize..5, 1..4), 0u8..3, 0i64..100_000)
            .prop_map(|(m, k, x)| Op::Agree(m, k, x)),
        3 => (2021i32..=2023, day()).prop_map(|(y, d)| Op::Run(y, d)),
        3 => (0usize..5, 1i64..200_000, prop::option::of(0usize..20), day())
            .prop_map(|(p, c, t, d)| Op::Pay(p, c, t, d)),
        1 => (0usize..20, day()).prop_map(|(c, d)| Op::Reverse(c, d)),
        2 => (0usize..20, -5i64..200).prop_map(|(p, k)| Op::Unpay(p, k)),
    ]
}

/// The events an operation stands for, given the registry so far (ids by index).
pub(crate) fn events(r: &Registry, n: usize, op: &Op) -> Vec<Event> {
    match op {
        Op::Join(e, d) => vec![
            event(r, n, &Op::Request(*e, *d)),
            event(r, n, &Op::Approve(n)),
            event(r, n, &Op::Sign(n, *d)),
        ],
        Op::Service(e, s, q, d) => vec![
            event(r, n, &Op::Subscribe(*e, *s, *q, *d)),
            event(r, n, &Op::Activate(n, *d)),
        ],
        op => vec![event(r, n, op)],
    }
}

fn event(r: &Registry, n: usize, op: &Op) -> Event {
    let membership = |i: usize| format!("A-{}", i % 8);
    let subscription = |i: usize| format!("S-{}", i % 8);
    let charge = |i: usize| {
        let cs = r.charges();
        if cs.is_empty() {
            "none".to_owned()
        } else {
            cs[i % cs.len()].id.clone()
        }
    };
    match op {
        Op::Join(..) | Op::Service(..) => unreachable!("compound operations are split by events()"),
        Op::Request(e, d) => Event::MembershipRequested {
            membership: membership(n),
            ente: ente(*e),
            date: d.get(),
        },
        Op::Approve(m) => Event::MembershipApproved {
            membership: membership(*m),
            delibera: Delibera {
                number: format!("{n}"),
                date: date(2021, 1, 1),
                organ: "Consiglio".into(),
            },
        },
        Op::UnioneApprove(ms) => Event::UnioneApproved {
            unione: "U1".into(),
            delibera: Delibera {
                number: format!("U{n}"),
                date: date(2021, 1, 1),
                organ: "Consiglio dell'Unione".into(),
            },
            memberships: ms.iter().map(|&m| membership(m)).collect(),
        },
        Op::Sign(m, d) => Event::ConventionSigned {
            membership: membership(*m),
            date: d.get(),
            from: None,
            to: date(2025, 12, 31),
        },
        Op::Withdraw(m, d) => Event::MembershipWithdrawn {
            membership: membership(*m),
            date: d.get(),
            reason: "recesso".into(),
        },
        Op::Subscribe(e, s, q, d) => Event::SubscriptionRequested {
            subscription: subscription(n),
            ente: ente(*e),
            service: SERVICES[*s].into(),
            quantity: if matches!(*s, 4) { 1 } else { *q },
            contact: "Ufficio".into(),
            people: vec![],
            date: d.get(),
        },
        Op::Activate(s, d) => Event::SubscriptionActivated {
            subscription: subscription(*s),
            date: d.get(),
        },
        Op::Confirm(s, y) => Event::RenewalConfirmed {
            subscription: subscription(*s),
            year: *y,
            date: date(2021, 11, 1),
        },
        Op::Decline(s, y) => Event::RenewalDeclined {
            subscription: subscription(*s),
            year: *y,
            date: date(2021, 11, 1),
        },
        Op::Close(y) => Event::YearClosed { year: *y },
        Op::Cancel(s, d, c) => Event::SubscriptionCancelled {
            subscription: subscription(*s),
            date: d.get(),
            reason: "disdetta".into(),
            conditions: vec![Condition {
                label: "Costi non recuperati".into(),
                amount: Money::from_cents(*c),
            }],
        },
        Op::Agree(members, kind, x) => Event::PayerAgreed {
            capofila: "U1".into(),
            members: members.iter().map(|&m| ente(m + 1)).collect(),
            share: match kind {
                0 => CapofilaShare::All,
                1 => CapofilaShare::Percent {
                    percent: Decimal::new(*x % 10_001, 2),
                },
                _ => CapofilaShare::Fixed {
                    amount: Money::from_cents(*x),
                },
            },
            from_year: 2021,
        },
        Op::Run(y, d) => Event::BillingRun {
            year: *y,
            issued: d.get(),
            due: d.get() + chrono::Days::new(60),
        },
        Op::Pay(p, c, t, d) => Event::PaymentReceived {
            payment: format!("P-{n}"),
            payer: ente(*p),
            date: d.get(),
            amount: Money::from_cents(*c),
            charge: t.map(charge),
            channel: None,
        },
        Op::Reverse(c, d) => Event::ChargeReversed {
            charge: charge(*c),
            date: d.get(),
            reason: "rettifica".into(),
        },
        Op::Unpay(p, k) => {
            let ps = r.payments();
            let (payment, date) = if ps.is_empty() {
                ("none".to_owned(), date(2022, 1, 1))
            } else {
                let p = &ps[p % ps.len()];
                let on = if *k < 0 {
                    p.date - chrono::Days::new(k.unsigned_abs())
                } else {
                    p.date + chrono::Days::new(k.unsigned_abs())
                };
                (p.id.clone(), on)
            };
            Event::PaymentReversed {
                id: format!("ST-{n}"),
                payment,
                date,
                reason: "bonifico respinto".into(),
            }
        }
    }
}

/// Every invariant of the ledger, checked on one registry.
fn check_ledger(r: &Registry) -> Result<(), TestCaseError> {
    // R-PAYER: every charge equals the sum of its shares, to the cent.
    let mut charged = Money::ZERO;
    let mut shares = Money::ZERO;
    for c in r.charges() {
        let sum = Money::checked_sum(c.shares.iter().map(|s| s.amount)).unwrap();
        prop_assert_eq!(sum, c.amount, "charge {}", c.id);
        let lines = Money::checked_sum(c.lines.iter().map(|l| l.amount)).unwrap();
        prop_assert_eq!(lines, c.amount, "lines of {}", c.id);
        charged = charged.checked_add(c.amount).unwrap();
        shares = shares.checked_add(sum).unwrap();
    }
    prop_assert_eq!(charged, shares);
    // R-LEDGER: no payment is lost; credit and debt never coexist.
    let at = date(2030, 1, 1);
    let mut total_charged = Money::ZERO;
    for b in r.balances(at).unwrap() {
        prop_assert_eq!(
            b.paid.checked_sub(b.credit),
            b.charged.checked_sub(b.outstanding),
            "payer {}",
            b.ente
        );
        prop_assert!(!b.credit.is_negative() && !b.outstanding.is_negative());
        prop_assert!(b.credit.is_zero() || b.outstanding.is_zero(), "{b:?}");
        prop_assert!(b.overdue <= b.outstanding);
        total_charged = total_charged.checked_add(b.charged).unwrap();
    }
    prop_assert_eq!(total_charged, charged);
    for p in r.payments() {
        let allocated = Money::checked_sum(
            r.allocations()
                .iter()
                .filter(|a| a.payment.as_deref() == Some(p.id.as_str()))
                .map(|a| a.amount),
        )
        .unwrap();
        match &p.reverses {
            // Money received: allocated at most once, never more than received.
            None => {
                prop_assert!(p.amount > Money::ZERO);
                prop_assert!(
                    allocated >= Money::ZERO && allocated <= p.amount,
                    "payment {} over-allocated",
                    p.id
                );
            }
            // A reversing entry: it only takes back, never more than the payment reversed.
            Some(original) => {
                prop_assert_eq!(r.payment_reversal_of(original), Some(p.id.as_str()));
                let o = r.payment(original).unwrap();
                prop_assert_eq!(p.amount, -o.amount);
                prop_assert_eq!(&p.payer, &o.payer);
                prop_assert!(
                    allocated <= Money::ZERO && allocated >= p.amount,
                    "reversal {} takes back too much",
                    p.id
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 900, ..ProptestConfig::default() })]

    /// Random operations: a refused one changes nothing; after every step the ledger holds;
    /// at the end the journal replays to the same state.
    #[test]
    fn random_operations_keep_the_ledger_and_replay(ops in prop::collection::vec(op(), 0..40)) {
        let mut r = setup();
        for (n, op) in ops.iter().enumerate() {
            for e in events(&r, n, op) {
                let before = r.clone();
                let reversed = match &e {
                    Event::PaymentReversed { payment, .. } => r.payment(payment).cloned(),
                    _ => None,
                };
                if r.apply(e).is_err() {
                    prop_assert_eq!(&r, &before, "a refused event changed the registry");
                } else if let Some(p) = reversed {
                    // R-LEDGER: a reversal lowers the payer's paid by the amount, and touches
                    // no other payer.
                    let at = date(2030, 1, 1);
                    for (b0, b1) in before.balances(at).unwrap().iter().zip(r.balances(at).unwrap()) {
                        if b0.ente == p.payer {
                            prop_assert_eq!(b1.paid, b0.paid.checked_sub(p.amount).unwrap());
                        } else {
                            prop_assert_eq!(b0, &b1);
                        }
                    }
                }
            }
            check_ledger(&r)?;
        }
        check_ledger(&r)?;
        if std::env::var_os("CIT_PROP_STATS").is_some() {
            let reversals = r.events().iter().filter(|e| matches!(e, Event::PaymentReversed { .. })).count();
            eprintln!("events {} charges {} payments {} payment reversals {reversals}", r.events().len(), r.charges().len(), r.payments().len());
        }
        let replayed = Registry::from_json(&r.to_json()).unwrap();
        prop_assert_eq!(replayed, r);
    }

}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Running a billed year again adds nothing (R-RUN).
    #[test]
    fn billing_run_is_idempotent(ops in prop::collection::vec(op(), 0..25), year in 2021i32..=2023) {
        let mut r = setup();
        for (n, op) in ops.iter().enumerate() {
            for e in events(&r, n, op) {
                let _ = r.apply(e);
            }
        }
        if r.billing_run(year, date(year, 6, 1), date(year, 7, 31)).is_ok() {
            let once = r.clone();
            prop_assert!(r.billing_run(year, date(year, 6, 2), date(year, 8, 31)).unwrap().is_empty());
            prop_assert_eq!(r, once);
        }
    }
}

proptest! {
    // 900 + 200 + 9.000 cases of the registry's properties in all.
    #![proptest_config(ProptestConfig { cases: 9_000, ..ProptestConfig::default() })]

    /// R-PAYER: a largest-remainder split conserves every cent, and no part is more than a
    /// cent away from its exact share.
    #[test]
    fn split_conserves_every_cent(
        total in -10_000_000_000i64..10_000_000_000,
        weights in prop::collection::vec((0i64..1_000_000, 0u32..4), 1..6),
    ) {
        let weights: Vec<Decimal> = weights.iter().map(|&(m, s)| Decimal::new(m, s)).collect();
        let sum: Decimal = weights.iter().sum();
        let total = Money::from_cents(total);
        match split_largest_remainder(total, &weights) {
            None => prop_assert!(sum.is_zero()),
            Some(parts) => {
                prop_assert_eq!(parts.len(), weights.len());
                prop_assert_eq!(Money::checked_sum(parts.iter().copied()).unwrap(), total);
                for (p, w) in parts.iter().zip(&weights) {
                    let exact = total.to_decimal() * *w / sum;
                    prop_assert!((p.to_decimal() - exact).abs() < Decimal::new(1, 2));
                }
            }
        }
    }
}
