//! A CIT's year through pagoPA (R-NOTICE, R-RECONCILE): the 2025 billing run of an Unione
//! and three comuni (the Unione pays half of its members' quotas), a pagoPA notice for
//! every open share, the GPD debt positions and the office's CSV written, the Unione's
//! own quota paid by girofondo on the Tesoreria Unica, and two flussi di rendicontazione
//! reconciled: the first with two payments, the second with the revocation of one of
//! them, one more payment and an IUV of no notice. Balances before and after.
//!
//! The creditor is the Provincia di Brescia (codice fiscale 80008750178); its IBAN and
//! codice di segregazione, and the enti's codici fiscali, are illustrative (made up, with
//! the right check digits). Abitanti are the 2011 census; imprese are illustrative.
//!
//! ```text
//! cargo run --release --example pagopa [-- --out DIR]
//! ```
//!
//! Writes `DIR/posizioni-2025.json` (the GPD documents), `DIR/avvisi-2025.csv` and the
//! two flows as `DIR/flusso-1.xml`, `DIR/flusso-2.xml` (DIR defaults to `target/pagopa`).

use std::path::PathBuf;

use chrono::NaiveDate;
use cit_core::pagopa::{Creditor, Flow, FlowPayment, Institution, Notice, Outcome};
use cit_core::registry::{Channel, Reconciliation};
use cit_core::{CapofilaShare, Delibera, Ente, EnteKind, Event, Money, Registry, Tariff};
use rust_decimal::Decimal;

const TARIFF: &str = include_str!("tariffs/bs-2021-services.json");

const CREDITOR: &str = r#"{"codice_fiscale": "80008750178", "name": "Provincia di Brescia",
    "segregation_code": "07", "iban": "IT60X0542811101000000123456", "category": "9/0101002IM/"}"#;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
}

fn title(text: &str) {
    println!("\n{text}\n{}", "─".repeat(text.chars().count()));
}

/// The folder named by `--out`, or `target/pagopa`.
fn out_dir() -> Result<PathBuf, lexopt::Error> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_env();
    let mut dir = PathBuf::from("target/pagopa");
    while let Some(arg) = parser.next()? {
        match arg {
            Long("out") => dir = parser.value()?.into(),
            _ => return Err(arg.unexpected()),
        }
    }
    Ok(dir)
}

/// The CIT of the example: the Unione della Valtenesi and three of its comuni, members
/// from January 2025, the Unione paying half of the comuni's quotas, billed for 2025.
fn year_billed() -> Result<Registry, cit_core::Error> {
    let mut cit = Registry::new();
    cit.apply(Event::TariffAdopted {
        tariff: Box::new(Tariff::from_json(TARIFF)?),
    })?;
    let mut unione = Ente::comune("UVT", "Unione della Valtenesi", 0, 0);
    unione.kind = EnteKind::Unione;
    (unione.abitanti, unione.imprese) = (None, None);
    unione.codice_fiscale = Some("90000000019".into());
    let mut enti = vec![unione];
    for (id, name, abitanti, imprese, cf) in [
        ("017109", "Moniga del Garda", 2_436, 250, "00500000013"),
        ("017129", "Padenghe sul Garda", 4_276, 420, "00500000021"),
        ("017145", "Polpenazze del Garda", 2_468, 230, "00500000039"),
    ] {
        let mut e = Ente::comune(id, name, abitanti, imprese);
        e.codice_fiscale = Some(cf.into());
        enti.push(e);
    }
    for (k, ente) in enti.iter().enumerate() {
        let membership = format!("ADE-{}", k + 1);
        cit.apply(Event::EnteRegistered { ente: ente.clone() })?;
        cit.apply(Event::MembershipRequested {
            membership: membership.clone(),
            ente: ente.id.clone(),
            date: d(2024, 11, 15),
        })?;
        cit.apply(Event::MembershipApproved {
            membership: membership.clone(),
            delibera: Delibera {
                number: format!("{}/2024", 40 + k),
                date: d(2024, 12, 10),
                organ: "Consiglio".into(),
            },
        })?;
        cit.apply(Event::ConventionSigned {
            membership,
            date: d(2025, 1, 10),
            from: None,
            to: d(2025, 12, 31),
        })?;
    }
    cit.apply(Event::PayerAgreed {
        capofila: "UVT".into(),
        members: enti[1..].iter().map(|e| e.id.clone()).collect(),
        share: CapofilaShare::Percent {
            percent: Decimal::ONE_HUNDRED / Decimal::TWO,
        },
        from_year: 2025,
    })?;
    cit.billing_run(2025, d(2025, 3, 1), d(2025, 4, 30))?;
    Ok(cit)
}

/// A flow of the PSP to the creditor, its count and total from its payments.
fn flow(id: &str, day: NaiveDate, payments: Vec<FlowPayment>) -> Flow {
    Flow {
        version: "1.0".into(),
        id: id.into(),
        date_time: day.and_hms_opt(7, 30, 0).unwrap_or_default(),
        regulation: format!("Bonifico SEPA-03069-{}", &id[id.len() - 4..]),
        regulation_date: day,
        sender: Institution {
            id_type: "B".into(),
            code: "BCITITMM".into(),
            name: Some("Intesa Sanpaolo S.p.A.".into()),
        },
        bic: None,
        receiver: Institution {
            id_type: "G".into(),
            code: "80008750178".into(),
            name: Some("Provincia di Brescia".into()),
        },
        count: payments.len() as u64,
        total: Money::checked_sum(payments.iter().map(|p| p.amount)).unwrap_or(Money::ZERO),
        payments,
    }
}

fn paid(notice: &Notice, iur: &str, outcome: Outcome, date: NaiveDate) -> FlowPayment {
    FlowPayment {
        iuv: notice.iuv.clone(),
        iur: iur.into(),
        index: 1,
        amount: notice.amount,
        outcome,
        date,
    }
}

fn balances(cit: &Registry, heading: &str) -> Result<(), cit_core::Error> {
    title(heading);
    println!(
        "{:<26} {:>12} {:>12} {:>12} {:>12}",
        "Ente", "Addebitato", "Pagato", "Da pagare", "Credito"
    );
    for b in cit.balances(d(2025, 12, 31))? {
        let name = cit
            .ente(&b.ente)
            .map_or(b.ente.as_str(), |e| e.name.as_str());
        println!(
            "{:<26} {:>12} {:>12} {:>12} {:>12}",
            name, b.charged, b.paid, b.outstanding, b.credit
        );
    }
    Ok(())
}

fn report(cit: &Registry, r: &Reconciliation) {
    title(&format!(
        "Flusso {} del {}: {} pagamenti, {} (R-RECONCILE)",
        r.flow.id,
        r.flow.regulation_date.format("%d.%m.%Y"),
        r.flow.count,
        r.flow.total
    ));
    let groups = [
        ("registrato", &r.matched),
        ("importo diverso", &r.mismatched),
        ("IUV sconosciuto", &r.unknown),
        ("già registrato", &r.already_recorded),
    ];
    for (what, lines) in groups {
        for l in lines {
            let payer = l
                .payer
                .as_deref()
                .and_then(|p| cit.ente(p))
                .map_or("-", |e| e.name.as_str());
            println!(
                "  {:<18} {:<31} {:<22} {:>12}  {what}",
                l.reported.iuv,
                l.reported.outcome.label(),
                payer,
                l.reported.amount
            );
        }
    }
    for p in &r.problems {
        println!("  ! {}: atteso {}, trovato {}", p.path, p.expected, p.found);
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = out_dir()?;
    std::fs::create_dir_all(&out)?;
    let mut cit = year_billed()?;

    // R-NOTICE: the creditor's profile, then a notice for every open share.
    cit.apply(Event::CreditorRegistered {
        creditor: Creditor::from_json(CREDITOR)?,
    })?;
    cit.apply(Event::NoticesIssued {
        year: 2025,
        date: d(2025, 3, 1),
    })?;
    let notices = cit.notices(2025);
    title("Avvisi pagoPA 2025, scadenza 30.04.2025 (R-NOTICE)");
    for n in &notices {
        println!(
            "  {} {:<26} {:<16} {:>12}",
            n.notice_number, n.payer_name, n.charge, n.amount
        );
    }
    let positions = cit.debt_positions(2025)?;
    let documents: Vec<String> = positions.iter().map(|p| p.to_json()).collect();
    std::fs::write(
        out.join("posizioni-2025.json"),
        format!("[{}]\n", documents.join(",\n")),
    )?;
    std::fs::write(out.join("avvisi-2025.csv"), cit.notices_csv(2025))?;
    println!(
        "\n{} posizioni debitorie GPD in {}, gli avvisi in {}",
        positions.len(),
        out.join("posizioni-2025.json").display(),
        out.join("avvisi-2025.csv").display()
    );
    balances(&cit, "Situazione al 31.12.2025, prima degli incassi")?;

    // The Unione, in the Tesoreria Unica, pays its own quota by girofondo.
    let quota_unione = cit.charge("Q2025-UVT").map_or(Money::ZERO, |c| c.amount);
    cit.apply(Event::PaymentReceived {
        payment: "TU-2025-0001".into(),
        payer: "UVT".into(),
        date: d(2025, 4, 10),
        amount: quota_unione,
        charge: Some("Q2025-UVT".into()),
        channel: Some(Box::new(Channel::Tesoreria {
            causale: "GIROFONDO QUOTA CIT 2025 Q2025-UVT".into(),
        })),
    })?;

    // Two flows: Moniga and Padenghe pay; then Padenghe's payment is revoked, Polpenazze
    // pays in stand-in, and a payment of an IUV of no notice arrives.
    let of = |payer: &str| {
        notices
            .iter()
            .find(|n| n.payer == payer && n.charge.ends_with(payer))
    };
    let (Some(moniga), Some(padenghe), Some(polpenazze)) =
        (of("017109"), of("017129"), of("017145"))
    else {
        return Err("a comune without its notice".into());
    };
    let stranger = cit_core::pagopa::iuv("07", "0000000009999")?;
    let flows = [
        flow(
            "2025-04-15BCITITMM-S0000101",
            d(2025, 4, 15),
            vec![
                paid(moniga, "R-7Q2P11", Outcome::Paid, d(2025, 4, 14)),
                paid(
                    padenghe,
                    "R-7Q2P12",
                    Outcome::PaidWithoutReceipt,
                    d(2025, 4, 14),
                ),
            ],
        ),
        flow(
            "2025-04-29BCITITMM-S0000102",
            d(2025, 4, 29),
            vec![
                FlowPayment {
                    amount: -padenghe.amount,
                    ..paid(padenghe, "R-7Q2P12", Outcome::Revoked, d(2025, 4, 28))
                },
                paid(polpenazze, "R-7Q2P31", Outcome::StandIn, d(2025, 4, 28)),
                FlowPayment {
                    iuv: stranger,
                    iur: "R-7Q2P32".into(),
                    index: 1,
                    amount: Money::from_cents(5_000),
                    outcome: Outcome::Paid,
                    date: d(2025, 4, 28),
                },
            ],
        ),
    ];
    let (mut booked, mut revoked, mut unknown) = (0, 0, 0);
    for (k, f) in flows.iter().enumerate() {
        let xml = f.to_xml();
        std::fs::write(out.join(format!("flusso-{}.xml", k + 1)), &xml)?;
        // What the host fetched from the PSP is read back as any flow would be.
        let r = cit.reconcile_flow(&xml)?;
        report(&cit, &r);
        for e in &r.events {
            match e {
                Event::PaymentReceived { .. } => booked += 1,
                Event::PaymentReversed { .. } => revoked += 1,
                _ => {}
            }
            cit.apply(e.clone())?;
        }
        unknown += r.unknown.len();
        // Reconciled again, the same flow books nothing more.
        assert!(cit.reconcile_flow(&xml)?.events.is_empty());
    }
    balances(&cit, "Situazione al 31.12.2025, dopo gli incassi")?;
    println!(
        "\nRiconciliazione: {booked} pagamenti registrati, {revoked} revoca, {unknown} IUV sconosciuto"
    );
    Ok(())
}
