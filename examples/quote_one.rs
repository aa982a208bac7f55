//! Prices one ente, given as JSON, and prints its itemised quote: what an officer pastes
//! into a *determina*.
//!
//! ```text
//! cargo run --example quote_one -- examples/tariffs/bs-2015.json 2016 \
//!   '{"id": "017029", "name": "Brescia", "kind": "comune", "abitanti": 189902, "imprese": 21500}'
//! ```

use std::process::ExitCode;

use cit_core::{Ente, Tariff};

fn run(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let [tariff_path, year, ente] = args else {
        return Err("usage: quote_one TARIFF.json YEAR 'ENTE JSON'".into());
    };
    let tariff = Tariff::from_json(
        &std::fs::read_to_string(tariff_path).map_err(|e| format!("{tariff_path}: {e}"))?,
    )?;
    let year: i32 = year
        .parse()
        .map_err(|_| format!("year: expected a number, found {year:?}"))?;
    let ente = Ente::from_json(ente)?;
    let quote = tariff.quote(&ente, year)?;
    println!(
        "{} ({}) — {}, anno {year}",
        ente.name,
        ente.id,
        tariff.document().name
    );
    for line in quote.lines() {
        println!("  {:<8} {:<78} {:>14}", line.rule, line.label, line.amount);
    }
    println!("  {:<8} {:<78} {:>14}", "", "Totale", quote.total());
    println!();
    println!("{}", quote.to_json());
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
