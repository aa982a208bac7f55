//! The main job: price every comune of a province (or of a CSV you give) under a tariff.
//!
//! ```text
//! cargo run --release --example quote_territory -- --province BS
//! cargo run --release --example quote_territory -- --province BS --data istat2011
//! cargo run --release --example quote_territory -- --province AV --tariff examples/tariffs/graduated-2026.json --year 2027
//! cargo run --release --example quote_territory -- --data my-comuni.csv --csv > quote.csv
//! ```
//!
//! The counts are ANPR's residents at 10/01/2024 unless `--data` says otherwise, and every
//! output names the data and its date. Each ente carries that date (`counts_as_of`), so the
//! core checks it against the tariff's (R-CAP): when they differ, the quotas are priced as an
//! estimate, with the counts vouched for and the header, the totals and every CSV row saying
//! so; `--strict-counts` refuses instead. For the tariff's own quota, give counts at its date:
//! `--data FILE.csv` with a `counts_as_of` column.
//!
//! No data file has imprese: unless the input CSV has an `imprese` column, they are
//! estimated as abitanti × `--imprese-per-abitante` (default 0,10, the national ratio; see
//! `examples/data/README.md`), and every row says which.

#[path = "common/mod.rs"]
mod common;

use std::error::Error;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{Datelike, NaiveDate};
use cit_core::{Ente, Money, Quote, Tariff, fmt_it};
use common::Data;
use rust_decimal::Decimal;

const USAGE: &str = "\
quote_territory: the yearly quota of every comune of a territory under a CIT tariff

USAGE:
    quote_territory --province SIGLA [--data anpr|istat2011|FILE.csv] [OPTIONS]
    quote_territory --data FILE.csv [OPTIONS]

OPTIONS:
    --province SIGLA            the comuni of a province (BS, AV, LE, GE, PZ…; ALL for Italy)
    --data anpr                 today's 7.900 comuni, residents in ANPR at 10/01/2024 [default]
    --data istat2011            the 7.904 comuni of the 2011 census (09/10/2011)
    --data FILE                 a CSV with columns istat,nome,abitanti (optional: sigla, imprese,
                                counts_as_of = the date of its counts, YYYY-MM-DD); --input FILE is the same
    --tariff FILE               tariff JSON [default: examples/tariffs/bs-2015.json]
    --year YEAR                 year to price [default: the tariff's first year]
    --strict-counts             refuse counts not taken at the tariff's date (R-CAP) instead of
                                pricing them as an estimate, stated
    --imprese-per-abitante R    estimate of imprese where the input has none [default: 0.10]
    --csv                       machine output: CSV on standard output
    -h, --help                  this text";

struct Args {
    province: Option<String>,
    data: Data,
    tariff: PathBuf,
    year: Option<i32>,
    strict: bool,
    ratio: Decimal,
    csv: bool,
}

fn parse_args() -> Result<Option<Args>, Box<dyn Error>> {
    use lexopt::prelude::*;
    let mut args = Args {
        province: None,
        data: Data::Anpr,
        tariff: common::tariff_path("bs-2015.json"),
        year: None,
        strict: false,
        ratio: Decimal::new(10, 2),
        csv: false,
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next()? {
        match arg {
            Long("province") => args.province = Some(parser.value()?.string()?.to_uppercase()),
            Long("data") => args.data = Data::parse(&parser.value()?.string()?),
            Long("input") => args.data = Data::File(parser.value()?.into()),
            Long("strict-counts") => args.strict = true,
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
    if args.province.is_none() && !matches!(args.data, Data::File(_)) {
        return Err(
            "give --province SIGLA (ALL for Italy), or --data FILE.csv (see --help)".into(),
        );
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
    let mut rows = args.data.load(args.ratio)?;
    if let Some(sigla) = &args.province {
        if sigla != "ALL" {
            rows.retain(|r| &r.sigla == sigla);
            if rows.is_empty() {
                return Err(format!(
                    "no comune with province sigla {sigla:?} in {}",
                    args.data.file_name()
                )
                .into());
            }
        }
    }
    let wanted = tariff.counts_date(year);

    let mut priced = Vec::with_capacity(rows.len());
    for row in &rows {
        let p = price(&tariff, &row.ente, year, args.strict).map_err(|e| {
            let mut text = format!("{} ({}): {e}", row.ente.name, row.ente.id);
            if let (Some(found), Some(wanted)) = (row.ente.counts_as_of, wanted) {
                if found != wanted {
                    text.push_str(&format!(
                        "\n  the counts are {}; for the tariff's quota give counts at {}: \
                         --data FILE.csv with a counts_as_of column (or, without \
                         --strict-counts, price these as an estimate)",
                        args.data.describe(Some(found)),
                        day(wanted)
                    ));
                }
            }
            text
        })?;
        priced.push(p);
    }
    let revenue =
        Money::checked_sum(priced.iter().map(|p| p.quote.total())).ok_or("revenue overflows")?;
    let residents: u64 = rows.iter().filter_map(|r| r.ente.abitanti).sum();
    let estimated = priced.iter().filter(|p| p.estimate).count();

    if args.csv {
        println!(
            "istat,nome,sigla,abitanti,imprese,imprese_fonte,quota,tariffa,anno,\
             conteggi,conteggi_al,conteggi_tariffa_al,quota_stimata"
        );
        let iso = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        for (row, p) in rows.iter().zip(&priced) {
            let source = match &row.imprese_source {
                common::ImpreseSource::Data => "dati".to_owned(),
                common::ImpreseSource::Estimate(r) => format!("stima {r}/ab"),
            };
            println!(
                "{},{},{},{},{},{},{},{},{},{},{},{},{}",
                row.ente.id,
                csv_field(&row.ente.name),
                row.sigla,
                row.ente.abitanti.unwrap_or(0),
                row.ente.imprese.unwrap_or(0),
                source,
                p.quote.total().to_plain_string(),
                tariff.id(),
                year,
                csv_field(&args.data.describe(row.ente.counts_as_of)),
                iso(row.ente.counts_as_of),
                iso(wanted),
                p.estimate
            );
        }
        return Ok(());
    }

    let territory = match &args.province {
        Some(p) if p == "ALL" => "Italia".to_owned(),
        Some(p) => format!("provincia {p}"),
        None => args.data.file_name(),
    };
    let wanted_text = wanted.map_or_else(|| "?".to_owned(), day);
    println!("{} — quota di adesione {year}", tariff.document().name);
    println!("Territorio: {territory}");
    // The dates of the counts, with how many comuni each.
    let mut dates: Vec<(Option<NaiveDate>, usize)> = Vec::new();
    for row in &rows {
        match dates.iter_mut().find(|(d, _)| *d == row.ente.counts_as_of) {
            Some((_, n)) => *n += 1,
            None => dates.push((row.ente.counts_as_of, 1)),
        }
    }
    dates.sort();
    for (date, n) in &dates {
        let of = if dates.len() > 1 {
            match n {
                1 => " (1 comune)".to_owned(),
                n => format!(" ({} comuni)", fmt_it::integer(*n as u64)),
            }
        } else {
            String::new()
        };
        let how = match date {
            None => format!("assunti al {wanted_text}, la data della tariffa"),
            Some(d) if Some(*d) == wanted => "la data della tariffa".to_owned(),
            Some(_) => format!("la tariffa li chiede al {wanted_text}"),
        };
        println!("Conteggi{of}: {}; {how}", args.data.describe(*date));
    }
    if estimated > 0 {
        let which = if estimated == rows.len() {
            "quote calcolate".to_owned()
        } else {
            match estimated {
                1 => format!("1 quota su {} calcolata", rows.len()),
                n => format!("{n} quote su {} calcolate", rows.len()),
            }
        };
        println!(
            "STIMA: {which} con conteggi non alla data della tariffa (R-CAP); per la quota della"
        );
        println!(
            "       tariffa, --data FILE.csv con i conteggi al {wanted_text} (colonna counts_as_of)."
        );
    }
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
    // With some quotas estimated and some not, each estimated row is marked.
    let mixed = estimated > 0 && estimated < rows.len();
    for (row, p) in rows.iter().zip(&priced) {
        let q = &p.quote;
        let name: String = row.ente.name.chars().take(name_width).collect();
        println!(
            "{:<8} {:<name_width$} {:>11} {:>9} {:<14} {:>15}{}",
            row.ente.id,
            name,
            fmt_it::integer(row.ente.abitanti.unwrap_or(0)),
            fmt_it::integer(row.ente.imprese.unwrap_or(0)),
            row.imprese_source.to_string(),
            q.total().to_string(),
            if mixed && p.estimate { " stima" } else { "" }
        );
    }
    println!("{}", "-".repeat(8 + name_width + 11 + 9 + 14 + 15 + 5));
    let revenue_label = if estimated > 0 {
        "Entrate annue (stima):"
    } else {
        "Entrate annue:"
    };
    println!("{:<22} {:>16}", "Enti:", fmt_it::integer(rows.len() as u64));
    println!(
        "{:<22} {:>16}",
        "Abitanti coperti:",
        fmt_it::integer(residents)
    );
    println!("{revenue_label:<22} {:>16}", revenue.to_string());
    if let Some(common::ImpreseSource::Estimate(r)) = rows.first().map(|r| &r.imprese_source) {
        println!();
        println!(
            "Imprese stimate come abitanti × {} (rapporto nazionale: vedi examples/data/README.md);",
            fmt_it::decimal(*r, 2, fmt_it::ALL_DP)
        );
        println!("per cifre reali, un CSV con la colonna imprese: --data FILE.");
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

/// A comune's quota, and whether it is an estimate.
struct Priced {
    quote: Quote,
    /// Priced with counts not taken at the tariff's date, vouched for by this example.
    estimate: bool,
}

/// Prices `ente` with the date of its counts, so the core checks it (R-CAP). When the
/// dates differ and `strict` is off, prices it again with the counts vouched for
/// (`counts_as_of` omitted), as an estimate the output states.
fn price(tariff: &Tariff, ente: &Ente, year: i32, strict: bool) -> Result<Priced, cit_core::Error> {
    match tariff.quote(ente, year) {
        Ok(quote) => Ok(Priced {
            quote,
            estimate: false,
        }),
        Err(cit_core::Error::CountsDateMismatch { .. }) if !strict => {
            let vouched = Ente {
                counts_as_of: None,
                ..ente.clone()
            };
            Ok(Priced {
                quote: tariff.quote(&vouched, year)?,
                estimate: true,
            })
        }
        Err(e) => Err(e),
    }
}

fn day(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
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
