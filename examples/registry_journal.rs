//! A realistic journal of a CIT (`tests/journal.rs`), and what the registry costs on it:
//! replay from JSON and from events, one more event at the end, all balances, and memory.
//!
//! ```text
//! cargo run --release --example registry_journal -- --events 200000 --out target/journal-200000.json
//! cargo run --release --example registry_journal -- --billing-only --comuni 1500 --years 30
//! cargo run --release --example registry_journal -- --journal my-journal.json
//! ```
//!
//! The journal is generated and written (to `--out`, or a temporary file), then measured in
//! a fresh process (this program again, with `--journal FILE`), so that the memory figures
//! see only the replay and not what the generator left in the allocator. Memory is read
//! from `/proc/self/status` (Linux): VmRSS, the memory resident now, and VmHWM, its peak
//! (reset before the replay through `/proc/self/clear_refs`). Criterion's
//! `benches/registry.rs` times the same operations; this gives the figures in one run,
//! with memory, and is what `benches/python/bench_registry.py` compares the binding with.

#[path = "../tests/journal.rs"]
mod journal;

use std::error::Error;
use std::hint::black_box;
use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use cit_core::{Event, Registry, fmt_it};
use journal::JournalConfig;
use rust_decimal::Decimal;

const USAGE: &str = "\
registry_journal: generate a realistic journal of a CIT and measure the registry on it

USAGE:
    registry_journal [--events N | --comuni N] [OPTIONS]
    registry_journal --journal FILE [--repeat R] [--json]

OPTIONS:
    --events N          about N events: as many comuni as that takes [default: 20000]
    --comuni N          exactly N comuni (and their Unioni) instead
    --years Y           years billed from 2021 [default: 20; 30 with --billing-only]
    --seed S            seed of the generator [default: 1]
    --billing-only      the original report's shape: comuni that join in the first year,
                        a billing run a year, one or two payments a year each; no Unione,
                        services or corrections
    --out FILE          write the journal (a JSON array of events) there
    --no-measure        generate (and write) only
    --journal FILE      measure this journal instead of generating one
    --repeat R          replays and balances timed, the best reported [default: 3]
    --applies K         one more event: K payments applied one after the other [default: 101]
    --json              end with the figures as one line of JSON (nanoseconds, bytes)
    -h, --help          this text";

struct Args {
    events: usize,
    comuni: Option<usize>,
    years: Option<i32>,
    seed: u64,
    billing_only: bool,
    out: Option<PathBuf>,
    measure: bool,
    journal: Option<PathBuf>,
    repeat: u32,
    applies: u32,
    json: bool,
}

fn parse_args() -> Result<Option<Args>, Box<dyn Error>> {
    use lexopt::prelude::*;
    let mut args = Args {
        events: 20_000,
        comuni: None,
        years: None,
        seed: 1,
        billing_only: false,
        out: None,
        measure: true,
        journal: None,
        repeat: 3,
        applies: 101,
        json: false,
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next()? {
        match arg {
            Long("events") => args.events = parser.value()?.parse()?,
            Long("comuni") => args.comuni = Some(parser.value()?.parse()?),
            Long("years") => args.years = Some(parser.value()?.parse()?),
            Long("seed") => args.seed = parser.value()?.parse()?,
            Long("billing-only") => args.billing_only = true,
            Long("out") => args.out = Some(parser.value()?.into()),
            Long("no-measure") => args.measure = false,
            Long("journal") => args.journal = Some(parser.value()?.into()),
            Long("repeat") => args.repeat = parser.value()?.parse::<u32>()?.max(1),
            Long("applies") => args.applies = parser.value()?.parse::<u32>()?.max(1),
            Long("json") => args.json = true,
            Short('h') | Long("help") => return Ok(None),
            _ => return Err(arg.unexpected().into()),
        }
    }
    if args.years.is_some_and(|y| y < 1) {
        return Err("--years: at least 1".into());
    }
    Ok(Some(args))
}

fn main() -> ExitCode {
    match parse_args() {
        Ok(None) => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Some(args)) => {
            let run = match &args.journal {
                Some(file) => measure(file, &args),
                None => generate(&args),
            };
            match run {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("registry_journal: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(e) => {
            eprintln!("registry_journal: {e}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

// ─── numbers a person can read ────────────────────────────────────────────────────────────

/// `d` in `unit`s of `scale` nanoseconds, Italian style with `dp` decimals.
fn time_in(d: Duration, scale: u32, dp: u32) -> String {
    let nanos = Decimal::from(u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
    fmt_it::decimal((nanos / Decimal::from(scale)).round_dp(dp), dp, dp)
}

fn ms(d: Duration) -> String {
    format!("{} ms", time_in(d, 1_000_000, 1))
}

fn us(d: Duration) -> String {
    format!("{} µs", time_in(d, 1_000, 1))
}

/// Microseconds per element, two decimals.
fn us_each(d: Duration, n: usize) -> String {
    let nanos = Decimal::from(u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
    let per = nanos / Decimal::from(n.max(1)) / Decimal::ONE_THOUSAND;
    format!("{} µs", fmt_it::decimal(per.round_dp(2), 2, 2))
}

fn int(n: u64) -> String {
    fmt_it::integer(n)
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

// ─── generating ───────────────────────────────────────────────────────────────────────────

fn generate(args: &Args) -> Result<(), Box<dyn Error>> {
    let config = match (args.billing_only, args.comuni) {
        (true, comuni) => JournalConfig::billing_only(
            comuni.unwrap_or(1_500),
            args.years.unwrap_or(30),
            args.seed,
        ),
        (false, Some(comuni)) => JournalConfig::new(comuni, args.years.unwrap_or(20), args.seed),
        (false, None) => JournalConfig::sized(args.events, args.years.unwrap_or(20), args.seed),
    };
    let start = Instant::now();
    let events = journal::journal(&config);
    let took = start.elapsed();
    println!(
        "journal: {} events, {} comuni and {} Unioni, {} years from {} (seed {}{}), generated in {}",
        int(events.len() as u64),
        int(config.comuni as u64),
        config.unioni,
        config.years,
        config.first_year,
        config.seed,
        if config.services {
            ""
        } else {
            ", billing only"
        },
        ms(took)
    );
    let mix: Vec<String> = journal::mix(&events)
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| format!("{k} {}", int(n as u64)))
        .collect();
    println!("  {}", mix.join(", "));
    let text = serde_json::to_string(&events)?;
    drop(events);
    let (path, temporary) = match &args.out {
        Some(p) => (p.clone(), false),
        None => (
            std::env::temp_dir().join(format!("cit-journal-{}.json", std::process::id())),
            true,
        ),
    };
    if args.measure || !temporary {
        std::fs::write(&path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
        if !temporary {
            println!(
                "  written to {} ({} bytes)",
                path.display(),
                int(text.len() as u64)
            );
        }
    }
    drop(text);
    if !args.measure {
        return Ok(());
    }
    // A fresh process for the measurement: its memory holds only the replay.
    let mut child = Command::new(std::env::current_exe()?);
    child
        .arg("--journal")
        .arg(&path)
        .arg("--repeat")
        .arg(args.repeat.to_string())
        .arg("--applies")
        .arg(args.applies.to_string());
    if args.json {
        child.arg("--json");
    }
    let status = child.status();
    if temporary {
        let _ = std::fs::remove_file(&path);
    }
    if !status?.success() {
        return Err("the measurement failed".into());
    }
    Ok(())
}

// ─── measuring ────────────────────────────────────────────────────────────────────────────

/// A figure of `/proc/self/status` (`VmRSS`, `VmHWM`), in bytes; `None` off Linux.
fn status(field: &str) -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = text.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line
        .trim_start_matches(field)
        .trim_start_matches(':')
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

/// Resets VmHWM to the current VmRSS (Linux 4.0 and later).
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn best<T>(repeat: u32, mut f: impl FnMut() -> T) -> Duration {
    (0..repeat)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn per_event(bytes: u64, events: usize) -> u64 {
    bytes / (events.max(1) as u64)
}

fn measure(file: &PathBuf, args: &Args) -> Result<(), Box<dyn Error>> {
    let before_text = status("VmRSS");
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let before = status("VmRSS");
    let peak_reset = reset_peak();

    // The first replay, for memory: what the registry keeps, and the peak while it is built.
    let start = Instant::now();
    let mut registry =
        Registry::from_json(&text).map_err(|e| format!("{}: {e}", file.display()))?;
    let first = start.elapsed();
    let peak = status("VmHWM");
    let after = status("VmRSS");
    let n = registry.events().len();

    // Timings: the best of `repeat`.
    let from_json = match args.repeat {
        1 => first,
        r => best(r - 1, || Registry::from_json(&text)).min(first),
    };
    let events: Vec<Event> = cit_core::json::parse("registry", &text)?;
    let parse = best(args.repeat, || {
        cit_core::json::parse::<Vec<Event>>("registry", &text)
    });
    let mut from_events = Duration::MAX;
    for _ in 0..args.repeat {
        let copy = events.clone();
        let start = Instant::now();
        let r = Registry::from_events(copy)?;
        from_events = from_events.min(start.elapsed());
        drop(black_box(r));
    }

    // One more event at the end: payments with new ids, one after the other.
    let template = journal::one_more_payment(&events, 0);
    let Event::PaymentReceived {
        payer,
        date,
        amount,
        ..
    } = &template
    else {
        return Err("no payment to make".into());
    };
    let mut applies = Vec::with_capacity(args.applies as usize);
    for k in 0..args.applies {
        let e = Event::PaymentReceived {
            payment: format!("EXTRA-{k}"),
            payer: payer.clone(),
            date: *date,
            amount: *amount,
            charge: None,
            channel: None,
        };
        let start = Instant::now();
        black_box(registry.apply(e)?);
        applies.push(start.elapsed());
    }
    applies.sort();
    let median = applies[applies.len() / 2];

    // All balances at the end of the last year.
    let at = journal::last_day(&events);
    let enti = registry.enti().count();
    let balances = best(args.repeat, || registry.balances(at));
    registry.balances(at)?;

    let bytes = text.len() as u64;
    println!(
        "journal: {} ({} events, {} bytes of JSON, {} bytes/event; {} enti)",
        file.display(),
        int(n as u64),
        int(bytes),
        int(per_event(bytes, n)),
        int(enti as u64)
    );
    println!(
        "replay from JSON (Registry::from_json: parse, then apply each event), best of {}: {} = {}/event",
        args.repeat,
        ms(from_json),
        us_each(from_json, n)
    );
    println!(
        "  of which parsing the JSON into events: {} = {}/event",
        ms(parse),
        us_each(parse, n)
    );
    println!(
        "replay from events (Registry::from_events, events already parsed), best of {}: {} = {}/event",
        args.repeat,
        ms(from_events),
        us_each(from_events, n)
    );
    println!(
        "one more event (apply of a payment by {payer} on {date} at the end, {} one after the other): median {}, best {}, worst {}",
        args.applies,
        us(median),
        us(applies[0]),
        us(applies[applies.len() - 1])
    );
    println!(
        "all balances (Registry::balances at {at}, {} enti), best of {}: {} = {}/ente",
        int(enti as u64),
        args.repeat,
        ms(balances),
        us_each(balances, enti)
    );
    let retained = after.zip(before).map(|(a, b)| a.saturating_sub(b));
    let transient = peak.zip(before).map(|(p, b)| p.saturating_sub(b));
    match (retained, transient) {
        (Some(retained), Some(transient)) => {
            println!(
                "memory kept by the registry: {} bytes = {} bytes/event (VmRSS after the first replay − before it; the JSON text is resident in both; the journal's events, the state and the allocator's slack)",
                int(retained),
                int(per_event(retained, n))
            );
            println!(
                "peak memory of the replay: {} bytes = {} bytes/event above the text (VmHWM{} − VmRSS before the replay: the parsed events and the registry being built); the text itself {} bytes/event; the process at its peak {} bytes",
                int(transient),
                int(per_event(transient, n)),
                if peak_reset {
                    ", reset just before the replay,"
                } else {
                    " (not reset: the peak of the whole process)"
                },
                int(per_event(bytes, n)),
                int(peak.unwrap_or(0))
            );
            if let (Some(b), Some(t)) = (before_text, before) {
                println!(
                    "  (the process before reading the text: {} bytes; with the text: {} bytes)",
                    int(b),
                    int(t)
                );
            }
        }
        _ => println!("memory: not measured (no /proc/self/status)"),
    }
    if args.json {
        let figures = serde_json::json!({
            "journal": file.display().to_string(),
            "events": n,
            "enti": enti,
            "json_bytes": bytes,
            "repeat": args.repeat,
            "from_json_ns": nanos(from_json),
            "parse_ns": nanos(parse),
            "from_events_ns": nanos(from_events),
            "apply_median_ns": nanos(median),
            "apply_best_ns": nanos(applies[0]),
            "applies": args.applies,
            "balances_ns": nanos(balances),
            "balances_at": at.to_string(),
            "payer": payer,
            "payment_date": date.to_string(),
            "retained_bytes": retained,
            "peak_bytes_above_text": transient,
            "peak_reset": peak_reset,
        });
        println!("{figures}");
    }
    Ok(())
}
