//! The main job: price every comune of a province (or of a CSV you give) under a tariff.
//!
//! ```text
//! cargo run --release --example quote_territory -- --province BS
//! cargo run --release --example quote_territory -- --province AV --tariff examples/tariffs/graduated-2026.json --year 2027
//! cargo run --release --example quote_territory -- --input my-comuni.csv --csv > quote.csv
//! ```
//!
//! The census file has no imprese: unless the input CSV has an `imprese` column, they are
//! estimated as abitanti × `--imprese-per-abitante` (default 0,10, the national ratio; see
//! `examples/data/README.md`), and every row says which.

#[path = "common/mod.rs"]
mod common;

use std::error::Error;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::Datelike;
use cit_core::{Money, Tariff, fmt_it};
use rust_decimal::Decimal;

const USAGE: &str = "\
quote_territory: the yearly quota of every comune of a territory under a CIT tariff

USAGE:
    quote_territory (--province SIGLA | --input FILE.csv) [OPTIONS]

OPTIONS:
    --province SIGLA            comuni of a province from the 2011 census (BS, AV, LE, GE, PZ…; ALL for Italy)
    --input FILE                a CSV with columns istat,nome,abitanti (optional: sigla, imprese)
    --tariff FILE               tariff JSON [default: examples/tariffs/bs-2015.json]
    --year YEAR                 year to price [default: the tariff's first year]
    --imprese-per-abitante R    estimate of imprese where the input has none [default: 0.10]
    --csv                       machine output: CSV on standard output
    -h, --help                  this text";

struct Args {
    province: Option<String>,
    input: Option<PathBuf>,
    tariff: PathBuf,
    year: Option<i32>,
    ratio: Decimal,
    csv: bool,
}

fn parse_args() -> Result<Option<Args>, Box<dyn Error>> {
    use lexopt::prelude::*;
    let mut args = Args {
        province: None,
        input: None,
        tariff: common::tariff_path("bs-2015.json"),
        year: None,
        ratio: Decimal::new(10, 2),
        csv: false,
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next()? {
        match arg {
            Long("province") => args.province = Some(parser.value()?.string()?.to_uppercase()),
            Long("input") => args.input = Some(parser.value()?.into()),
            Long("tariff") => args.tariff = parser.value()?.into(),
            Long("year") => args.year = Some(parser.value()?.parse()?),
            Long("imprese-per-abitante") => {
                let text = parser.value()?.string()?;
                args.ratio = text
                    .parse::<Decimal>()
                    .ok()
                    .filter(|r| !r.is_sign_negative())
                    .ok_or_else(|| format!("--imprese-per-abitante: expected a decimal ≥ 0 such as 0.10, found {text:?}"))?;
            }
            Long("csv") => args.csv = true,
            Short('h') | Long("help") => return Ok(None),
            _ => return Err(arg.unexpected().into()),
        }
    }
    if args.province.is_some() == args.input.is_some() {
        return Err("give exactly one of --province SIGLA and --input FILE (see --help)".into());
    }
    Ok(Some(args))
}

fn run(args: Args) -> Result<(), Box<dyn Error>> {
    let text = std::fs::read_to_string(&args.tariff)
        .map_err(|e| format!("{}: {e}", args.tariff.display()))?;
    let tariff = Tariff::from_json(&text).map_err(|e| format!("{}: {e}", args.tariff.display()))?;
    let year = args
        .year
        .unwrap_or_else(|| tariff.document().period.from.year());
    let source = args
        .input
        .clone()
        .unwrap_or_else(common::default_comuni_csv);
    let mut rows = common::load_comuni(&source, args.ratio)?;
    if let Some(sigla) = &args.province {
        if sigla != "ALL" {
            rows.retain(|r| &r.sigla == sigla);
            if rows.is_empty() {
                return Err(format!(
                    "no comune with province sigla {sigla:?} in {}",
                    source.display()
                )
                .into());
            }
        }
    }

    let mut quotes = Vec::with_capacity(rows.len());
    for row in &rows {
        let q = tariff
            .quote(&row.ente, year)
            .map_err(|e| format!("{} ({}): {e}", row.ente.name, row.ente.id))?;
        quotes.push(q);
    }
    let revenue =
        Money::checked_sum(quotes.iter().map(|q| q.total())).ok_or("revenue overflows")?;
    let residents: u64 = rows.iter().filter_map(|r| r.ente.abitanti).sum();

    if args.csv {
        println!("istat,nome,sigla,abitanti,imprese,imprese_fonte,quota,tariffa,anno");
        for (row, q) in rows.iter().zip(&quotes) {
            let source = match &row.imprese_source {
                common::ImpreseSource::Data => "dati".to_owned(),
                common::ImpreseSource::Estimate(r) => format!("stima {r}/ab"),
            };
            println!(
                "{},{},{},{},{},{},{},{},{}",
                row.ente.id,
                csv_field(&row.ente.name),
                row.sigla,
                row.ente.abitanti.unwrap_or(0),
                row.ente.imprese.unwrap_or(0),
                source,
                q.total().to_plain_string(),
                tariff.id(),
                year
            );
        }
        return Ok(());
    }

    let territory = match &args.province {
        Some(p) if p == "ALL" => "Italia".to_owned(),
        Some(p) => format!("provincia {p}"),
        None => source.display().to_string(),
    };
    println!("{} — quota di adesione {year}", tariff.document().name);
    println!(
        "Territorio: {territory}; conteggi al {}",
        counts_date(&tariff, year)
    );
    println!();
    let name_width = rows
        .iter()
        .map(|r| r.ente.name.chars().count())
        .max()
        .unwrap_or(6)
        .clamp(6, 32);
    println!(
        "{:<8} {:<name_width$} {:>11} {:>9} {:<14} {:>15}",
        "ISTAT", "Comune", "Abitanti", "Imprese", "(fonte)", "Quota"
    );
    println!("{}", "-".repeat(8 + name_width + 11 + 9 + 14 + 15 + 5));
    for (row, q) in rows.iter().zip(&quotes) {
        let name: String = row.ente.name.chars().take(name_width).collect();
        println!(
            "{:<8} {:<name_width$} {:>11} {:>9} {:<14} {:>15}",
            row.ente.id,
            name,
            fmt_it::integer(row.ente.abitanti.unwrap_or(0)),
            fmt_it::integer(row.ente.imprese.unwrap_or(0)),
            row.imprese_source.to_string(),
            q.total().to_string()
        );
    }
    println!("{}", "-".repeat(8 + name_width + 11 + 9 + 14 + 15 + 5));
    println!(
        "Enti:              {:>20}",
        fmt_it::integer(rows.len() as u64)
    );
    println!("Abitanti coperti:  {:>20}", fmt_it::integer(residents));
    println!("Entrate annue:     {:>20}", revenue.to_string());
    if let Some(common::ImpreseSource::Estimate(r)) = rows.first().map(|r| &r.imprese_source) {
        println!();
        println!(
            "Imprese stimate come abitanti × {} (rapporto nazionale: vedi examples/data/README.md);",
            fmt_it::decimal(*r, 2, 2)
        );
        println!("per cifre reali, un CSV con la colonna imprese: --input FILE.");
    }
    let warnings = tariff.lint();
    if !warnings.is_empty() {
        println!();
        println!("Avvisi sulla tariffa (lint):");
        for w in warnings {
            println!("  [{}] {}: {}", w.code, w.path, w.message);
        }
    }
    Ok(())
}

fn counts_date(tariff: &Tariff, year: i32) -> String {
    tariff
        .document()
        .counts_as_of
        .for_year(year)
        .map_or_else(|| "?".to_owned(), |d| d.format("%d/%m/%Y").to_string())
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn main() -> ExitCode {
    match parse_args() {
        Ok(None) => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Some(args)) => match run(args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(1)
            }
        },
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
