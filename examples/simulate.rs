//! The Area Vasta di Avellino case (R-SIM, R-COST, R-SMALL): which comuni of the province
//! of Avellino may join the CIT led by the Comune di Avellino, what quota revenue that
//! brings, and how likely it is to cover the cost of the shared service.
//!
//! ```text
//! cargo run --release --example simulate
//! cargo run --release --example simulate -- --runs 100000 --seed 7
//! ```
//!
//! Every assumption is stated here and printed:
//! - candidates: the 118 comuni of the province of Avellino (sigla AV) at the 2011 census,
//!   from `examples/data/comuni-italia-2011.csv`;
//! - imprese: no data set has them, so they are estimated at 0,10 per abitante (the national
//!   ratio, see `examples/data/README.md`);
//! - tariff `examples/tariffs/av-2018.json`: € 0,15 per abitante + € 1,00 per impresa;
//! - join probabilities that rise with size ([`CLASSES`]); the Comune di Avellino leads
//!   the CIT and is a member for sure;
//! - the service: set-up € 150.000,00 amortised over 5 years, running € 45.000,00 a year.

#[path = "common/mod.rs"]
mod common;

use std::error::Error;
use std::process::ExitCode;

use cit_core::analysis::{
    Adherents, Candidate, Probability, ServiceCost, SimConfig, is_small, simulate,
};
use cit_core::{Money, Tariff, fmt_it};
use rust_decimal::Decimal;

/// The ISTAT code of the Comune di Avellino, the lead body of the Area Vasta.
const CAPOFILA: &str = "064008";

/// Join probabilities by population class: (label, smallest abitanti, probability).
/// A comune takes the last class whose lower bound it reaches.
const CLASSES: [(&str, u64, &str); 5] = [
    ("meno di 1.000 ab.", 0, "0.35"),
    ("da 1.000 a 4.999 ab.", 1_000, "0.50"),
    ("da 5.000 a 9.999 ab.", 5_000, "0.65"),
    ("da 10.000 a 19.999 ab.", 10_000, "0.80"),
    ("20.000 ab. e oltre", 20_000, "0.90"),
];

/// The year priced, inside the tariff's period.
const YEAR: i32 = 2018;

/// The shared service whose cost the quota revenue should cover (R-COST).
fn service() -> ServiceCost {
    ServiceCost {
        setup: Money::from_cents(15_000_000),
        amortisation_years: 5,
        running: Money::from_cents(4_500_000),
    }
}

struct Args {
    runs: u32,
    seed: u64,
}

fn parse_args() -> Result<Option<Args>, Box<dyn Error>> {
    use lexopt::prelude::*;
    let mut args = Args {
        runs: 10_000,
        seed: 42,
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next()? {
        match arg {
            Long("runs") => args.runs = parser.value()?.parse()?,
            Long("seed") => args.seed = parser.value()?.parse()?,
            Short('h') | Long("help") => return Ok(None),
            _ => return Err(arg.unexpected().into()),
        }
    }
    Ok(Some(args))
}

fn main() -> ExitCode {
    match parse_args().and_then(|args| match args {
        Some(args) => run(&args),
        None => {
            println!("simulate [--runs N (default 10000)] [--seed S (default 42)]");
            Ok(())
        }
    }) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("simulate: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The class index of a comune of `abitanti`.
fn class_of(abitanti: u64) -> usize {
    CLASSES
        .iter()
        .rposition(|&(_, from, _)| abitanti >= from)
        .unwrap_or(0)
}

fn run(args: &Args) -> Result<(), Box<dyn Error>> {
    let ratio = Decimal::new(10, 2);
    let rows: Vec<_> = common::load_comuni(&common::default_comuni_csv(), ratio)?
        .into_iter()
        .filter(|r| r.sigla == "AV")
        .collect();
    if rows.is_empty() {
        return Err("no comune of the province of Avellino (AV) in the census CSV".into());
    }
    let tariff = Tariff::from_json(&std::fs::read_to_string(common::tariff_path(
        "av-2018.json",
    ))?)?;
    let class_p: Vec<Probability> = CLASSES
        .iter()
        .map(|(_, _, p)| p.parse())
        .collect::<Result<_, _>>()?;
    let enti: Vec<_> = rows.iter().map(|r| r.ente.clone()).collect();
    let abitanti = |e: &cit_core::Ente| e.abitanti.unwrap_or(0);
    let probabilities: Vec<Probability> = enti
        .iter()
        .map(|e| {
            if e.id == CAPOFILA {
                Probability::ONE
            } else {
                class_p[class_of(abitanti(e))]
            }
        })
        .collect();
    let candidates = Candidate::from_tariff(&tariff, &enti, &probabilities, YEAR)?;
    let cost = service();
    let yearly_cost = cost.yearly_cost()?;
    let config = SimConfig {
        runs: args.runs,
        seed: args.seed,
        cost: Some(yearly_cost),
    };
    let sim = simulate(&candidates, &config)?;

    // The candidates.
    let total_ab: u64 = enti.iter().map(abitanti).sum();
    let small = enti.iter().filter(|e| is_small(abitanti(e))).count();
    println!("CIT Area Vasta di Avellino: simulazione delle adesioni (R-SIM)");
    println!();
    println!(
        "Candidati: {} comuni della provincia di Avellino, {} abitanti (censimento 2011)",
        enti.len(),
        fmt_it::integer(total_ab)
    );
    println!(
        "  di cui {small} sotto i 5.000 abitanti, tenuti alla gestione associata (R-SMALL, D.L. 78/2010)"
    );
    if let Some(first) = rows.first() {
        println!(
            "  imprese: {} (rapporto nazionale, vedi examples/data/README.md)",
            first.imprese_source
        );
    }
    println!(
        "Tariffa {}: {} per abitante + {} per impresa, anno {YEAR}",
        tariff.id(),
        fmt_it::rate(tariff.document().membership.comune.per_abitante),
        fmt_it::rate(tariff.document().membership.comune.per_impresa)
    );
    println!();
    println!("Probabilità di adesione per classe di popolazione");
    println!(
        "  {:<32} {:>6} {:>10} {:>6} {:>14}",
        "classe", "comuni", "abitanti", "prob.", "quote"
    );
    let mut groups: Vec<(String, Probability, Vec<&Candidate>)> = CLASSES
        .iter()
        .zip(&class_p)
        .map(|(&(label, _, _), &p)| (label.to_owned(), p, Vec::new()))
        .collect();
    groups.insert(
        0,
        (
            "Avellino (ente capofila)".to_owned(),
            Probability::ONE,
            Vec::new(),
        ),
    );
    for c in &candidates {
        let g = if c.id == CAPOFILA {
            0
        } else {
            1 + class_of(c.abitanti)
        };
        if let Some(group) = groups.get_mut(g) {
            group.2.push(c);
        }
    }
    for (label, p, members) in &groups {
        let ab: u64 = members.iter().map(|c| c.abitanti).sum();
        let quote = Money::checked_sum(members.iter().map(|c| c.quota)).ok_or("overflow")?;
        println!(
            "  {label:<32} {:>6} {:>10} {:>6} {:>14}",
            members.len(),
            fmt_it::integer(ab),
            fmt_it::decimal(p.to_decimal(), 2, fmt_it::ALL_DP),
            quote
        );
    }
    println!(
        "  attesi (Σ p): {} aderenti, {} abitanti, entrate {}",
        fmt_it::decimal(sim.expected.members, 2, fmt_it::ALL_DP),
        fmt_it::decimal(sim.expected.residents.round(), 0, 0),
        sim.expected.revenue
    );

    // The service and its yearly cost (R-COST).
    println!();
    println!("Servizio condiviso: costo annuo da coprire con le quote (R-COST)");
    let empty = cost.break_even(Adherents::enti(1))?;
    for line in &empty.lines {
        println!("  {:<8} {:<78} {:>14}", line.rule, line.label, line.amount);
    }
    println!("  {:<8} {:<78} {:>14}", "", "Totale", yearly_cost);

    // The simulation.
    println!();
    println!(
        "Simulazione: {} esecuzioni, seme {} (xoshiro256++, sequenza specificata in cit_core::analysis::simulate)",
        fmt_it::integer(sim.runs),
        sim.seed
    );
    println!(
        "  {:<10} {:>14} {:>14} {:>14} {:>14}",
        "", "media", "5° perc.", "mediana", "95° perc."
    );
    let m = &sim.members;
    let mean = m
        .mean
        .round_dp_with_strategy(1, cit_core::ROUNDING.strategy());
    println!(
        "  {:<10} {:>14} {:>14} {:>14} {:>14}",
        "aderenti",
        fmt_it::decimal(mean, 1, 1),
        m.p5,
        m.p50,
        m.p95
    );
    let r = &sim.residents;
    println!(
        "  {:<10} {:>14} {:>14} {:>14} {:>14}",
        "abitanti",
        fmt_it::decimal(r.mean.round(), 0, 0),
        fmt_it::integer(r.p5),
        fmt_it::integer(r.p50),
        fmt_it::integer(r.p95)
    );
    let q = &sim.revenue;
    println!(
        "  {:<10} {:>14} {:>14} {:>14} {:>14}",
        "entrate", q.mean, q.p5, q.p50, q.p95
    );

    // The revenue distribution.
    println!();
    println!("Distribuzione delle entrate da quote (esecuzioni per intervallo)");
    histogram(&sim.per_run, yearly_cost)?;

    if let Some(cov) = &sim.coverage {
        println!();
        println!(
            "Probabilità che le entrate coprano il costo annuo di {}: {} ({} esecuzioni su {})",
            cov.cost,
            fmt_it::percent(cov.probability),
            fmt_it::integer(cov.covered_runs),
            fmt_it::integer(cov.runs)
        );
    }

    // R-COST break-even for the adherents of the median run.
    println!();
    println!(
        "Pareggio per gli aderenti attesi (mediana delle esecuzioni: {} comuni, {} abitanti)",
        m.p50,
        fmt_it::integer(r.p50)
    );
    let be = cost.break_even(Adherents::new(m.p50, r.p50))?;
    if let Some(flat) = &be.per_ente {
        println!("  {:<8} {}", "R-COST", flat.label);
    }
    if let Some(rate) = &be.per_abitante {
        println!("  {:<8} {}", "R-COST", rate.label);
    }
    // The tariff against the break-even: € 0,15 per abitante + € 1 per impresa is, with
    // the imprese estimated at 0,10 per abitante, € 0,25 per abitante.
    let c = &tariff.document().membership.comune;
    let effective = c.per_abitante + c.per_impresa * ratio;
    println!(
        "  Tariffa equivalente: {} per abitante + {} per impresa × {} imprese/ab. stimate = {} per abitante",
        fmt_it::rate(c.per_abitante),
        fmt_it::rate(c.per_impresa),
        fmt_it::decimal(ratio, 2, fmt_it::ALL_DP),
        fmt_it::rate(effective)
    );
    let check = be.check_per_abitante(effective)?;
    for line in &check.lines {
        println!("  {:<8} {:<78} {:>14}", line.rule, line.label, line.amount);
    }
    let verdict = if check.below_cost {
        "Margine: tariffa sotto costo per gli aderenti attesi"
    } else {
        "Margine: la tariffa copre il costo per gli aderenti attesi"
    };
    println!("  {:<8} {:<78} {:>14}", "", verdict, check.margin);
    Ok(())
}

/// A text histogram of the revenue per run, in bins of a round number of euro; the bin
/// holding the cost is marked.
fn histogram(runs: &[cit_core::analysis::Run], cost: Money) -> Result<(), Box<dyn Error>> {
    const BINS: i64 = 12;
    let cents: Vec<i64> = runs
        .iter()
        .map(|r| r.revenue.cents().ok_or("revenue out of range"))
        .collect::<Result<_, _>>()?;
    let (Some(&min), Some(&max)) = (cents.iter().min(), cents.iter().max()) else {
        return Ok(());
    };
    // A bin width of 1, 2 or 5 × 10^k euro that fits the range in at most BINS bins.
    let span = (max - min).max(1);
    let mut width = 100; // € 1
    'search: for _ in 0..18 {
        for step in [1, 2, 5] {
            let w = width * step;
            if span / w < BINS {
                width = w;
                break 'search;
            }
        }
        width *= 10;
    }
    let start = min.div_euclid(width) * width;
    let bins = ((max - start) / width + 1) as usize;
    let mut counts = vec![0u64; bins];
    for c in &cents {
        if let Some(slot) = counts.get_mut(((c - start) / width) as usize) {
            *slot += 1;
        }
    }
    let cost_cents = cost.cents().ok_or("cost out of range")?;
    let total = runs.len() as u64;
    let tallest = counts.iter().copied().max().unwrap_or(1).max(1);
    for (i, &count) in counts.iter().enumerate() {
        let from = start + width * i as i64;
        let to = from + width;
        let bar = "█".repeat((count * 48).div_ceil(tallest) as usize);
        // count / total to 4 decimals, half up: a percentage with 2 decimals.
        let share = Decimal::new(((count * 20_000 / total.max(1)).div_ceil(2)) as i64, 4);
        let marker = if (from..to).contains(&cost_cents) {
            "  ◄ costo annuo"
        } else {
            ""
        };
        println!(
            "  {:>9} – {:>9} {:>6} {:>6}  {bar}{marker}",
            euro(from),
            euro(to),
            fmt_it::integer(count),
            fmt_it::percent(share)
        );
    }
    if cost_cents < start || cost_cents >= start + width * bins as i64 {
        println!("  (il costo annuo, {cost}, è fuori dall'intervallo delle entrate simulate)");
    }
    Ok(())
}

/// Whole euro, Italian style: `€ 61.000`.
fn euro(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}€ {}", fmt_it::integer(cents.unsigned_abs() / 100))
}
