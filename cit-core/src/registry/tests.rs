//! Unit tests of the registry, one rule at a time, with worked examples computed by hand.

use super::*;
use crate::{AppliedPrice, EnteKind, Rule};
use rust_decimal::Decimal;

const CATALOGUE: &str = include_str!("../../../examples/tariffs/bs-2021-services.json");

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn m(cents: i64) -> Money {
    Money::from_cents(cents)
}

fn delibera(n: &str) -> Delibera {
    Delibera {
        number: n.into(),
        date: d(2021, 1, 20),
        organ: "Consiglio".into(),
    }
}

/// The catalogue tariff (2021-2025), an Unione (fixed € 300) and two comuni:
/// 017001 Acquafredda 1.600 ab. / 120 imprese → 240,00 + 120,00 = € 360,00;
/// 017002 Adro 4.200 ab. / 300 imprese → 630,00 + 300,00 − 10 % (93,00) = € 837,00.
fn base() -> Registry {
    let mut r = Registry::new();
    r.apply(Event::TariffAdopted {
        tariff: Box::new(Tariff::from_json(CATALOGUE).unwrap()),
    })
    .unwrap();
    let mut unione = Ente::comune("U1", "Unione della Franciacorta", 0, 0);
    unione.kind = EnteKind::Unione;
    unione.abitanti = None;
    unione.imprese = None;
    for ente in [
        unione,
        Ente::comune("017001", "Acquafredda", 1_600, 120),
        Ente::comune("017002", "Adro", 4_200, 300),
    ] {
        r.apply(Event::EnteRegistered { ente }).unwrap();
    }
    r
}

/// The Unione U1 pays `share` of the quotas of `members` from 2021 (R-PAYER).
fn agree(r: &mut Registry, members: &[&str], share: CapofilaShare) {
    r.apply(Event::PayerAgreed {
        capofila: "U1".into(),
        members: members.iter().map(|&m| m.to_owned()).collect(),
        share,
        from_year: 2021,
    })
    .unwrap();
}

fn join(r: &mut Registry, id: &str, ente: &str, signed: NaiveDate) {
    r.apply(Event::MembershipRequested {
        membership: id.into(),
        ente: ente.into(),
        date: d(2021, 1, 10),
    })
    .unwrap();
    r.apply(Event::MembershipApproved {
        membership: id.into(),
        delibera: delibera("1"),
    })
    .unwrap();
    r.apply(Event::ConventionSigned {
        membership: id.into(),
        date: signed,
        from: None,
        to: d(2025, 12, 31),
    })
    .unwrap();
}

fn members() -> Registry {
    let mut r = base();
    join(&mut r, "A-U1", "U1", d(2021, 1, 25));
    join(&mut r, "A-1", "017001", d(2021, 1, 25));
    join(&mut r, "A-2", "017002", d(2021, 1, 25));
    r
}

/// Activates subscription `id` on `date` (R-ACT).
fn activate(r: &mut Registry, id: &str, date: NaiveDate) {
    r.apply(Event::SubscriptionActivated {
        subscription: id.into(),
        date,
    })
    .unwrap();
}

fn request(
    r: &mut Registry,
    id: &str,
    ente: &str,
    service: &str,
    q: u64,
    date: NaiveDate,
) -> Result<()> {
    r.apply(Event::SubscriptionRequested {
        subscription: id.into(),
        ente: ente.into(),
        service: service.into(),
        quantity: q,
        contact: "Ufficio servizi demografici".into(),
        people: vec![],
        date,
    })
    .map(drop)
}

fn assert_refused(r: &mut Registry, event: Event, code: &str) -> Error {
    let before = r.clone();
    let e = r.apply(event).unwrap_err();
    assert_eq!(e.code(), code, "{e}");
    assert_eq!(*r, before, "a refused event changed the registry");
    r.state.ledger.assert_indexes();
    e
}

#[test]
fn r_join_unione_approves_for_named_members() {
    let mut r = base();
    for (id, ente) in [("A-1", "017001"), ("A-2", "017002")] {
        r.apply(Event::MembershipRequested {
            membership: id.into(),
            ente: ente.into(),
            date: d(2021, 1, 10),
        })
        .unwrap();
    }
    // A comune cannot approve for others.
    assert_refused(
        &mut r,
        Event::UnioneApproved {
            unione: "017001".into(),
            delibera: delibera("9"),
            memberships: vec!["A-2".into()],
        },
        "invalid_value",
    );
    r.apply(Event::UnioneApproved {
        unione: "U1".into(),
        delibera: delibera("3/2021"),
        memberships: vec!["A-1".into(), "A-2".into()],
    })
    .unwrap();
    let a1 = r.membership("A-1").unwrap();
    assert_eq!(a1.state, MembershipState::Approved);
    assert_eq!(a1.approved_by.as_deref(), Some("U1"));
    // All or nothing: approving again fails on the first and changes neither.
    assert_refused(
        &mut r,
        Event::UnioneApproved {
            unione: "U1".into(),
            delibera: delibera("4/2021"),
            memberships: vec!["A-2".into()],
        },
        "illegal_transition",
    );
}

#[test]
fn r_join_member_price_only_while_active() {
    let mut r = base();
    join(&mut r, "A-1", "017001", d(2021, 3, 1));
    let before = r
        .price_service("017001", "spid", 1, d(2021, 2, 28))
        .unwrap();
    let after = r.price_service("017001", "spid", 1, d(2021, 3, 1)).unwrap();
    assert_eq!(before.total(), m(4_500));
    assert_eq!(after.total(), m(3_500));
    r.apply(Event::MembershipWithdrawn {
        membership: "A-1".into(),
        date: d(2022, 6, 30),
        reason: "recesso".into(),
    })
    .unwrap();
    let later = r.price_service("017001", "spid", 1, d(2022, 7, 1)).unwrap();
    assert_eq!(later.price, AppliedPrice::List);
}

#[test]
fn r_join_refuses_overlapping_memberships_and_unknown_enti() {
    let mut r = members();
    r.apply(Event::MembershipRequested {
        membership: "A-1bis".into(),
        ente: "017001".into(),
        date: d(2022, 1, 10),
    })
    .unwrap();
    r.apply(Event::MembershipApproved {
        membership: "A-1bis".into(),
        delibera: delibera("2"),
    })
    .unwrap();
    assert_refused(
        &mut r,
        Event::ConventionSigned {
            membership: "A-1bis".into(),
            date: d(2022, 2, 1),
            from: None,
            to: d(2025, 12, 31),
        },
        "invalid_value",
    );
    assert_refused(
        &mut r,
        Event::MembershipRequested {
            membership: "A-9".into(),
            ente: "999999".into(),
            date: d(2022, 1, 10),
        },
        "unknown_ente",
    );
    assert_refused(
        &mut r,
        Event::MembershipRequested {
            membership: "A-1".into(),
            ente: "017002".into(),
            date: d(2022, 1, 10),
        },
        "duplicate_event",
    );
}

#[test]
fn r_run_refuses_overlapping_tariffs_and_dates_without_one() {
    let mut r = base();
    let mut doc = Tariff::from_json(CATALOGUE).unwrap().document().clone();
    doc.id = "bs-2025bis".into();
    doc.period.from = d(2025, 1, 1);
    doc.period.to = d(2030, 12, 31);
    let e = assert_refused(
        &mut r,
        Event::TariffAdopted {
            tariff: Box::new(Tariff::new(doc.clone()).unwrap()),
        },
        "tariff_overlap",
    );
    assert!(e.to_string().contains("overlaps tariff `bs-2021`"), "{e}");
    doc.period.from = d(2026, 1, 1);
    r.apply(Event::TariffAdopted {
        tariff: Box::new(Tariff::new(doc).unwrap()),
    })
    .unwrap();
    assert_eq!(r.tariff_on(d(2026, 1, 1)).unwrap().id(), "bs-2025bis");
    assert_eq!(
        r.tariff_on(d(2020, 12, 31)).unwrap_err().code(),
        "no_tariff_on"
    );
}

#[test]
fn r_act_request_needs_contact_quantity_and_people() {
    let mut r = members();
    let mut event = Event::SubscriptionRequested {
        subscription: "S-1".into(),
        ente: "017001".into(),
        service: "spid".into(),
        quantity: 3,
        contact: "".into(),
        people: vec![],
        date: d(2021, 3, 1),
    };
    assert_refused(&mut r, event.clone(), "invalid_value");
    if let Event::SubscriptionRequested {
        contact, people, ..
    } = &mut event
    {
        *contact = "Anagrafe".into();
        *people = vec!["Rossi".into(), "Bianchi".into()];
    }
    let e = assert_refused(&mut r, event.clone(), "invalid_value");
    assert_eq!(e.path().as_deref(), Some("people"));
    if let Event::SubscriptionRequested { people, .. } = &mut event {
        people.push("Verdi".into());
    }
    r.apply(event).unwrap();
    assert_eq!(r.subscription("S-1").unwrap().people.len(), 3);
}

#[test]
fn r_members_only_refused_at_request() {
    let mut r = base();
    let e = request(&mut r, "S-1", "017001", "protocollo", 1, d(2021, 3, 1)).unwrap_err();
    assert_eq!(e.code(), "not_a_member");
    assert!(r.subscription("S-1").is_none());
}

#[test]
fn r_run_bills_quota_and_services_once() {
    let mut r = members();
    request(&mut r, "S-1", "017001", "spid", 3, d(2021, 3, 1)).unwrap();
    activate(&mut r, "S-1", d(2021, 3, 15));
    let ids = r.billing_run(2021, d(2021, 4, 1), d(2021, 5, 31)).unwrap();
    assert_eq!(
        ids,
        ["Q2021-017001", "S2021-S-1", "Q2021-017002", "Q2021-U1"]
    );
    let amounts: Vec<i64> = ids
        .iter()
        .map(|id| r.charge(id).unwrap().amount.cents().unwrap())
        .collect();
    // 360,00; 3 × 35,00 = 105,00 (maggiorazione); 837,00; Unione fixed 300,00.
    assert_eq!(amounts, [36_000, 10_500, 83_700, 30_000]);
    assert_eq!(
        r.charge("S2021-S-1").unwrap().kind,
        ChargeKind::Maggiorazione
    );
    assert_eq!(
        r.charge("Q2021-U1").unwrap().tariff.as_deref(),
        Some("bs-2021")
    );
    let events = r.events().len();
    assert!(
        r.billing_run(2021, d(2021, 6, 1), d(2021, 7, 31))
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        r.events().len(),
        events,
        "an idempotent re-run is not recorded"
    );
    // Una tantum: nothing in 2022.
    let ids = r.billing_run(2022, d(2022, 4, 1), d(2022, 5, 31)).unwrap();
    assert!(ids.iter().all(|id| id.starts_with("Q2022")), "{ids:?}");
}

#[test]
fn r_run_a_reissued_id_that_is_another_key_is_refused_not_skipped() {
    // Subscription `A`'s second charge would be `S2021-A/2`, the id of subscription `A/2`'s
    // first: the run is refused whole and loudly, never silently one charge short.
    let mut r = members();
    for id in ["A", "A/2"] {
        request(&mut r, id, "017001", "spid", 1, d(2021, 3, 1)).unwrap();
        activate(&mut r, id, d(2021, 3, 15));
    }
    let ids = r.billing_run(2021, d(2021, 4, 1), d(2021, 5, 31)).unwrap();
    assert!(ids.contains(&"S2021-A".to_owned()) && ids.contains(&"S2021-A/2".to_owned()));
    r.apply(Event::ChargeReversed {
        charge: "S2021-A".into(),
        date: d(2021, 6, 1),
        reason: "quantità errata".into(),
    })
    .unwrap();
    let e = r
        .billing_run(2021, d(2021, 6, 2), d(2021, 7, 31))
        .unwrap_err();
    assert_eq!(e.code(), "duplicate_event", "{e}");
    r.state.ledger.assert_indexes();
}

#[test]
fn r_join_an_unione_approves_at_least_one_membership() {
    let mut r = base();
    let e = assert_refused(
        &mut r,
        Event::UnioneApproved {
            unione: "U1".into(),
            delibera: delibera("U-1"),
            memberships: vec![],
        },
        "invalid_value",
    );
    assert_eq!(e.path().as_deref(), Some("memberships"));
}

#[test]
fn r_prorata_membership_from_april_under_monthly_tariff() {
    // bs-2021 prorates monthly: 360,00 from April = 9/12 → 270,00.
    let mut r = base();
    join(&mut r, "A-1", "017001", d(2021, 4, 15));
    let ids = r.billing_run(2021, d(2021, 5, 1), d(2021, 6, 30)).unwrap();
    assert_eq!(r.charge(&ids[0]).unwrap().amount, m(27_000));
}

#[test]
fn r_payer_capofila_half_conserves_cents() {
    // Adro's quota € 837,00 → € 418,50 each; Acquafredda's € 360,00 → € 180,00 each.
    let mut r = members();
    agree(
        &mut r,
        &["017001", "017002"],
        CapofilaShare::Percent {
            percent: Decimal::new(50, 0),
        },
    );
    r.billing_run(2021, d(2021, 4, 1), d(2021, 5, 31)).unwrap();
    let adro = r.charge("Q2021-017002").unwrap();
    assert_eq!(
        adro.shares,
        [
            PayerShare {
                payer: "U1".into(),
                amount: m(41_850)
            },
            PayerShare {
                payer: "017002".into(),
                amount: m(41_850)
            },
        ]
    );
    assert!(adro.explanation.contains("a carico del capofila U1 il 50%"));
    // The Unione owes 300,00 + 180,00 + 418,50 = 898,50.
    let u = r.balance("U1", d(2021, 12, 31)).unwrap();
    assert_eq!(u.charged, m(89_850));
}

#[test]
fn r_payer_odd_cent_goes_to_the_capofila_and_fixed_is_capped() {
    // A quota of 0,15 + 0,00 … use Acquafredda with 1 abitante less: 1.599 × 0,15 = 239,85
    // + 120 = 359,85; 50 % = 179,925 → capofila 179,93 (tie → first), member 179,92.
    let mut r = Registry::new();
    r.apply(Event::TariffAdopted {
        tariff: Box::new(Tariff::from_json(CATALOGUE).unwrap()),
    })
    .unwrap();
    let mut unione = Ente::comune("U1", "Unione", 0, 0);
    unione.kind = EnteKind::Unione;
    r.apply(Event::EnteRegistered { ente: unione }).unwrap();
    r.apply(Event::EnteRegistered {
        ente: Ente::comune("017001", "Acquafredda", 1_599, 120),
    })
    .unwrap();
    r.apply(Event::EnteRegistered {
        ente: Ente::comune("017002", "Adro", 4_200, 300),
    })
    .unwrap();
    join(&mut r, "A-1", "017001", d(2021, 1, 25));
    join(&mut r, "A-2", "017002", d(2021, 1, 25));
    agree(
        &mut r,
        &["017001"],
        CapofilaShare::Percent {
            percent: Decimal::new(50, 0),
        },
    );
    agree(
        &mut r,
        &["017002"],
        CapofilaShare::Fixed { amount: m(100_000) },
    );
    r.billing_run(2021, d(2021, 4, 1), d(2021, 5, 31)).unwrap();
    let shares: Vec<i64> = r
        .charge("Q2021-017001")
        .unwrap()
        .shares
        .iter()
        .map(|s| s.amount.cents().unwrap())
        .collect();
    assert_eq!(shares, [17_993, 17_992]);
    // € 1.000 fixed, capped at Adro's € 837,00: the Unione pays it all.
    let adro = r.charge("Q2021-017002").unwrap();
    assert_eq!(adro.shares.len(), 1);
    assert_eq!(adro.shares[0].payer, "U1");
}

#[test]
fn r_renew_campaign_confirm_decline_lapse_and_tacit() {
    let mut r = members();
    for (id, ente, service, q) in [
        ("S-tel", "017001", "telemaco", 200),
        ("S-cons", "017002", "conservazione", 3),
        ("S-pec", "017001", "pec", 2),
        ("S-spid", "017002", "spid", 1),
    ] {
        request(&mut r, id, ente, service, q, d(2021, 3, 1)).unwrap();
        activate(&mut r, id, d(2021, 3, 10));
    }
    let campaign = r.renewal_campaign(2022);
    let listed: Vec<(&str, RenewalStatus)> = campaign
        .iter()
        .map(|i| (i.subscription.as_str(), i.status))
        .collect();
    // Tacit PEC and una tantum SPID never appear.
    assert_eq!(
        listed,
        [
            ("S-cons", RenewalStatus::Pending),
            ("S-tel", RenewalStatus::Pending)
        ]
    );
    r.apply(Event::RenewalConfirmed {
        subscription: "S-tel".into(),
        year: 2022,
        date: d(2021, 11, 2),
    })
    .unwrap();
    assert_refused(
        &mut r,
        Event::RenewalConfirmed {
            subscription: "S-pec".into(),
            year: 2022,
            date: d(2021, 11, 2),
        },
        "illegal_transition",
    );
    r.apply(Event::YearClosed { year: 2021 }).unwrap();
    // The same close again is a retry, recognised and not recorded twice (R-JOURNAL).
    let version = r.version();
    assert_eq!(
        r.apply(Event::YearClosed { year: 2021 }).unwrap(),
        Applied::AlreadyRecorded { seq: version - 1 }
    );
    assert_eq!(r.version(), version);
    let listed: Vec<RenewalStatus> = r.renewal_campaign(2022).iter().map(|i| i.status).collect();
    assert_eq!(listed, [RenewalStatus::Lapsed, RenewalStatus::Confirmed]);
    assert_eq!(
        r.subscription("S-pec").unwrap().billed_years(),
        Some((2021, 2022))
    );
    // 2022 bills Telemaco (confirmed) and PEC (tacit), not the lapsed preservation.
    let ids = r.billing_run(2022, d(2022, 3, 1), d(2022, 4, 30)).unwrap();
    let services: Vec<&str> = ids
        .iter()
        .filter(|i| i.starts_with('S'))
        .map(String::as_str)
        .collect();
    assert_eq!(services, ["S2022-S-pec", "S2022-S-tel"]);
}

#[test]
fn r_cancel_charges_conditions() {
    let mut r = members();
    request(&mut r, "S-pec", "017001", "pec", 4, d(2021, 3, 1)).unwrap();
    activate(&mut r, "S-pec", d(2021, 3, 10));
    r.apply(Event::SubscriptionCancelled {
        subscription: "S-pec".into(),
        date: d(2021, 9, 1),
        reason: "migrazione ad altro gestore".into(),
        conditions: vec![Condition {
            label: "Costi di attivazione non recuperati".into(),
            amount: m(4_000),
        }],
    })
    .unwrap();
    let c = r.charge("D-S-pec").unwrap();
    assert_eq!(
        (c.kind, c.amount, c.due),
        (ChargeKind::Disdetta, m(4_000), d(2021, 10, 1))
    );
    assert_eq!(c.lines[0].rule, Rule::Cancel);
    // Still billed for 2021 (4 × 25,00 − 20 % = 80,00), not for 2022.
    r.billing_run(2021, d(2021, 10, 1), d(2021, 11, 30))
        .unwrap();
    assert_eq!(r.charge("S2021-S-pec").unwrap().amount, m(8_000));
    let ids = r.billing_run(2022, d(2022, 3, 1), d(2022, 4, 30)).unwrap();
    assert!(!ids.iter().any(|i| i.contains("S-pec")));
}

#[test]
fn r_ledger_payments_credit_reversal_and_rebilling() {
    let mut r = members();
    r.billing_run(2021, d(2021, 4, 1), d(2021, 5, 31)).unwrap();
    // Adro owes 837,00; pays 900,00 → 63,00 credit.
    r.apply(Event::PaymentReceived {
        payment: "P-1".into(),
        payer: "017002".into(),
        date: d(2021, 5, 10),
        amount: m(90_000),
        charge: Some("Q2021-017002".into()),
        channel: None,
    })
    .unwrap();
    let b = r.balance("017002", d(2021, 12, 31)).unwrap();
    assert_eq!(
        (b.charged, b.paid, b.outstanding, b.credit),
        (m(83_700), m(90_000), m(0), m(6_300))
    );
    // Acquafredda pays 100,00 of 360,00 and is overdue for the rest after 31 May.
    r.apply(Event::PaymentReceived {
        payment: "P-2".into(),
        payer: "017001".into(),
        date: d(2021, 5, 10),
        amount: m(10_000),
        charge: None,
        channel: None,
    })
    .unwrap();
    let b = r.balance("017001", d(2021, 6, 1)).unwrap();
    assert_eq!((b.outstanding, b.overdue), (m(26_000), m(26_000)));
    assert_eq!(r.balance("017001", d(2021, 5, 31)).unwrap().overdue, m(0));
    // A correction: reverse Acquafredda's quota; the 100,00 paid becomes credit.
    r.apply(Event::ChargeReversed {
        charge: "Q2021-017001".into(),
        date: d(2021, 6, 15),
        reason: "conteggi da rettificare".into(),
    })
    .unwrap();
    assert_eq!(r.reversal_of("Q2021-017001"), Some("R-Q2021-017001"));
    let b = r.balance("017001", d(2021, 6, 15)).unwrap();
    assert_eq!(
        (b.charged, b.outstanding, b.credit),
        (m(0), m(0), m(10_000))
    );
    // The next run re-issues it; the credit pays 100,00 of it at once.
    let ids = r.billing_run(2021, d(2021, 7, 1), d(2021, 8, 31)).unwrap();
    assert_eq!(ids, ["Q2021-017001/2"]);
    assert_eq!(r.open_amount("Q2021-017001/2", "017001"), m(26_000));
    assert_eq!(r.balance("017001", d(2021, 7, 1)).unwrap().credit, m(0));
    assert_refused(
        &mut r,
        Event::PaymentReceived {
            payment: "P-3".into(),
            payer: "017001".into(),
            date: d(2021, 7, 2),
            amount: m(0),
            charge: None,
            channel: None,
        },
        "invalid_value",
    );
    assert_refused(
        &mut r,
        Event::PaymentReceived {
            payment: "P-3".into(),
            payer: "017001".into(),
            date: d(2021, 7, 2),
            amount: m(1),
            charge: Some("nope".into()),
            channel: None,
        },
        "unknown_entry",
    );
}

#[test]
fn r_ledger_journal_round_trips_and_replays_to_the_same_state() {
    let mut r = members();
    request(&mut r, "S-1", "017001", "spid", 3, d(2021, 3, 1)).unwrap();
    activate(&mut r, "S-1", d(2021, 3, 15));
    r.billing_run(2021, d(2021, 4, 1), d(2021, 5, 31)).unwrap();
    r.apply(Event::PaymentReceived {
        payment: "P-1".into(),
        payer: "017001".into(),
        date: d(2021, 5, 10),
        amount: m(12_345),
        charge: None,
        channel: None,
    })
    .unwrap();
    let text = r.to_json();
    assert!(
        text.contains(r#"{"type":"membership_approved","membership":"A-1""#),
        "{text}"
    );
    let replayed = Registry::from_json(&text).unwrap();
    assert_eq!(replayed.state(), r.state());
    assert_eq!(replayed.to_json(), text);
    for e in r.events() {
        let prefix = format!(r#"{{"type":"{}","#, e.type_name());
        assert!(e.to_json().starts_with(&prefix), "{}", e.to_json());
    }
}

#[test]
fn r_ledger_journal_refuses_unknown_fields_with_path() {
    let e = Registry::from_json(r#"[{"type": "year_closed", "year": 2021, "yaer": 2022}]"#)
        .unwrap_err();
    assert_eq!(e.code(), "malformed");
    assert!(e.to_string().contains("yaer"), "{e}");
    let e = Registry::from_json(
        r#"[{"type": "year_closed", "year": 2021}, {"type": "year_closed", "year": 2021}]"#,
    )
    .unwrap_err();
    assert_eq!(e.code(), "duplicate_event");
}

#[test]
fn r_ledger_payment_reversal_reopens_the_quota_and_stays_in_the_journal() {
    let mut r = members();
    r.billing_run(2021, d(2021, 4, 1), d(2021, 5, 31)).unwrap();
    // Acquafredda owes 360,00; pays 100,00 (P-1) and 50,00 (P-2) → 210,00 open.
    for (id, cents) in [("P-1", 10_000), ("P-2", 5_000)] {
        r.apply(Event::PaymentReceived {
            payment: id.into(),
            payer: "017001".into(),
            date: d(2021, 5, 10),
            amount: m(cents),
            charge: None,
            channel: None,
        })
        .unwrap();
    }
    assert_eq!(r.open_amount("Q2021-017001", "017001"), m(21_000));
    // P-1 bounces: the quota is 310,00 open again; paid falls by 100,00 to 50,00.
    let reversal = Event::PaymentReversed {
        id: "ST-1".into(),
        payment: "P-1".into(),
        date: d(2021, 6, 1),
        reason: "bonifico respinto".into(),
    };
    r.apply(reversal.clone()).unwrap();
    assert_eq!(r.open_amount("Q2021-017001", "017001"), m(31_000));
    let b = r.balance("017001", d(2021, 6, 1)).unwrap();
    assert_eq!(
        (b.charged, b.paid, b.outstanding, b.credit, b.overdue),
        (m(36_000), m(5_000), m(31_000), m(0), m(31_000))
    );
    // Nothing is edited: P-1 is still recorded, next to its reversing entry.
    assert_eq!(r.payment("P-1").unwrap().amount, m(10_000));
    let entry = r.payment("ST-1").unwrap();
    assert_eq!(
        (
            entry.amount,
            entry.reverses.as_deref(),
            entry.reason.as_deref()
        ),
        (m(-10_000), Some("P-1"), Some("bonifico respinto"))
    );
    assert_eq!(r.payment_reversal_of("P-1"), Some("ST-1"));
    assert_eq!(r.payment_reversal_of("P-2"), None);
    let allocations = r.allocations();
    let last = allocations.last().unwrap();
    assert_eq!(
        (last.payment.as_deref(), last.charge.as_str(), last.amount),
        (Some("ST-1"), "Q2021-017001", m(-10_000))
    );
    // Refused, and nothing changes: twice, the reversing entry, unknown, an id in use, a
    // day before the payment, no reason.
    let again = |id: &str, payment: &str, date: NaiveDate, reason: &str| Event::PaymentReversed {
        id: id.into(),
        payment: payment.into(),
        date,
        reason: reason.into(),
    };
    // The very same reversal again is a retry: recognised, nothing recorded (R-JOURNAL).
    let version = r.version();
    assert!(matches!(
        r.apply(reversal).unwrap(),
        Applied::AlreadyRecorded { .. }
    ));
    assert_eq!(r.version(), version);
    let e = assert_refused(
        &mut r,
        again("ST-9", "P-1", d(2021, 6, 2), "bonifico respinto"),
        "illegal_transition",
    );
    assert_eq!(
        e.to_string(),
        "payment `P-1` is reversed by `ST-1`: cannot reverse (R-LEDGER)"
    );
    let on = d(2021, 6, 2);
    assert_refused(&mut r, again("ST-2", "ST-1", on, "x"), "illegal_transition");
    assert_refused(&mut r, again("ST-2", "P-9", on, "x"), "unknown_entry");
    assert_refused(&mut r, again("P-1", "P-2", on, "x"), "duplicate_event");
    assert_refused(
        &mut r,
        again("ST-2", "P-2", d(2021, 5, 9), "x"),
        "invalid_value",
    );
    assert_refused(&mut r, again("ST-2", "P-2", on, " "), "invalid_value");
    assert_refused(&mut r, again("", "P-2", on, "x"), "invalid_value");
    // The journal keeps the reversal and replays to the same state.
    let text = r.to_json();
    assert!(
        text.contains(r#"{"type":"payment_reversed","id":"ST-1","payment":"P-1","date":"2021-06-01","reason":"bonifico respinto"}"#),
        "{text}"
    );
    let replayed = Registry::from_json(&text).unwrap();
    assert_eq!(replayed, r);
    assert_eq!(replayed.to_json(), text);
}

#[test]
fn r_ledger_payment_reversal_removes_its_credit_and_reopens_what_the_credit_paid() {
    let mut r = members();
    request(&mut r, "S-1", "017002", "spid", 3, d(2021, 3, 1)).unwrap();
    r.billing_run(2021, d(2021, 4, 1), d(2021, 5, 31)).unwrap();
    // Adro owes 837,00 and pays 1.000,00 (P-1) → 163,00 credit.
    r.apply(Event::PaymentReceived {
        payment: "P-1".into(),
        payer: "017002".into(),
        date: d(2021, 5, 10),
        amount: m(100_000),
        charge: Some("Q2021-017002".into()),
        channel: None,
    })
    .unwrap();
    assert_eq!(
        r.balance("017002", d(2021, 5, 10)).unwrap().credit,
        m(16_300)
    );
    // SPID is activated and billed later in the year: the credit pays it at once.
    activate(&mut r, "S-1", d(2021, 6, 1));
    let ids = r.billing_run(2021, d(2021, 7, 1), d(2021, 8, 31)).unwrap();
    assert_eq!(ids, ["S2021-S-1"]);
    let spid = r.charge("S2021-S-1").unwrap().amount;
    assert_eq!(spid, m(10_500));
    // 163,00 − 105,00 = 58,00 of credit left.
    assert_eq!(r.balance("017002", d(2021, 7, 1)).unwrap().credit, m(5_800));
    // P-1 was the wrong payer. Reversing it (1.000,00): the quota re-opens by 837,00; of
    // the 163,00 of credit it produced only 58,00 is left, taken; the other 105,00 paid
    // the SPID charge, which becomes outstanding again.
    r.apply(Event::PaymentReversed {
        id: "ST-1".into(),
        payment: "P-1".into(),
        date: d(2021, 9, 1),
        reason: "pagatore errato".into(),
    })
    .unwrap();
    assert_eq!(r.open_amount("Q2021-017002", "017002"), m(83_700));
    assert_eq!(r.open_amount("S2021-S-1", "017002"), m(10_500));
    let b = r.balance("017002", d(2021, 9, 1)).unwrap();
    assert_eq!(
        (b.charged, b.paid, b.outstanding, b.credit),
        (m(94_200), m(0), m(94_200), m(0))
    );
    let replayed = Registry::from_json(&r.to_json()).unwrap();
    assert_eq!(replayed, r);
}

#[test]
fn r_ledger_an_event_refused_halfway_changes_nothing() {
    // The state is not copied for each event: every aggregate undoes what an event changed
    // before it was refused. Here a payment is allocated and credited, then its payer's
    // running total of payments overflows.
    let mut r = members();
    agree(
        &mut r,
        &["017001"],
        CapofilaShare::Percent {
            percent: Decimal::new(50, 0),
        },
    );
    r.billing_run(2021, d(2021, 4, 1), d(2021, 5, 31)).unwrap();
    let q = r.charge("Q2021-017001").unwrap();
    assert_eq!(q.shares[0].payer, "U1");
    // 017001 pays as much as exact arithmetic holds in cents (a mantissa of 2^96 − 1 at
    // scale 2): its 180,00 and the rest as credit.
    let most = Money::from_decimal_exact(Decimal::from_i128_with_scale((1 << 96) - 1, 2)).unwrap();
    let pay = |id: &str, amount: Money| Event::PaymentReceived {
        payment: id.into(),
        payer: "017001".into(),
        date: d(2021, 5, 10),
        amount,
        charge: None,
        channel: None,
    };
    r.apply(pay("P-1", most)).unwrap();
    // 100,00 more: the credit would still fit, the total paid does not.
    let e = assert_refused(&mut r, pay("P-2", m(10_000)), "overflow");
    assert!(e.to_string().contains("ledger"), "{e}");
    assert_eq!(r.open_amount("Q2021-017001", "017001"), m(0));
    assert_eq!(r.open_amount("Q2021-017001", "U1"), m(18_000));
    r.state.ledger.assert_indexes();
}

#[test]
fn r_journal_an_unione_approval_refused_halfway_changes_nothing() {
    // The first membership is approved, the second is unknown: the first approval is
    // undone with the rest of the event.
    let mut r = base();
    r.apply(Event::MembershipRequested {
        membership: "A-1".into(),
        ente: "017001".into(),
        date: d(2021, 1, 10),
    })
    .unwrap();
    let e = assert_refused(
        &mut r,
        Event::UnioneApproved {
            unione: "U1".into(),
            delibera: delibera("U-1"),
            memberships: vec!["A-1".into(), "A-9".into()],
        },
        "unknown_entry",
    );
    assert_eq!(e.to_string(), "no membership `A-9` is recorded (R-LEDGER)");
    assert_eq!(
        r.membership("A-1").unwrap().state,
        MembershipState::Requested
    );
}

#[test]
fn r_journal_a_batch_is_all_or_none_and_names_the_event_refused() {
    let mut r = members();
    let before = r.clone();
    let pay = |id: &str, cents: i64| Event::PaymentReceived {
        payment: id.into(),
        payer: "017001".into(),
        date: d(2021, 5, 10),
        amount: m(cents),
        charge: None,
        channel: None,
    };
    let batch = vec![
        Event::BillingRun {
            year: 2021,
            issued: d(2021, 4, 1),
            due: d(2021, 5, 31),
        },
        pay("P-1", 20_000),
        pay("P-2", 0),
    ];
    let e = r.apply_all(Some(r.version()), batch.clone()).unwrap_err();
    assert_eq!(
        (e.code(), e.path().as_deref()),
        ("invalid_value", Some("[2].amount"))
    );
    assert_eq!(r, before);
    assert!(r.charges().is_empty());
    r.state.ledger.assert_indexes();
    // Without the bad payment the batch is recorded whole, at the version expected.
    let version = r.version();
    let ok = r.apply_all(Some(version), batch[..2].to_vec()).unwrap();
    assert_eq!(
        ok,
        [
            Applied::Recorded { seq: version },
            Applied::Recorded { seq: version + 1 }
        ]
    );
    // Its retry, at the same expected version, is recognised; another writer's stale
    // batch is refused.
    let again = r.apply_all(Some(version), batch[..2].to_vec()).unwrap();
    assert!(
        again
            .iter()
            .all(|a| matches!(a, Applied::AlreadyRecorded { .. }))
    );
    let e = r
        .apply_all(Some(version), vec![pay("P-3", 100)])
        .unwrap_err();
    assert_eq!(
        e,
        Error::VersionConflict {
            expected: version,
            actual: version + 2
        }
    );
    assert_eq!(r.version(), version + 2);
    r.state.ledger.assert_indexes();
}

// pagoPA and the Tesoreria Unica (R-NOTICE, R-RECONCILE).

const CREDITOR: &str = r#"{"codice_fiscale": "80008750178", "name": "Provincia di Brescia",
    "segregation_code": "07", "iban": "IT60X0542811101000000123456", "category": "9/0101002IM/",
    "categories": {"servizio": "9/0101108TS/"}}"#;

/// Codici fiscali made up for the tests' enti, each with the right check digit.
const CF: [(&str, &str); 3] = [
    ("U1", "80003500172"),
    ("017001", "00413350174"),
    ("017002", "00413360173"),
];

/// The members, the Unione paying half of both comuni's quotas, the 2021 billing, the
/// creditor and every codice fiscale: € 898,50 owed by U1 in three shares, € 180,00 by
/// Acquafredda, € 418,50 by Adro.
fn billed_with_creditor() -> Registry {
    let mut r = members();
    agree(
        &mut r,
        &["017001", "017002"],
        CapofilaShare::Percent {
            percent: Decimal::new(50, 0),
        },
    );
    r.billing_run(2021, d(2021, 3, 1), d(2021, 4, 30)).unwrap();
    r.apply(Event::CreditorRegistered {
        creditor: crate::pagopa::Creditor::from_json(CREDITOR).unwrap(),
    })
    .unwrap();
    for (ente, cf) in CF {
        r.apply(Event::CodiceFiscaleRecorded {
            ente: ente.into(),
            codice_fiscale: cf.into(),
        })
        .unwrap();
    }
    r
}

fn issue(r: &mut Registry) -> Applied {
    r.apply(Event::NoticesIssued {
        year: 2021,
        date: d(2021, 3, 2),
    })
    .unwrap()
}

#[test]
fn r_notice_every_open_share_gets_one_number_once() {
    let mut r = billed_with_creditor();
    assert!(matches!(issue(&mut r), Applied::Recorded { .. }));
    let notices = r.notices(2021);
    let got: Vec<(&str, &str, Money)> = notices
        .iter()
        .map(|n| (n.charge.as_str(), n.payer.as_str(), n.amount))
        .collect();
    assert_eq!(
        got,
        [
            ("Q2021-017001", "U1", m(18_000)),
            ("Q2021-017001", "017001", m(18_000)),
            ("Q2021-017002", "U1", m(41_850)),
            ("Q2021-017002", "017002", m(41_850)),
            ("Q2021-U1", "U1", m(30_000)),
        ]
    );
    // Numbered on from 1 with the creditor's segregation code; the Unione is the debtor
    // of its shares, with its own codice fiscale.
    for (k, n) in notices.iter().enumerate() {
        let base = format!("{:013}", k + 1);
        assert_eq!(
            n.notice_number,
            crate::pagopa::notice_number("07", &base).unwrap()
        );
        assert_eq!(n.iuv, n.notice_number[1..]);
        let cf = CF.iter().find(|(e, _)| *e == n.payer).unwrap().1;
        assert_eq!(n.codice_fiscale, cf);
        assert_eq!(n.status, crate::pagopa::NoticeStatus::Open);
        assert_eq!(n.due, d(2021, 4, 30));
    }
    // Issued once: again, nothing; after a replay, the very same numbers.
    assert_eq!(issue(&mut r), Applied::Unchanged);
    let replayed = Registry::from_json(&r.to_json()).unwrap();
    assert_eq!(replayed, r);
    assert_eq!(replayed.notices(2021), notices);
    assert!(r.notices(2022).is_empty());
}

#[test]
fn r_notice_needs_a_creditor_and_each_payer_codice_fiscale() {
    let mut r = members();
    r.billing_run(2021, d(2021, 3, 1), d(2021, 4, 30)).unwrap();
    let e = assert_refused(
        &mut r,
        Event::NoticesIssued {
            year: 2021,
            date: d(2021, 3, 2),
        },
        "invalid_value",
    );
    assert_eq!(e.path().as_deref(), Some("creditor"));
    r.apply(Event::CreditorRegistered {
        creditor: crate::pagopa::Creditor::from_json(CREDITOR).unwrap(),
    })
    .unwrap();
    r.apply(Event::CodiceFiscaleRecorded {
        ente: "017001".into(),
        codice_fiscale: "00413350174".into(),
    })
    .unwrap();
    // Adro has none: the whole issue is refused, naming it.
    let e = assert_refused(
        &mut r,
        Event::NoticesIssued {
            year: 2021,
            date: d(2021, 3, 2),
        },
        "invalid_value",
    );
    assert_eq!(e.path().as_deref(), Some("enti.017002.codice_fiscale"));
    assert!(e.to_string().contains("Adro"), "{e}");
    assert!(r.notices(2021).is_empty());
    // A codice fiscale with a wrong check digit, another ente's, or a second one: refused.
    let e = assert_refused(
        &mut r,
        Event::CodiceFiscaleRecorded {
            ente: "017002".into(),
            codice_fiscale: "00413360174".into(),
        },
        "invalid_value",
    );
    assert!(e.to_string().contains("00413360174"), "{e}");
    assert_refused(
        &mut r,
        Event::CodiceFiscaleRecorded {
            ente: "017002".into(),
            codice_fiscale: "00413350174".into(),
        },
        "invalid_value",
    );
    assert_refused(
        &mut r,
        Event::CodiceFiscaleRecorded {
            ente: "017001".into(),
            codice_fiscale: "00413360173".into(),
        },
        "illegal_transition",
    );
}

#[test]
fn r_notice_creditor_profile_replaced_but_not_its_codice_fiscale_once_used() {
    let mut r = billed_with_creditor();
    let creditor = crate::pagopa::Creditor::from_json(CREDITOR).unwrap();
    // The same profile again changes nothing.
    assert_eq!(
        r.apply(Event::CreditorRegistered {
            creditor: creditor.clone()
        })
        .unwrap(),
        Applied::Unchanged
    );
    issue(&mut r);
    let mut other = creditor.clone();
    other.iban = "IT42L1234512345123456789012".into();
    assert!(crate::pagopa::valid_iban(&other.iban));
    r.apply(Event::CreditorRegistered {
        creditor: other.clone(),
    })
    .unwrap();
    assert_eq!(r.creditor(), Some(&other));
    other.codice_fiscale = "00123456014".into();
    assert_refused(
        &mut r,
        Event::CreditorRegistered { creditor: other },
        "illegal_transition",
    );
}

#[test]
fn r_notice_a_reversed_charge_withdraws_its_notices_and_rebilling_numbers_on() {
    let mut r = billed_with_creditor();
    issue(&mut r);
    r.apply(Event::ChargeReversed {
        charge: "Q2021-017002".into(),
        date: d(2021, 3, 10),
        reason: "abitanti errati".into(),
    })
    .unwrap();
    let status: Vec<_> = r.notices(2021).iter().map(|n| n.status).collect();
    use crate::pagopa::NoticeStatus::{Open, Withdrawn};
    assert_eq!(status, [Open, Open, Withdrawn, Withdrawn, Open]);
    // Only open notices have a debt position.
    let positions = r.debt_positions(2021).unwrap();
    assert_eq!(positions.len(), 3);
    // The charge re-issued gets new notices, numbered after the last: never reused.
    r.billing_run(2021, d(2021, 3, 11), d(2021, 4, 30)).unwrap();
    issue(&mut r);
    let notices = r.notices(2021);
    assert_eq!(notices.len(), 7);
    assert_eq!(notices[5].charge, "Q2021-017002/2");
    assert_eq!(&notices[5].iuv[2..15], "0000000000006");
    let mut iuvs: Vec<&str> = notices.iter().map(|n| n.iuv.as_str()).collect();
    iuvs.sort_unstable();
    iuvs.dedup();
    assert_eq!(iuvs.len(), 7);
}

#[test]
fn r_notice_debt_positions_are_addressed_to_the_payer_in_cents_that_sum() {
    let mut r = billed_with_creditor();
    issue(&mut r);
    let positions = r.debt_positions(2021).unwrap();
    let notices = r.notices(2021);
    assert_eq!(positions.len(), notices.len());
    for (p, n) in positions.iter().zip(&notices) {
        assert_eq!(p.iupd, format!("CIT-{}", n.iuv));
        assert_eq!(
            (p.debtor_type, p.fiscal_code.as_str()),
            ("G", n.codice_fiscale.as_str())
        );
        assert_eq!(p.company_name, "Provincia di Brescia");
        let [option] = &p.payment_option[..] else {
            panic!("one option")
        };
        assert_eq!(Some(option.amount), n.amount.cents());
        assert_eq!(
            option.transfer.iter().map(|t| t.amount).sum::<i64>(),
            option.amount
        );
        assert!(option.description.chars().count() <= 140);
        assert_eq!(option.due_date, "2021-04-30T23:59:59");
        assert!(!option.is_partial_payment);
        let t = &option.transfer[0];
        assert_eq!(
            (
                t.organization_fiscal_code.as_str(),
                t.category.as_str(),
                t.iban.as_str()
            ),
            ("80008750178", "9/0101002IM/", "IT60X0542811101000000123456")
        );
        assert!(t.remittance_information.contains(&n.charge));
    }
    let json = positions[0].to_json();
    for key in [
        r#""iupd":"#,
        r#""type":"G""#,
        r#""fiscalCode":"#,
        r#""fullName":"Unione della Franciacorta""#,
        r#""companyName":"#,
        r#""paymentOption":[{"iuv":"#,
        r#""amount":18000"#,
        r#""isPartialPayment":false"#,
        r#""dueDate":"2021-04-30T23:59:59""#,
        r#""transfer":[{"idTransfer":"1""#,
        r#""remittanceInformation":"Quota di adesione 2021 Q2021-017001""#,
        r#""category":"9/0101002IM/""#,
    ] {
        assert!(json.contains(key), "{key} not in {json}");
    }
    // The office's CSV: a header and a line per notice.
    let csv = r.notices_csv(2021);
    assert_eq!(csv.lines().count(), notices.len() + 1);
    assert!(csv.contains(&format!(
        "017002;Adro;00413360173;{};418,50;30/04/2021;Q2021-017002;open",
        notices[3].notice_number
    )));
}

/// A flow for the creditor, dated 15 March 2021, with these payments (IUV, IUR, amount
/// in cents, outcome); its count and total add up.
fn flow(payments: &[(&str, &str, i64, crate::pagopa::Outcome)]) -> crate::pagopa::Flow {
    use crate::pagopa::{Flow, FlowPayment, Institution};
    let payments: Vec<FlowPayment> = payments
        .iter()
        .map(|&(iuv, iur, cents, outcome)| FlowPayment {
            iuv: iuv.into(),
            iur: iur.into(),
            index: 1,
            amount: m(cents),
            outcome,
            date: d(2021, 3, 14),
        })
        .collect();
    Flow {
        version: "1.0".into(),
        id: "2021-03-15ABI03069-S0000001".into(),
        date_time: d(2021, 3, 15).and_hms_opt(10, 0, 0).unwrap(),
        regulation: "Bonifico SEPA-03069-A0001".into(),
        regulation_date: d(2021, 3, 15),
        sender: Institution {
            id_type: "B".into(),
            code: "BCITITMM".into(),
            name: Some("Intesa Sanpaolo".into()),
        },
        bic: None,
        receiver: Institution {
            id_type: "G".into(),
            code: "80008750178".into(),
            name: Some("Provincia di Brescia".into()),
        },
        count: payments.len() as u64,
        total: Money::checked_sum(payments.iter().map(|p| p.amount)).unwrap(),
        payments,
    }
}

fn apply_all(r: &mut Registry, events: &[Event]) {
    for e in events {
        r.apply(e.clone()).unwrap();
    }
}

#[test]
fn r_reconcile_books_paid_and_revoked_once_and_reports_the_rest() {
    use crate::pagopa::Outcome::{Paid, PaidWithoutReceipt, Revoked};
    let mut r = billed_with_creditor();
    issue(&mut r);
    let n = r.notices(2021);
    let unknown = crate::pagopa::iuv("07", "0000000000099").unwrap();
    let f = flow(&[
        (&n[1].iuv, "IUR-A", 18_000, Paid), // Acquafredda's half
        (&n[3].iuv, "IUR-B", 41_850, PaidWithoutReceipt), // Adro's half
        (&n[4].iuv, "IUR-C", 29_999, Paid), // a cent short
        (&unknown, "IUR-D", 5_000, Paid),
    ]);
    let report = r.reconcile(f.clone()).unwrap();
    assert!(report.accepted);
    let iuvs = |lines: &[FlowLine]| {
        lines
            .iter()
            .map(|l| l.reported.iuv.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(iuvs(&report.matched), [n[1].iuv.clone(), n[3].iuv.clone()]);
    assert_eq!(iuvs(&report.mismatched), [n[4].iuv.clone()]);
    assert_eq!(report.mismatched[0].expected, Some(m(30_000)));
    assert_eq!(iuvs(&report.unknown), [unknown]);
    assert!(report.already_recorded.is_empty() && report.problems.is_empty());
    assert_eq!(report.events.len(), 2);
    let Event::PaymentReceived {
        payment,
        payer,
        charge,
        channel,
        amount,
        date,
    } = &report.events[0]
    else {
        panic!("{:?}", report.events[0])
    };
    assert_eq!(
        (payer.as_str(), charge.as_deref(), *amount, *date),
        ("017001", Some("Q2021-017001"), m(18_000), d(2021, 3, 14))
    );
    assert_eq!(payment, &format!("PA-{}-IUR-A-1", n[1].iuv));
    assert_eq!(
        channel,
        &Some(Box::new(Channel::Pagopa {
            iuv: n[1].iuv.clone(),
            iur: "IUR-A".into(),
            index: 1,
            flow: "2021-03-15ABI03069-S0000001".into()
        }))
    );
    // Nothing is booked until the events are applied.
    assert_eq!(
        r.balance("017001", d(2021, 12, 31)).unwrap().paid,
        Money::ZERO
    );
    apply_all(&mut r, &report.events);
    assert_eq!(
        r.balance("017001", d(2021, 12, 31)).unwrap().outstanding,
        Money::ZERO
    );
    assert_eq!(
        r.balance("017002", d(2021, 12, 31)).unwrap().paid,
        m(41_850)
    );
    assert_eq!(r.notices(2021)[1].status, crate::pagopa::NoticeStatus::Paid);
    assert_eq!(r.debt_positions(2021).unwrap().len(), 3);
    // The same flow again: every matched payment is already recorded, no event.
    let again = r.reconcile(f).unwrap();
    assert!(again.events.is_empty() && again.matched.is_empty());
    assert_eq!(again.already_recorded.len(), 2);
    // Applying the events a second time is a retry: nothing changes.
    let before = r.clone();
    for e in &report.events {
        assert!(matches!(
            r.apply(e.clone()).unwrap(),
            Applied::AlreadyRecorded { .. }
        ));
    }
    assert_eq!(r, before);
    // A later flow revokes Adro's payment: reversed, the share open again.
    let revocation = flow(&[(&n[3].iuv, "IUR-B", -41_850, Revoked)]);
    let report = r.reconcile(revocation.clone()).unwrap();
    assert_eq!(report.matched.len(), 1);
    let [Event::PaymentReversed { payment, id, .. }] = &report.events[..] else {
        panic!("{:?}", report.events)
    };
    assert_eq!(payment, &format!("PA-{}-IUR-B-1", n[3].iuv));
    assert_eq!(id, &format!("{payment}:revoca"));
    apply_all(&mut r, &report.events);
    let adro = r.balance("017002", d(2021, 12, 31)).unwrap();
    assert_eq!((adro.paid, adro.outstanding), (Money::ZERO, m(41_850)));
    assert_eq!(r.reconcile(revocation).unwrap().already_recorded.len(), 1);
    // The journal replays to the same books.
    assert_eq!(Registry::from_json(&r.to_json()).unwrap(), r);
}

#[test]
fn r_reconcile_a_flow_that_does_not_add_up_books_nothing() {
    use crate::pagopa::Outcome::{Paid, Revoked};
    let mut r = billed_with_creditor();
    issue(&mut r);
    let n = r.notices(2021);
    let mut f = flow(&[(&n[1].iuv, "IUR-A", 18_000, Paid)]);
    f.total = m(18_001);
    f.count = 2;
    let report = r.reconcile(f.clone()).unwrap();
    assert!(!report.accepted && report.events.is_empty());
    assert_eq!(report.matched.len(), 1, "what matched is still shown");
    let paths: Vec<&str> = report.problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "FlussoRiversamento/numeroTotalePagamenti",
            "FlussoRiversamento/importoTotalePagamenti"
        ]
    );
    // A flow for another body: nothing booked.
    let mut f = flow(&[(&n[1].iuv, "IUR-A", 18_000, Paid)]);
    f.receiver.code = "00123456014".into();
    let report = r.reconcile(f).unwrap();
    assert!(!report.accepted && report.events.is_empty());
    assert!(
        report.problems[0]
            .path
            .ends_with("codiceIdentificativoUnivoco")
    );
    // Per payment: a wrong check digit, a payment of zero, a revocation of nothing booked,
    // the same payment twice: reported, none booked; the good payment is.
    let mut bad = n[2].iuv.clone();
    bad.replace_range(15.., if &bad[15..] == "00" { "01" } else { "00" });
    let f = flow(&[
        (&n[1].iuv, "IUR-A", 18_000, Paid),
        (&n[1].iuv, "IUR-A", 18_000, Paid),
        (&bad, "IUR-E", 41_850, Paid),
        (&n[0].iuv, "IUR-F", 0, Paid),
        (&n[4].iuv, "IUR-G", -30_000, Revoked),
    ]);
    let report = r.reconcile(f).unwrap();
    assert!(report.accepted);
    assert_eq!(report.events.len(), 1);
    let paths: Vec<&str> = report.problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "FlussoRiversamento/datiSingoliPagamenti[2]",
            "FlussoRiversamento/datiSingoliPagamenti[3]/identificativoUnivocoVersamento",
            "FlussoRiversamento/datiSingoliPagamenti[4]/singoloImportoPagato",
            "FlussoRiversamento/datiSingoliPagamenti[5]",
        ]
    );
    assert_eq!(report.unknown.len(), 1);
    assert_eq!(report.mismatched.len(), 2);
}

#[test]
fn r_reconcile_a_pagopa_payment_must_be_of_its_notice_and_booked_once() {
    use crate::pagopa::Outcome::Paid;
    let mut r = billed_with_creditor();
    issue(&mut r);
    let n = r.notices(2021);
    let report = r
        .reconcile(flow(&[(&n[1].iuv, "IUR-A", 18_000, Paid)]))
        .unwrap();
    let Event::PaymentReceived {
        payment,
        payer,
        date,
        amount,
        charge,
        channel,
    } = report.events[0].clone()
    else {
        panic!()
    };
    // The same receipt under another payment id: refused.
    r.apply(report.events[0].clone()).unwrap();
    let e = assert_refused(
        &mut r,
        Event::PaymentReceived {
            payment: format!("{payment}-bis"),
            payer: payer.clone(),
            date,
            amount,
            charge: charge.clone(),
            channel: channel.clone(),
        },
        "duplicate_event",
    );
    assert!(e.to_string().contains("IUR-A"), "{e}");
    // Another payer or charge than the notice's: refused.
    assert_refused(
        &mut r,
        Event::PaymentReceived {
            payment: "X-1".into(),
            payer: "017002".into(),
            date,
            amount,
            charge,
            channel: Some(Box::new(Channel::Pagopa {
                iuv: n[1].iuv.clone(),
                iur: "IUR-Z".into(),
                index: 1,
                flow: "F".into(),
            })),
        },
        "invalid_value",
    );
}

#[test]
fn r_notice_a_girofondo_names_its_charge_in_the_causale() {
    let mut r = billed_with_creditor();
    let girofondo = |causale: &str, charge: Option<&str>| Event::PaymentReceived {
        payment: "TU-2021-0001".into(),
        payer: "017002".into(),
        date: d(2021, 4, 2),
        amount: m(41_850),
        charge: charge.map(str::to_owned),
        channel: Some(Box::new(Channel::Tesoreria {
            causale: causale.into(),
        })),
    };
    let e = assert_refused(
        &mut r,
        girofondo("Quota CIT 2021", Some("Q2021-017002")),
        "invalid_value",
    );
    assert_eq!(e.path().as_deref(), Some("channel.causale"));
    let e = assert_refused(&mut r, girofondo("Quota CIT 2021", None), "invalid_value");
    assert_eq!(e.path().as_deref(), Some("charge"));
    r.apply(girofondo(
        "GIROFONDO CIT BRESCIA Q2021-017002 QUOTA 2021",
        Some("Q2021-017002"),
    ))
    .unwrap();
    let p = r.payment("TU-2021-0001").unwrap();
    assert!(matches!(
        p.channel.as_deref(),
        Some(Channel::Tesoreria { .. })
    ));
    assert_eq!(r.open_amount("Q2021-017002", "017002"), Money::ZERO);
    // The share paid by girofondo gets no notice.
    issue(&mut r);
    assert!(!r.notices(2021).iter().any(|n| n.payer == "017002"));
    let json = r.to_json();
    assert!(
        json.contains(r#""channel":{"kind":"tesoreria","causale":"GIROFONDO"#),
        "{json}"
    );
    assert_eq!(Registry::from_json(&json).unwrap(), r);
}

#[test]
fn r_reconcile_a_revocation_must_follow_its_payment_with_the_same_index() {
    use crate::pagopa::Outcome::{Paid, Revoked};
    let mut r = billed_with_creditor();
    issue(&mut r);
    let n = r.notices(2021);
    let report = r
        .reconcile(flow(&[(&n[1].iuv, "IUR-A", 18_000, Paid)]))
        .unwrap();
    apply_all(&mut r, &report.events);
    let paid = format!("PA-{}-IUR-A-1", n[1].iuv);
    // Dated before the payment (14 March): reported, not booked.
    let mut early = flow(&[(&n[1].iuv, "IUR-A", -18_000, Revoked)]);
    early.payments[0].date = d(2021, 3, 10);
    let report = r.reconcile(early).unwrap();
    assert!(report.events.is_empty() && report.matched.is_empty());
    assert_eq!(report.mismatched.len(), 1);
    assert_eq!(
        report.problems[0].path,
        "FlussoRiversamento/datiSingoliPagamenti[1]/dataEsitoSingoloPagamento"
    );
    // Another index than the payment's: no such payment.
    let mut other = flow(&[(&n[1].iuv, "IUR-A", -18_000, Revoked)]);
    other.payments[0].index = 2;
    let report = r.reconcile(other).unwrap();
    assert!(report.events.is_empty());
    assert!(
        report.problems[0].found.contains("no such payment"),
        "{:?}",
        report.problems
    );
    // Reversed by hand first: the revocation is already recorded, under the hand's entry.
    r.apply(Event::PaymentReversed {
        id: "STORNO-1".into(),
        payment: paid,
        date: d(2021, 3, 20),
        reason: "revocato dal PSP".into(),
    })
    .unwrap();
    let report = r
        .reconcile(flow(&[(&n[1].iuv, "IUR-A", -18_000, Revoked)]))
        .unwrap();
    assert!(report.events.is_empty());
    assert_eq!(
        report.already_recorded[0].payment.as_deref(),
        Some("STORNO-1")
    );
}
