//! Shared by the Rust examples: loading comuni from CSV, with where each figure came from.
//!
//! This is example code (it reads files); the rules are all in `cit-core`.

#![allow(dead_code)]

use std::error::Error;
use std::path::{Path, PathBuf};

use cit_core::Ente;
use rust_decimal::Decimal;

/// The census data shipped with the project.
pub fn default_comuni_csv() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/data/comuni-italia-2011.csv")
}

/// The tariffs shipped with the project.
pub fn tariff_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/tariffs")
        .join(name)
}

/// Where a comune's `imprese` figure came from.
#[derive(Clone, Debug, PartialEq)]
pub enum ImpreseSource {
    /// The input CSV's `imprese` column.
    Data,
    /// `abitanti × ratio`, rounded half away from zero.
    Estimate(Decimal),
}

impl std::fmt::Display for ImpreseSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImpreseSource::Data => f.write_str("dati"),
            ImpreseSource::Estimate(r) => {
                write!(f, "stima {}/ab.", cit_core::fmt_it::decimal(*r, 2, 2))
            }
        }
    }
}

/// One row of a comuni CSV.
#[derive(Clone, Debug)]
pub struct ComuneRow {
    /// The ente to price (kind `comune`).
    pub ente: Ente,
    /// Province sigla (`BS`), empty if the CSV has none.
    pub sigla: String,
    /// Where `imprese` came from.
    pub imprese_source: ImpreseSource,
}

/// Reads a CSV with at least `istat,nome,abitanti` (and optionally `sigla`, `imprese`).
/// Rows without `imprese` get `abitanti × ratio`, marked as an estimate.
pub fn load_comuni(path: &Path, imprese_ratio: Decimal) -> Result<Vec<ComuneRow>, Box<dyn Error>> {
    let mut reader =
        csv::Reader::from_path(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let headers = reader.headers()?.clone();
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (Some(istat), Some(nome), Some(abitanti)) = (col("istat"), col("nome"), col("abitanti"))
    else {
        return Err(format!(
            "{}: needs the columns istat, nome, abitanti",
            path.display()
        )
        .into());
    };
    let (sigla, imprese) = (col("sigla"), col("imprese"));
    let mut rows = Vec::new();
    for (line, record) in reader.records().enumerate() {
        let record = record?;
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let where_ = || format!("{}:{}", path.display(), line + 2);
        let ab: u64 = field(abitanti).parse().map_err(|_| {
            format!(
                "{}: abitanti {:?} is not a whole number",
                where_(),
                field(abitanti)
            )
        })?;
        let (imp, source) = match imprese.map(field).filter(|s| !s.is_empty()) {
            Some(text) => (
                text.parse::<u64>()
                    .map_err(|_| format!("{}: imprese {text:?} is not a whole number", where_()))?,
                ImpreseSource::Data,
            ),
            None => (
                estimate(ab, imprese_ratio)?,
                ImpreseSource::Estimate(imprese_ratio),
            ),
        };
        rows.push(ComuneRow {
            ente: Ente::comune(field(istat), field(nome), ab, imp),
            sigla: sigla.map(field).unwrap_or("").to_owned(),
            imprese_source: source,
        });
    }
    Ok(rows)
}

fn estimate(abitanti: u64, ratio: Decimal) -> Result<u64, Box<dyn Error>> {
    let exact = Decimal::from(abitanti)
        .checked_mul(ratio)
        .ok_or("imprese estimate overflows")?;
    let rounded = exact.round_dp_with_strategy(0, cit_core::ROUNDING);
    u64::try_from(rounded).map_err(|_| format!("imprese estimate {rounded} out of range").into())
}
