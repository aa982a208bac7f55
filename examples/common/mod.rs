//! Shared by the Rust examples: loading comuni from CSV, with where each figure came from.
//!
//! This is example code (it reads files); the rules are all in `cit-core`.

#![allow(dead_code)]

use std::error::Error;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use cit_core::Ente;
use rust_decimal::Decimal;

/// The 2011 census data shipped with the project (the simulation and the benchmarks).
pub fn default_comuni_csv() -> PathBuf {
    data_path("comuni-italia-2011.csv")
}

fn data_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/data")
        .join(name)
}

/// The day the 2011 census counted the population.
pub fn census_2011_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2011, 10, 9).expect("a valid date")
}

/// Where a territory's counts come from: a data set shipped in `examples/data`, or a CSV
/// of the user's. Each is a document with its own date, which its enti carry.
#[derive(Clone, Debug, PartialEq)]
pub enum Data {
    /// `comuni-anpr-2024.csv`: ANPR residents of today's comuni, dated per row.
    Anpr,
    /// `comuni-italia-2011.csv`: the 2011 census, taken on 9 October 2011.
    Istat2011,
    /// A CSV of the user's, dated by its `counts_as_of` column if it has one.
    File(PathBuf),
}

impl Data {
    /// `anpr`, `istat2011`, or a path.
    pub fn parse(text: &str) -> Data {
        match text {
            "anpr" => Data::Anpr,
            "istat2011" => Data::Istat2011,
            path => Data::File(path.into()),
        }
    }

    /// The file to read.
    pub fn path(&self) -> PathBuf {
        match self {
            Data::Anpr => data_path("comuni-anpr-2024.csv"),
            Data::Istat2011 => default_comuni_csv(),
            Data::File(p) => p.clone(),
        }
    }

    /// The file as the user names it.
    pub fn file_name(&self) -> String {
        match self {
            Data::Anpr => "examples/data/comuni-anpr-2024.csv".to_owned(),
            Data::Istat2011 => "examples/data/comuni-italia-2011.csv".to_owned(),
            Data::File(p) => p.display().to_string(),
        }
    }

    /// The data and the date of its counts, in Italian: "residenti ANPR al 10/01/2024".
    pub fn describe(&self, date: Option<NaiveDate>) -> String {
        let day = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
        match (self, date) {
            (Data::Anpr, Some(d)) => format!("residenti ANPR al {}", day(d)),
            (Data::Istat2011, Some(d)) => {
                format!("censimento ISTAT 2011 (residenti al {})", day(d))
            }
            (Data::Anpr, None) => "residenti ANPR (data non indicata)".to_owned(),
            (Data::Istat2011, None) => "censimento ISTAT 2011".to_owned(),
            (Data::File(p), Some(d)) => format!("{} al {}", p.display(), day(d)),
            (Data::File(p), None) => format!("{} (data dei conteggi non indicata)", p.display()),
        }
    }

    /// Reads its comuni: every ente carries the date of its counts where the data gives
    /// it (the file's `counts_as_of` column; the census date for the 2011 file).
    pub fn load(&self, imprese_ratio: Decimal) -> Result<Vec<ComuneRow>, Box<dyn Error>> {
        let mut rows = load_comuni(&self.path(), imprese_ratio)?;
        if *self == Data::Istat2011 {
            for row in &mut rows {
                row.ente.counts_as_of = Some(census_2011_date());
            }
        }
        Ok(rows)
    }
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
                write!(
                    f,
                    "stima {}/ab.",
                    cit_core::fmt_it::decimal(*r, 2, cit_core::fmt_it::ALL_DP)
                )
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

/// Reads a CSV with at least `istat,nome,abitanti` (and optionally `sigla`, `imprese`,
/// `counts_as_of`). Rows without `imprese` get `abitanti × ratio`, marked as an estimate;
/// a `counts_as_of` (`YYYY-MM-DD`) is the date of the row's counts, which its ente carries.
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
    let (sigla, imprese, dated) = (col("sigla"), col("imprese"), col("counts_as_of"));
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
        let mut ente = Ente::comune(field(istat), field(nome), ab, imp);
        if let Some(text) = dated.map(field).filter(|s| !s.is_empty()) {
            ente.counts_as_of =
                Some(NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
                    format!(
                        "{}: counts_as_of {text:?} is not a date YYYY-MM-DD",
                        where_()
                    )
                })?);
        }
        rows.push(ComuneRow {
            ente,
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
    let rounded = exact.round_dp_with_strategy(0, cit_core::ROUNDING.strategy());
    u64::try_from(rounded).map_err(|_| format!("imprese estimate {rounded} out of range").into())
}
