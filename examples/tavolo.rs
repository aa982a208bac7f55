//! A sitting of the 15-member Tavolo Strategico of the CIT di Brescia that adopts next
//! year's quota: what the officer minutes — the roll call and quorum (R-QUORUM), each
//! vote and its sentence (R-MAJORITY), the adoption and its citation (R-ADOPT) — and,
//! last, whether the boards met every year (R-YEARLY).
//!
//! Run it with `cargo run --release --example tavolo`.
//!
//! The board, its earlier sittings and the Tavolo Tecnico are in `examples/boards/`. The
//! members are real bodies of the province of Brescia; the representatives are given by
//! role, and the sittings and votes are invented for the example.

use std::error::Error;

use chrono::NaiveDate;
use cit_core::governance::{Board, Meeting, Motion, Quorum, Reading, Vote, adopt, yearly};
use cit_core::{Ente, Tariff};

/// Short names of the members, for the lists of votes.
const NAMES: [(&str, &str); 15] = [
    ("prov-bs", "Provincia di Brescia"),
    ("017029", "Brescia"),
    ("017067", "Desenzano del Garda"),
    ("017113", "Montichiari"),
    ("017096", "Lumezzane"),
    ("017133", "Palazzolo sull'Oglio"),
    ("017052", "Chiari"),
    ("017078", "Ghedi"),
    ("017166", "Rovato"),
    ("017081", "Gussago"),
    ("017092", "Lonato del Garda"),
    ("017065", "Darfo Boario Terme"),
    ("017061", "Concesio"),
    ("017088", "Leno"),
    ("017127", "Ospitaletto"),
];

const WIDTH: usize = 92;

fn name(ente: &str) -> &str {
    NAMES
        .iter()
        .find(|(id, _)| *id == ente)
        .map_or(ente, |(_, n)| n)
}

/// Prints `text` wrapped at [`WIDTH`], every line indented by `indent` spaces.
fn para(indent: usize, text: &str) {
    let pad = " ".repeat(indent);
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && indent + line.chars().count() + 1 + word.chars().count() > WIDTH {
            println!("{pad}{line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        println!("{pad}{line}");
    }
}

fn heading(title: &str) {
    println!();
    println!("{title}");
    println!("{}", "─".repeat(title.chars().count()));
}

/// A motion voted by those present: `no` and `abstain` list the exceptions, everyone
/// else present votes yes.
fn motion(
    sitting: &Meeting,
    id: &str,
    title: &str,
    delibera: Option<&str>,
    no: &[&str],
    abstain: &[&str],
) -> Motion {
    let mut m = Motion::new(id, title);
    m.delibera = delibera.map(str::to_owned);
    for ente in &sitting.present {
        let vote = if no.contains(&ente.as_str()) {
            Vote::No
        } else if abstain.contains(&ente.as_str()) {
            Vote::Abstain
        } else {
            Vote::Yes
        };
        m.votes.insert(ente.clone(), vote);
    }
    m
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut board = Board::from_json(include_str!("boards/tavolo-strategico-brescia.json"))?;
    let tecnico = Board::from_json(include_str!("boards/tavolo-tecnico-brescia.json"))?;
    let tariff = Tariff::from_json(include_str!("tariffs/graduated-2026.json"))?;
    let year = 2027;
    if !tariff.document().period.overlaps_year(year) {
        return Err(format!("tariff {} does not cover {year}", tariff.id()).into());
    }

    // The sitting of 18 November 2026: three members are absent.
    let date = NaiveDate::from_ymd_opt(2026, 11, 18).ok_or("bad date")?;
    let mut sitting = board.new_meeting(date);
    let absent = ["017096", "017078", "017088"];
    sitting.present = board
        .members
        .iter()
        .map(|m| m.ente.clone())
        .filter(|e| !absent.contains(&e.as_str()))
        .collect();
    let motions = [
        motion(
            &sitting,
            "1",
            "Approvazione del verbale della seduta del 12/03/2026",
            None,
            &[],
            &["017092"],
        ),
        motion(
            &sitting,
            "2",
            &format!("Quota di adesione {year}: tariffa {}", tariff.id()),
            Some("14/2026"),
            &["017052", "017065"],
            &["017127"],
        ),
        motion(
            &sitting,
            "3",
            "Conservazione digitale come servizio a quota maggiorata dal 2027",
            None,
            &["017029", "017067", "017113", "017133", "017061"],
            &["017092", "017127"],
        ),
    ];
    sitting.motions.extend(motions);
    board.add_meeting(sitting)?;
    let sitting = board
        .meeting(date)
        .ok_or("the sitting was not registered")?;

    // ------------------------------------------------------------------ header
    let title = format!(
        "{} — verbale della seduta del {}",
        board.name,
        date.format("%d/%m/%Y")
    );
    println!("{title}");
    println!("{}", "═".repeat(title.chars().count()));
    let president = board.member(&board.president).ok_or("no president")?;
    println!("Presiede: {}", president.representative);

    // ------------------------------------------------------------------ roll call
    heading("Appello");
    for (i, m) in board.members.iter().enumerate() {
        let here = if sitting.present.contains(&m.ente) {
            "presente"
        } else {
            "assente"
        };
        println!(
            "  {:>2}. {:<22} {:<48} {here}",
            i + 1,
            name(&m.ente),
            m.representative
        );
    }

    heading("Numero legale (R-QUORUM)");
    let roll_call = board.roll_call(sitting)?;
    para(2, &format!("{roll_call}."));
    let literal = Quorum::HalfPlusOne {
        reading: Reading::Literal,
    };
    if let Some(needed) = literal.required(roll_call.members) {
        para(
            2,
            &format!(
                "Nota: il Tavolo legge «metà più uno» come l'intero superiore alla metà \
                 (Consiglio di Stato); con la lettura letterale (n/2 + 1 arrotondato per \
                 eccesso) ne servirebbero {needed}."
            ),
        );
    }

    // ------------------------------------------------------------------ motions
    for m in &sitting.motions {
        heading(&format!("Punto {} — {}", m.id, m.title));
        for (label, vote) in [
            ("Favorevoli", Vote::Yes),
            ("Contrari", Vote::No),
            ("Astenuti", Vote::Abstain),
        ] {
            // In the order of the roll call.
            let who: Vec<&str> = board
                .members
                .iter()
                .filter(|mb| m.votes.get(&mb.ente) == Some(&vote))
                .map(|mb| name(&mb.ente))
                .collect();
            let list = if who.is_empty() {
                "nessuno".to_owned()
            } else {
                who.join(", ")
            };
            para(2, &format!("{label} ({}): {list}", who.len()));
        }
        let decision = board.decide(sitting, &m.id)?;
        println!();
        para(2, &format!("Esito (R-MAJORITY): {}.", decision.sentence));

        if m.id == "2" {
            println!();
            let adopted = tariff.adopt(&board, sitting, &m.id)?;
            let citation = adopted
                .document()
                .adoption
                .as_ref()
                .map(|a| a.citation())
                .unwrap_or_default();
            para(
                2,
                "Adozione (R-ADOPT): la tariffa e i suoi preventivi citano",
            );
            para(4, &format!("«{citation}»"));
            let brescia = Ente::comune("017029", "Brescia", 189_902, 21_500);
            let quote = adopted.quote(&brescia, 2027)?;
            para(
                2,
                &format!(
                    "Per esempio, la quota 2027 di Brescia (189.902 abitanti, 21.500 imprese): {}",
                    quote.total()
                ),
            );
            para(
                2,
                &format!(
                    "nel documento del preventivo: \"adoption\": \"{}\"",
                    quote.adoption().unwrap_or("")
                ),
            );
        } else if !decision.passed() {
            // R-ADOPT: a rejected motion adopts nothing.
            println!();
            if let Err(e) = adopt(&board, sitting, &m.id) {
                para(
                    2,
                    "Verifica R-ADOPT: una mozione respinta non può adottare una tariffa.",
                );
                para(4, &format!("[{}] {e}", e.code()));
            }
        }
    }

    // ------------------------------------------------------------------ R-YEARLY
    heading("Riunioni annuali dei Tavoli (R-YEARLY), 2025–2026");
    let report = yearly(&[board.clone(), tecnico], 2025, 2026)?;
    for line in report.to_string().lines() {
        para(2, line);
    }
    if report.is_complete() {
        para(2, "Tutti i Tavoli si sono riuniti almeno una volta l'anno.");
    } else {
        for (y, b) in report.missed() {
            para(
                2,
                &format!("Da segnalare: {b} non si è riunito in seduta plenaria valida nel {y}."),
            );
        }
    }
    Ok(())
}
