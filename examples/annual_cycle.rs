//! A small CIT through one year (2022): an Unione and three comuni join, one asks for SPID
//! release assistance for three people, the Unione pays 50 % of its members' quotas, the
//! billing run, payments (one partial, one over), the renewal campaign and the balances at
//! year end.
//!
//! Abitanti are the 2011 census figures shipped in `examples/data`; the imprese are
//! illustrative. The tariff is `examples/tariffs/bs-2021-services.json`.
//!
//! ```text
//! cargo run --release --example annual_cycle [-- --journal FILE.json]
//! ```
//!
//! With `--journal`, the year's journal (the JSON array of its events) is also written to
//! `FILE.json`: `tests/vectors/annual_cycle_journal.json` is that file, which the store's
//! tests keep in a database and read back.

use chrono::NaiveDate;
use cit_core::registry::{RenewalStatus, SubscriptionState};
use cit_core::{CapofilaShare, Delibera, Ente, EnteKind, Event, Money, Registry, Tariff};
use rust_decimal::Decimal;

const TARIFF: &str = include_str!("tariffs/bs-2021-services.json");

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
}

fn delibera(number: &str, date: NaiveDate, organ: &str) -> Delibera {
    Delibera {
        number: number.into(),
        date,
        organ: organ.into(),
    }
}

/// An Italian date, `10.01.2022`.
fn it(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

fn name(cit: &Registry, id: &str) -> String {
    cit.ente(id)
        .map_or_else(|| id.to_owned(), |e| e.name.clone())
}

fn title(text: &str) {
    println!("\n{text}\n{}", "─".repeat(text.chars().count()));
}

/// The file named by `--journal`, if any.
fn journal_file() -> Result<Option<std::path::PathBuf>, lexopt::Error> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_env();
    let mut file = None;
    while let Some(arg) = parser.next()? {
        match arg {
            Long("journal") => file = Some(parser.value()?.into()),
            _ => return Err(arg.unexpected()),
        }
    }
    Ok(file)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let journal = journal_file()?;
    let mut cit = Registry::new();
    cit.apply(Event::TariffAdopted {
        tariff: Box::new(Tariff::from_json(TARIFF)?),
    })?;

    // The enti: the Unione (fixed quota) and three comuni.
    let mut unione = Ente::comune("UVT", "Unione della Valtenesi", 0, 0);
    unione.kind = EnteKind::Unione;
    unione.abitanti = None;
    unione.imprese = None;
    let comuni = [
        Ente::comune("017109", "Moniga del Garda", 2_436, 250),
        Ente::comune("017129", "Padenghe sul Garda", 4_276, 420),
        Ente::comune("017145", "Polpenazze del Garda", 2_468, 230),
    ];
    cit.apply(Event::EnteRegistered { ente: unione })?;
    for ente in comuni.clone() {
        cit.apply(Event::EnteRegistered { ente })?;
    }

    // R-JOIN: the Unione joins with its own delibera and approves for its members.
    for (m, ente) in [
        ("ADE-1", "UVT"),
        ("ADE-2", "017109"),
        ("ADE-3", "017129"),
        ("ADE-4", "017145"),
    ] {
        cit.apply(Event::MembershipRequested {
            membership: m.into(),
            ente: ente.into(),
            date: d(2021, 11, 15),
        })?;
    }
    cit.apply(Event::MembershipApproved {
        membership: "ADE-1".into(),
        delibera: delibera("31/2021", d(2021, 12, 10), "Consiglio dell'Unione"),
    })?;
    cit.apply(Event::UnioneApproved {
        unione: "UVT".into(),
        delibera: delibera("32/2021", d(2021, 12, 10), "Consiglio dell'Unione"),
        memberships: vec!["ADE-2".into(), "ADE-3".into(), "ADE-4".into()],
    })?;
    for (m, signed) in [
        ("ADE-1", d(2022, 1, 10)),
        ("ADE-2", d(2022, 1, 10)),
        ("ADE-3", d(2022, 1, 10)),
        ("ADE-4", d(2022, 4, 1)), // Polpenazze signs in April: 9/12 of the year
    ] {
        cit.apply(Event::ConventionSigned {
            membership: m.into(),
            date: signed,
            from: None,
            to: d(2025, 12, 31),
        })?;
    }

    // R-PAYER: the Unione pays half of its members' quotas.
    cit.apply(Event::PayerAgreed {
        capofila: "UVT".into(),
        members: comuni.iter().map(|c| c.id.clone()).collect(),
        share: CapofilaShare::Percent {
            percent: Decimal::ONE_HUNDRED / Decimal::TWO,
        },
        from_year: 2022,
    })?;

    // R-ACT: SPID for three named people; preservation and PEC mailboxes for Padenghe.
    let requests = [
        (
            "RIC-1",
            "017109",
            "spid",
            3,
            vec!["M. Rossi", "L. Bianchi", "G. Verdi"],
        ),
        ("RIC-2", "017129", "conservazione", 3, vec![]),
        ("RIC-3", "017129", "pec", 4, vec![]),
    ];
    for (id, ente, service, quantity, people) in requests {
        cit.apply(Event::SubscriptionRequested {
            subscription: id.into(),
            ente: ente.into(),
            service: service.into(),
            quantity,
            contact: "Ufficio segreteria".into(),
            people: people.into_iter().map(String::from).collect(),
            date: d(2022, 2, 20),
        })?;
        cit.apply(Event::SubscriptionActivated {
            subscription: id.into(),
            date: d(2022, 3, 10),
        })?;
    }

    title("Adesioni (R-JOIN)");
    println!(
        "{:<8} {:<26} {:<14} {:<12} {:<12}",
        "Adesione", "Ente", "Approvata da", "Dal", "Al"
    );
    for m in cit.memberships() {
        let ente = name(&cit, &m.ente);
        let (from, to) = m
            .state
            .period()
            .map_or(("-".to_owned(), "-".to_owned()), |(f, t)| (it(f), it(t)));
        let by = m.approved_by.as_deref().unwrap_or("l'ente");
        println!(
            "{:<8} {:<26} {:<14} {:<12} {:<12}",
            m.id, ente, by, from, to
        );
    }

    // R-RUN: the billing run of 2022.
    let issued = cit.billing_run(2022, d(2022, 4, 15), d(2022, 6, 30))?;
    title("Ruolo 2022: addebiti emessi il 15.04.2022, scadenza 30.06.2022 (R-RUN)");
    for id in &issued {
        let Some(c) = cit.charge(id) else { continue };
        let ente = name(&cit, &c.ente);
        println!(
            "{:<18} {:<20} {:<46} {:>12}",
            c.id,
            c.kind.label(),
            ente,
            c.amount
        );
        for line in &c.lines {
            println!(
                "    {:<12} {:<68} {:>12}",
                line.rule, line.label, line.amount
            );
        }
        for share in &c.shares {
            let payer = name(&cit, &share.payer);
            println!(
                "    {:<12} {:<68} {:>12}",
                "a carico di", payer, share.amount
            );
        }
    }
    let total = Money::checked_sum(
        issued
            .iter()
            .filter_map(|id| cit.charge(id))
            .map(|c| c.amount),
    )
    .unwrap_or(Money::ZERO);
    println!("{:<86} {:>12}", "Totale del ruolo", total);

    // R-LEDGER: the Unione pays its share, Moniga part of hers, Padenghe too much.
    for (id, payer, date, cents) in [
        ("REV-101", "UVT", d(2022, 6, 20), 131_041),
        ("REV-102", "017109", d(2022, 6, 25), 30_000),
        ("REV-103", "017129", d(2022, 6, 28), 70_000),
    ] {
        cit.apply(Event::PaymentReceived {
            payment: id.into(),
            payer: payer.into(),
            date,
            amount: Money::from_cents(cents),
            charge: None,
            channel: None,
        })?;
    }
    title("Entrate e imputazione (più vecchi per primi, R-LEDGER)");
    println!(
        "{:<10} {:<26} {:<18} {:>12}",
        "Reversale", "Addebito", "Pagante", "Importo"
    );
    for a in cit.allocations() {
        let payer = name(&cit, &a.payer);
        let from = a.payment.as_deref().unwrap_or("credito");
        println!(
            "{:<10} {:<26} {:<18} {:>12}",
            from, a.charge, payer, a.amount
        );
    }

    // R-RENEW: the campaign for 2023, a confirmation, and the close of 2022.
    cit.apply(Event::RenewalConfirmed {
        subscription: "RIC-2".into(),
        year: 2023,
        date: d(2022, 11, 20),
    })?;
    cit.apply(Event::YearClosed { year: 2022 })?;
    title("Campagna di rinnovo 2023 (R-RENEW)");
    for item in cit.renewal_campaign(2023) {
        let status = match item.status {
            RenewalStatus::Pending => "in attesa",
            RenewalStatus::Confirmed => "confermato",
            RenewalStatus::Declined => "non rinnovato",
            RenewalStatus::Lapsed => "decaduto",
        };
        println!(
            "{:<8} {:<22} {:<16} {}",
            item.subscription,
            name(&cit, &item.ente),
            item.service,
            status
        );
    }
    for s in cit.subscriptions() {
        let state = match &s.state {
            SubscriptionState::Active { through, .. } => format!("attivo fino al {through}"),
            SubscriptionState::Delivered { on } => format!("una tantum, erogato il {on}"),
            other => other.name(),
        };
        println!("  {:<8} {:<16} {}", s.id, s.service, state);
    }

    title("Situazione contabile al 31.12.2022 (R-LEDGER)");
    println!(
        "{:<26} {:>12} {:>12} {:>12} {:>12} {:>12}",
        "Ente", "Addebitato", "Pagato", "Da pagare", "Credito", "Scaduto"
    );
    let mut sums = [Money::ZERO; 5];
    for b in cit.balances(d(2022, 12, 31))? {
        let ente = name(&cit, &b.ente);
        println!(
            "{:<26} {:>12} {:>12} {:>12} {:>12} {:>12}",
            ente, b.charged, b.paid, b.outstanding, b.credit, b.overdue
        );
        for (sum, v) in sums
            .iter_mut()
            .zip([b.charged, b.paid, b.outstanding, b.credit, b.overdue])
        {
            *sum = sum.checked_add(v).unwrap_or(*sum);
        }
    }
    println!(
        "{:<26} {:>12} {:>12} {:>12} {:>12} {:>12}",
        "Totale", sums[0], sums[1], sums[2], sums[3], sums[4]
    );
    if let Some(file) = journal {
        std::fs::write(&file, cit.to_json() + "\n")?;
        println!(
            "\nGiornale ({} eventi) scritto in {}",
            cit.version(),
            file.display()
        );
    }
    Ok(())
}
