//! A realistic journal of a CIT over many years, for the registry's tests and benchmarks
//! (`tests/registry_replay.rs`, `benches/registry.rs`, `examples/registry_journal.rs`, which
//! include this file with `#[path = "../tests/journal.rs"] mod journal;`).
//!
//! [`journal`] writes, from a [`JournalConfig`] and a seed, the events a CIT records year
//! after year, in the order of their dates:
//!
//! - a tariff version every [`TARIFF_YEARS`] years (the catalogue of
//!   `examples/tariffs/bs-2021-services.json` with its own id, period and a rate per
//!   abitante one cent higher each time), so that every day billed has a tariff in force;
//! - the comuni of a territory and its Unioni di Comuni; the comuni join on varying days
//!   (the quota of the first year is prorated), each Unione approving its members'
//!   memberships with one delibera and paying part of their quotas (`PayerAgreed`, a
//!   percentage, renewed with each convention); conventions of [`CONVENTION_YEARS`] years
//!   expire and are renewed from 1 January; later joins, withdrawals and enti that do not
//!   renew;
//! - services: SPID (una tantum, people named or not), conservazione, Telemaco and
//!   protocollo (canoni renewed on confirmation: a renewal campaign each November with
//!   confirmations, refusals and silence, then `YearClosed`), PEC (tacit renewal);
//!   cancellations, some with conditions; requests withdrawn before activation;
//! - a billing run on 1 March and, when it has something to issue, a supplementary one on
//!   15 October (memberships and services started since, charges reversed since);
//! - payments of what each payer owes: in full, in two instalments, partial, over (credit
//!   for the next year), some naming a charge, some payers skipping a year; reversed
//!   payments (a bounced transfer, usually paid again) and reversed charges.
//!
//! The generator keeps its own model of the registry (the lifecycle types
//! [`Membership`] and [`Subscription`] of `cit-core`, the tariffs' prices) to know which
//! events are legal and which charges a run issues; it never calls [`cit_core::Registry`],
//! so replaying its journal is a test of the registry. The same config and seed give the
//! same journal, event for event.
//!
//! [`JournalConfig::billing_only`] is the shape of the journal measured in the original
//! report (comuni that join in the first year, a billing run a year, one or two payments a
//! year each: 1.500 comuni over 30 years are about 62.000 events).

// Each includer uses a part of this module.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, NaiveDate};
use cit_core::registry::{Condition, Membership, MembershipState, Subscription, SubscriptionState};
use cit_core::tariff::{Billing, Period, Renewal, Standing};
use cit_core::{
    CapofilaShare, Delibera, Ente, EnteKind, Event, Money, Tariff, split_largest_remainder,
};
use rust_decimal::Decimal;

const CATALOGUE: &str = include_str!("../examples/tariffs/bs-2021-services.json");

/// Years of each tariff version.
pub const TARIFF_YEARS: i32 = 5;

/// Years of a convention in [`JournalConfig::new`] (then renewed from 1 January).
pub const CONVENTION_YEARS: i32 = 5;

/// Comuni per Unione di Comuni in [`JournalConfig::new`] (one Unione per this many
/// comuni, at least one); each Unione has [`UNIONE_MEMBERS`] members.
pub const COMUNI_PER_UNIONE: usize = 30;

/// Members of each Unione.
pub const UNIONE_MEMBERS: usize = 6;

/// The `type` of every event, as the journal's JSON writes it.
pub const EVENT_KINDS: [&str; 19] = [
    "tariff_adopted",
    "ente_registered",
    "membership_requested",
    "membership_approved",
    "unione_approved",
    "convention_signed",
    "membership_withdrawn",
    "membership_expired",
    "subscription_requested",
    "subscription_activated",
    "renewal_confirmed",
    "renewal_declined",
    "year_closed",
    "subscription_cancelled",
    "payer_agreed",
    "billing_run",
    "payment_received",
    "charge_reversed",
    "payment_reversed",
];

/// Particular shapes of some events, counted by [`mix`] beside their type: a convention
/// with a stated start (a renewal from 1 January), a request naming its people, a
/// cancellation that charges conditions, a payment naming its charge.
pub const VARIANTS: [&str; 4] = [
    "convention_signed+from",
    "subscription_requested+people",
    "subscription_cancelled+conditions",
    "payment_received+charge",
];

/// What to generate: how many enti over how many years, and which parts of a CIT's life.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JournalConfig {
    /// Comuni registered (the Unioni come on top).
    pub comuni: usize,
    /// Unioni di Comuni, each the capofila of [`UNIONE_MEMBERS`] comuni (if there are
    /// enough), paying a percentage of their quotas.
    pub unioni: usize,
    /// The first year.
    pub first_year: i32,
    /// Years billed, from `first_year`.
    pub years: i32,
    /// Years of a convention: memberships end with it and are renewed.
    pub convention_years: i32,
    /// The seed of the generator.
    pub seed: u64,
    /// Services: requests, activations, renewal campaigns, cancellations, year closes.
    pub services: bool,
    /// Enti join after the first year, withdraw, or do not renew their convention.
    pub turnover: bool,
    /// Reversed charges and payments, payers that skip a year, partial and over payments,
    /// conditions charged on cancellation.
    pub corrections: bool,
}

impl JournalConfig {
    /// Everything: `comuni` comuni and their Unioni over `years` years from 2021, with
    /// services, turnover and corrections.
    pub fn new(comuni: usize, years: i32, seed: u64) -> JournalConfig {
        JournalConfig {
            comuni,
            unioni: (comuni / COMUNI_PER_UNIONE).max(1),
            first_year: 2021,
            years,
            convention_years: CONVENTION_YEARS,
            seed,
            services: true,
            turnover: true,
            corrections: true,
        }
    }

    /// The shape of the original report: `comuni` comuni that all join in the first year
    /// under one convention for every year, a billing run a year and one or two payments a
    /// year each (in full or in two instalments); no Unione, services or corrections.
    pub fn billing_only(comuni: usize, years: i32, seed: u64) -> JournalConfig {
        JournalConfig {
            comuni,
            unioni: 0,
            first_year: 2021,
            years,
            convention_years: years,
            seed,
            services: false,
            turnover: false,
            corrections: false,
        }
    }

    /// A [`JournalConfig::new`] over `years` years with as many comuni as make about
    /// `events` events: within 2 %, or the closest of six trial journals.
    pub fn sized(events: usize, years: i32, seed: u64) -> JournalConfig {
        let with = |comuni: usize| JournalConfig::new(comuni.max(2), years, seed);
        // Events grow with the comuni, on top of a few a year for the whole CIT.
        let fixed = usize::try_from(years.max(1)).unwrap_or(1) * 4;
        let mut comuni = 40usize;
        let mut closest = (usize::MAX, comuni);
        for _ in 0..6 {
            let got = journal(&with(comuni)).len();
            let off = got.abs_diff(events);
            if off < closest.0 {
                closest = (off, comuni);
            }
            if off * 50 <= events {
                break;
            }
            comuni =
                (events.saturating_sub(fixed) * comuni / got.saturating_sub(fixed).max(1)).max(2);
        }
        with(closest.1)
    }

    /// Enti registered: comuni and Unioni.
    pub fn enti(&self) -> usize {
        self.comuni + self.unioni
    }

    fn last_year(&self) -> i32 {
        self.first_year + self.years - 1
    }
}

/// The journal described by `config`, in order; every event is legal where it stands.
///
/// # Panics
/// If the generator's own model refuses what it generated (a bug of the generator).
pub fn journal(config: &JournalConfig) -> Vec<Event> {
    Gen::new(config).run()
}

/// How many events of each kind and variant (every entry of [`EVENT_KINDS`] and
/// [`VARIANTS`], zeros included).
pub fn mix(events: &[Event]) -> BTreeMap<&'static str, usize> {
    let mut counts: BTreeMap<&'static str, usize> = EVENT_KINDS
        .iter()
        .chain(&VARIANTS)
        .map(|k| (*k, 0))
        .collect();
    for e in events {
        *counts.entry(e.type_name()).or_default() += 1;
        let extra = match e {
            Event::ConventionSigned { from: Some(_), .. } => Some("convention_signed+from"),
            Event::SubscriptionRequested { people, .. } if !people.is_empty() => {
                Some("subscription_requested+people")
            }
            Event::SubscriptionCancelled { conditions, .. } if !conditions.is_empty() => {
                Some("subscription_cancelled+conditions")
            }
            Event::PaymentReceived {
                charge: Some(_), ..
            } => Some("payment_received+charge"),
            _ => None,
        };
        if let Some(extra) = extra {
            *counts.entry(extra).or_default() += 1;
        }
    }
    counts
}

/// 31 December of the journal's last billed year: where "all balances" are taken.
pub fn last_day(events: &[Event]) -> NaiveDate {
    let year = events
        .iter()
        .filter_map(|e| match e {
            Event::BillingRun { year, .. } => Some(*year),
            _ => None,
        })
        .max()
        .unwrap_or(2021);
    ymd(year, 12, 31)
}

/// One more event at the end of `events`: a payment of € 12,34, id `EXTRA-{n}` (a new id
/// for each `n`), by the payer of the journal's last payment (or its first ente), on
/// [`last_day`].
pub fn one_more_payment(events: &[Event], n: u64) -> Event {
    let payer = events
        .iter()
        .rev()
        .find_map(|e| match e {
            Event::PaymentReceived { payer, .. } => Some(payer.clone()),
            _ => None,
        })
        .or_else(|| {
            events.iter().find_map(|e| match e {
                Event::EnteRegistered { ente } => Some(ente.id.clone()),
                _ => None,
            })
        })
        .unwrap_or_default();
    Event::PaymentReceived {
        payment: format!("EXTRA-{n}"),
        payer,
        date: last_day(events),
        amount: Money::from_cents(1_234),
        charge: None,
        channel: None,
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a day of the calendar")
}

fn plus(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days))
        .expect("a day of the calendar")
}

fn cents(m: Money) -> i64 {
    m.cents().expect("an amount in cents")
}

/// splitmix64: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// 0 to `n − 1`.
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    /// `lo` to `hi`, both included.
    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True `per_mille` times in a thousand.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    /// A day from `from` to `to`, both included.
    fn day(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let span = u64::try_from((to - from).num_days()).unwrap_or(0);
        plus(from, self.below(span + 1))
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[usize::try_from(self.below(items.len() as u64)).unwrap_or(0)]
    }
}

/// An ente as the generator knows it.
struct EnteModel {
    ente: Ente,
    /// The Unione (index in `Gen::enti`) whose capofila agreement covers it.
    unione: Option<usize>,
    /// Its memberships, oldest first.
    memberships: Vec<Membership>,
    /// Its subscriptions (indices in `Gen::subs`).
    subs: Vec<usize>,
}

impl EnteModel {
    fn is_unione(&self) -> bool {
        self.ente.kind == EnteKind::Unione
    }

    fn member_on(&self, date: NaiveDate) -> Option<&Membership> {
        self.memberships.iter().find(|m| m.active_on(date))
    }

    /// The membership that is active or will be (signed, not ended).
    fn current(&self) -> Option<&Membership> {
        self.memberships
            .iter()
            .rev()
            .find(|m| matches!(m.state, MembershipState::Active { .. }))
    }

    fn standing(&self, date: NaiveDate) -> Standing {
        match self
            .member_on(date)
            .and_then(|m| Some((m, m.state.period()?)))
        {
            Some((m, (from, to))) => Standing::Member {
                membership: m.id.clone(),
                from,
                to,
            },
            None => Standing::NonMember,
        }
    }
}

/// A capofila's agreement (R-PAYER), as the registry keeps it.
struct Agreement {
    capofila: String,
    members: Vec<String>,
    percent: Decimal,
    from_year: i32,
}

/// A charge issued this year: its id and who owes what, in cents.
struct Issued {
    id: String,
    shares: Vec<(String, i64)>,
    /// Issued by the March run (may be reversed, then re-issued in October).
    main_run: bool,
}

/// The services and how often one is chosen (out of 100).
const SERVICES: [(&str, u64); 5] = [
    ("spid", 25),
    ("conservazione", 20),
    ("telemaco", 20),
    ("pec", 25),
    ("protocollo", 10),
];

struct Gen<'c> {
    c: &'c JournalConfig,
    rng: Rng,
    tariffs: Vec<Tariff>,
    enti: Vec<EnteModel>,
    subs: Vec<Subscription>,
    agreements: Vec<Agreement>,
    /// Percentage each Unione pays of its members' quotas.
    percent: BTreeMap<usize, Decimal>,
    billed: BTreeMap<String, u32>,
    reversed: BTreeSet<String>,
    /// What each payer owes, in cents (negative: credit).
    due: BTreeMap<String, i64>,
    year_charges: Vec<Issued>,
    /// Enti that withdrew this year.
    withdrawn: BTreeSet<usize>,
    next_id: u64,
    /// The events of the phase being generated, with their day; sorted by day when the
    /// phase is done (ties keep the order generated).
    phase: Vec<(NaiveDate, Event)>,
    out: Vec<Event>,
}

impl<'c> Gen<'c> {
    fn new(c: &'c JournalConfig) -> Gen<'c> {
        Gen {
            c,
            rng: Rng(c.seed ^ 0x5EED_0000_C17C_17C1),
            tariffs: Vec::new(),
            enti: Vec::new(),
            subs: Vec::new(),
            agreements: Vec::new(),
            percent: BTreeMap::new(),
            billed: BTreeMap::new(),
            reversed: BTreeSet::new(),
            due: BTreeMap::new(),
            year_charges: Vec::new(),
            withdrawn: BTreeSet::new(),
            next_id: 0,
            phase: Vec::new(),
            out: Vec::new(),
        }
    }

    fn id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}-{:06}", self.next_id)
    }

    fn at(&mut self, date: NaiveDate, event: Event) {
        self.phase.push((date, event));
    }

    fn flush(&mut self) {
        let mut phase = std::mem::take(&mut self.phase);
        // A stable sort: events of one day keep the order they were generated in, which
        // respects what each needs before it.
        phase.sort_by_key(|(date, _)| *date);
        self.out.extend(phase.into_iter().map(|(_, e)| e));
    }

    fn run(mut self) -> Vec<Event> {
        let first = self.c.first_year;
        self.adopt_tariff(first, ymd(first - 1, 11, 1));
        self.register(ymd(first - 1, 12, 1));
        self.flush();
        for year in first..=self.c.last_year() {
            self.year(year);
        }
        self.out
    }

    fn year(&mut self, year: i32) {
        self.year_charges.clear();
        self.withdrawn.clear();
        // 1 January: conventions that ended on 31 December expire.
        self.expire(year);
        self.flush();
        // January and February: joins and services, before the run.
        let joiners = self.joiners(year, true);
        self.join(&joiners, ymd(year, 1, 5), ymd(year, 2, 25), year);
        self.request_services(ymd(year, 1, 5), ymd(year, 2, 1), 20, 20);
        self.flush();
        // 1 March: the billing run.
        self.bill(year, ymd(year, 3, 1), ymd(year, 4, 30), true);
        self.flush();
        // March to September: payments, corrections, withdrawals, cancellations, joins and
        // services after the run.
        self.pay_after_run(year);
        self.reverse_charges(year);
        self.withdraw(year);
        self.cancel_services(year);
        let joiners = self.joiners(year, false);
        self.join(&joiners, ymd(year, 4, 1), ymd(year, 8, 31), year);
        self.request_services(ymd(year, 4, 1), ymd(year, 8, 15), 12, 30);
        self.flush();
        // 15 October: the supplementary run, if it has anything to issue.
        self.bill(year, ymd(year, 10, 15), ymd(year, 12, 15), false);
        self.flush();
        // October to December: settlements, the renewal campaign, the next convention and
        // tariff, the year's close.
        self.settle(year);
        let leaving = self.leaving(year);
        self.renewal_campaign(year, &leaving);
        self.next_convention(year, &leaving);
        if year < self.c.last_year() && (year + 1 - self.c.first_year) % TARIFF_YEARS == 0 {
            self.adopt_tariff(year + 1, ymd(year, 10, 20));
        }
        self.flush();
        if self.c.services {
            for s in &mut self.subs {
                s.close_year(year);
            }
            self.out.push(Event::YearClosed { year });
        }
    }

    // ─── the territory and its tariffs ────────────────────────────────────────────────

    fn adopt_tariff(&mut self, from: i32, on: NaiveDate) {
        let mut doc = Tariff::from_json(CATALOGUE)
            .expect("the catalogue")
            .document()
            .clone();
        let to = from + TARIFF_YEARS - 1;
        let version = i64::from((from - self.c.first_year) / TARIFF_YEARS);
        doc.id = format!("cit-{from}");
        doc.name = format!("CIT - Convenzione {from}-{to} (catalogo dei servizi bs-2021)");
        doc.period = Period {
            from: ymd(from, 1, 1),
            to: ymd(to, 12, 31),
        };
        doc.membership.comune.per_abitante += Decimal::new(version, 2);
        let tariff = Tariff::new(doc).expect("a valid tariff version");
        self.tariffs.push(tariff.clone());
        self.at(
            on,
            Event::TariffAdopted {
                tariff: Box::new(tariff),
            },
        );
    }

    fn tariff_on(&self, date: NaiveDate) -> &Tariff {
        self.tariffs
            .iter()
            .find(|t| t.document().period.contains(date))
            .expect("a tariff in force")
    }

    fn register(&mut self, on: NaiveDate) {
        for k in 0..self.c.unioni {
            let mut ente = Ente::comune(
                format!("U{:03}", k + 1),
                format!("Unione dei Comuni n. {}", k + 1),
                0,
                0,
            );
            ente.kind = EnteKind::Unione;
            ente.abitanti = None;
            ente.imprese = None;
            let percent = Decimal::from(*self.rng.pick(&[30, 40, 50, 60]));
            self.percent.insert(self.enti.len(), percent);
            self.enti.push(EnteModel {
                ente,
                unione: None,
                memberships: Vec::new(),
                subs: Vec::new(),
            });
        }
        for i in 0..self.c.comuni {
            let abitanti = match self.rng.below(100) {
                0..35 => self.rng.between(300, 1_999),
                35..65 => self.rng.between(2_000, 4_999),
                65..85 => self.rng.between(5_000, 14_999),
                85..95 => self.rng.between(15_000, 49_999),
                _ => self.rng.between(50_000, 200_000),
            };
            let imprese = abitanti * self.rng.between(6, 14) / 100;
            let id = format!("{:03}{:03}", 17 + i / 999, i % 999 + 1);
            let unione = (i / UNIONE_MEMBERS < self.c.unioni).then_some(i / UNIONE_MEMBERS);
            self.enti.push(EnteModel {
                ente: Ente::comune(id.clone(), format!("Comune {id}"), abitanti, imprese),
                unione,
                memberships: Vec::new(),
                subs: Vec::new(),
            });
        }
        for k in 0..self.enti.len() {
            let ente = self.enti[k].ente.clone();
            self.at(on, Event::EnteRegistered { ente });
        }
    }

    // ─── memberships ──────────────────────────────────────────────────────────────────

    /// The last day of the convention that covers `year`.
    fn convention_end(&self, year: i32) -> NaiveDate {
        let n = self.c.convention_years.max(1);
        let k = (year - self.c.first_year) / n;
        ymd(self.c.first_year + (k + 1) * n - 1, 12, 31)
    }

    /// The enti that join in this part of `year`: every Unione and most comuni in the first
    /// year's January, a few non-members each year after with turnover.
    fn joiners(&mut self, year: i32, before_run: bool) -> Vec<usize> {
        let first = year == self.c.first_year;
        let mut out = Vec::new();
        for i in 0..self.enti.len() {
            // An ente that withdrew this year may come back from next year.
            if self.enti[i].current().is_some() || self.withdrawn.contains(&i) {
                continue;
            }
            let p = match (first, before_run, self.c.turnover) {
                _ if self.enti[i].is_unione() => {
                    if before_run {
                        1000
                    } else {
                        0
                    }
                }
                (true, true, false) => 1000,
                (true, true, true) => 850,
                (_, _, false) => 0,
                (true, false, true) => 300,
                (false, _, true) => 50,
            };
            if self.rng.chance(p) {
                out.push(i);
            }
        }
        out
    }

    /// Memberships requested, approved (by the ente, or by its Unione with one delibera
    /// for its members) and signed between `from` and `to`, from the signature (R-PRORATA
    /// for a start after January); then the capofila agreements for the new members.
    fn join(&mut self, joiners: &[usize], from: NaiveDate, to: NaiveDate, year: i32) {
        if joiners.is_empty() {
            return;
        }
        let span = u64::try_from((to - from).num_days()).unwrap_or(0);
        let last_request = plus(from, span / 3);
        let mut by_unione: BTreeMap<usize, Vec<(usize, String, NaiveDate)>> = BTreeMap::new();
        let mut ready: Vec<(usize, String, NaiveDate)> = Vec::new();
        for &i in joiners {
            let membership = self.id("ADE");
            let requested = self.rng.day(from, last_request);
            let m = Membership::request(&membership, &self.enti[i].ente.id, requested);
            self.enti[i].memberships.push(m);
            self.at(
                requested,
                Event::MembershipRequested {
                    membership: membership.clone(),
                    ente: self.enti[i].ente.id.clone(),
                    date: requested,
                },
            );
            match self.enti[i].unione {
                Some(u) => by_unione
                    .entry(u)
                    .or_default()
                    .push((i, membership, requested)),
                None => {
                    let approved = plus(requested, self.rng.between(5, 15));
                    let organ = if self.enti[i].is_unione() {
                        "Consiglio dell'Unione"
                    } else {
                        "Consiglio comunale"
                    };
                    let delibera = self.delibera(approved, organ);
                    self.approve(i, &membership, delibera.clone(), None);
                    self.at(
                        approved,
                        Event::MembershipApproved {
                            membership: membership.clone(),
                            delibera,
                        },
                    );
                    ready.push((i, membership, approved));
                }
            }
        }
        for (u, members) in &by_unione {
            let approved = plus(
                members.iter().map(|m| m.2).max().unwrap_or(from),
                self.rng.between(3, 10),
            );
            let delibera = self.delibera(approved, "Consiglio dell'Unione");
            let capofila = self.enti[*u].ente.id.clone();
            for (i, membership, _) in members {
                self.approve(*i, membership, delibera.clone(), Some(capofila.clone()));
                ready.push((*i, membership.clone(), approved));
            }
            self.at(
                approved,
                Event::UnioneApproved {
                    unione: capofila,
                    delibera,
                    memberships: members.iter().map(|m| m.1.clone()).collect(),
                },
            );
        }
        let mut signed_by_unione: BTreeMap<usize, (Vec<String>, NaiveDate)> = BTreeMap::new();
        for (i, membership, approved) in ready {
            let signed = plus(approved, self.rng.between(2, 14)).min(to);
            let end = self.convention_end(signed.year());
            self.sign(i, &membership, signed, None, end);
            self.at(
                signed,
                Event::ConventionSigned {
                    membership,
                    date: signed,
                    from: None,
                    to: end,
                },
            );
            if let Some(u) = self.enti[i].unione {
                let entry = signed_by_unione.entry(u).or_insert((Vec::new(), signed));
                entry.0.push(self.enti[i].ente.id.clone());
                entry.1 = entry.1.max(signed);
            }
        }
        for (u, (members, on)) in signed_by_unione {
            self.agree(u, members, year, on);
        }
    }

    fn delibera(&mut self, date: NaiveDate, organ: &str) -> Delibera {
        self.next_id += 1;
        Delibera {
            number: format!("{}/{}", self.next_id % 997 + 1, date.year()),
            date,
            organ: organ.to_owned(),
        }
    }

    fn membership_mut(&mut self, i: usize, id: &str) -> &mut Membership {
        self.enti[i]
            .memberships
            .iter_mut()
            .find(|m| m.id == id)
            .expect("a membership of the ente")
    }

    fn approve(&mut self, i: usize, id: &str, delibera: Delibera, by: Option<String>) {
        self.membership_mut(i, id)
            .approve(delibera, by)
            .expect("the generator approves requested memberships");
    }

    fn sign(&mut self, i: usize, id: &str, on: NaiveDate, from: Option<NaiveDate>, to: NaiveDate) {
        self.membership_mut(i, id)
            .sign(on, from, to)
            .expect("the generator signs approved memberships");
    }

    /// The Unione pays its percentage of these members' quotas from `year` on.
    fn agree(&mut self, u: usize, members: Vec<String>, year: i32, on: NaiveDate) {
        let percent = self
            .percent
            .get(&u)
            .copied()
            .unwrap_or(Decimal::ONE_HUNDRED);
        let capofila = self.enti[u].ente.id.clone();
        self.agreements.push(Agreement {
            capofila: capofila.clone(),
            members: members.clone(),
            percent,
            from_year: year,
        });
        self.at(
            on,
            Event::PayerAgreed {
                capofila,
                members,
                share: CapofilaShare::Percent { percent },
                from_year: year,
            },
        );
    }

    fn expire(&mut self, year: i32) {
        let jan1 = ymd(year, 1, 1);
        for i in 0..self.enti.len() {
            let ended: Vec<String> = self.enti[i]
                .memberships
                .iter()
                .filter(|m| matches!(m.state, MembershipState::Active { to, .. } if to < jan1))
                .map(|m| m.id.clone())
                .collect();
            for id in ended {
                self.membership_mut(i, &id)
                    .expire(jan1)
                    .expect("an active membership past its end");
                self.at(
                    jan1,
                    Event::MembershipExpired {
                        membership: id,
                        date: jan1,
                    },
                );
            }
        }
    }

    /// With turnover, a few comuni members since an earlier year withdraw between May and
    /// September, cancelling their services first.
    fn withdraw(&mut self, year: i32) {
        if !self.c.turnover {
            return;
        }
        let jan1 = ymd(year, 1, 1);
        for i in 0..self.enti.len() {
            if self.enti[i].is_unione() {
                continue;
            }
            let Some(m) = self.enti[i].member_on(jan1) else {
                continue;
            };
            let Some((from, to)) = m.state.period() else {
                continue;
            };
            if from >= jan1 || !self.rng.chance(15) {
                continue;
            }
            let on = self.rng.day(ymd(year, 5, 1), ymd(year, 9, 15)).min(to);
            let id = m.id.clone();
            self.cancel_all(i, on, "recesso dalla convenzione");
            let reason = "recesso deliberato dal consiglio comunale".to_owned();
            self.membership_mut(i, &id)
                .withdraw(on, reason.clone())
                .expect("a withdrawal within the membership");
            self.at(
                on,
                Event::MembershipWithdrawn {
                    membership: id,
                    date: on,
                    reason,
                },
            );
            self.withdrawn.insert(i);
        }
    }

    /// With turnover, the comuni that will not renew a convention ending this year.
    fn leaving(&mut self, year: i32) -> BTreeSet<usize> {
        let dec31 = ymd(year, 12, 31);
        let mut out = BTreeSet::new();
        if !self.c.turnover || year == self.c.last_year() {
            return out;
        }
        for i in 0..self.enti.len() {
            let ends = self.enti[i]
                .current()
                .and_then(|m| m.state.period())
                .is_some_and(|(_, to)| to == dec31);
            if ends && !self.enti[i].is_unione() && self.rng.chance(40) {
                out.insert(i);
            }
        }
        out
    }

    /// A convention ending this year is renewed from 1 January (requested in November,
    /// approved, signed in December), except by the enti leaving; each Unione renews its
    /// agreement for its renewing members, at a percentage it may change.
    fn next_convention(&mut self, year: i32, leaving: &BTreeSet<usize>) {
        if year == self.c.last_year() {
            return;
        }
        let dec31 = ymd(year, 12, 31);
        let renewing: Vec<usize> = (0..self.enti.len())
            .filter(|i| !leaving.contains(i))
            .filter(|&i| {
                self.enti[i]
                    .current()
                    .and_then(|m| m.state.period())
                    .is_some_and(|(_, to)| to == dec31)
            })
            .collect();
        if renewing.is_empty() {
            return;
        }
        let start = ymd(year + 1, 1, 1);
        let end = self.convention_end(year + 1);
        let mut by_unione: BTreeMap<usize, Vec<(usize, String)>> = BTreeMap::new();
        let mut ready = Vec::new();
        for i in renewing {
            let membership = self.id("ADE");
            let requested = self.rng.day(ymd(year, 11, 3), ymd(year, 11, 10));
            let m = Membership::request(&membership, &self.enti[i].ente.id, requested);
            self.enti[i].memberships.push(m);
            self.at(
                requested,
                Event::MembershipRequested {
                    membership: membership.clone(),
                    ente: self.enti[i].ente.id.clone(),
                    date: requested,
                },
            );
            match self.enti[i].unione {
                Some(u) => by_unione.entry(u).or_default().push((i, membership)),
                None => {
                    let approved = self.rng.day(ymd(year, 11, 15), ymd(year, 12, 1));
                    let organ = if self.enti[i].is_unione() {
                        "Consiglio dell'Unione"
                    } else {
                        "Consiglio comunale"
                    };
                    let delibera = self.delibera(approved, organ);
                    self.approve(i, &membership, delibera.clone(), None);
                    self.at(
                        approved,
                        Event::MembershipApproved {
                            membership: membership.clone(),
                            delibera,
                        },
                    );
                    ready.push((i, membership));
                }
            }
        }
        for (u, members) in by_unione {
            let approved = ymd(year, 12, 2);
            let delibera = self.delibera(approved, "Consiglio dell'Unione");
            let capofila = self.enti[u].ente.id.clone();
            for (i, membership) in &members {
                self.approve(*i, membership, delibera.clone(), Some(capofila.clone()));
                ready.push((*i, membership.clone()));
            }
            self.at(
                approved,
                Event::UnioneApproved {
                    unione: capofila,
                    delibera,
                    memberships: members.iter().map(|m| m.1.clone()).collect(),
                },
            );
            let ids: Vec<String> = members
                .iter()
                .map(|(i, _)| self.enti[*i].ente.id.clone())
                .collect();
            if self.rng.chance(300) {
                let percent = Decimal::from(*self.rng.pick(&[30, 40, 50, 60]));
                self.percent.insert(u, percent);
            }
            self.agree(u, ids, year + 1, ymd(year, 12, 19));
        }
        for (i, membership) in ready {
            let signed = self.rng.day(ymd(year, 12, 5), ymd(year, 12, 18));
            self.sign(i, &membership, signed, Some(start), end);
            self.at(
                signed,
                Event::ConventionSigned {
                    membership,
                    date: signed,
                    from: Some(start),
                    to: end,
                },
            );
        }
    }

    // ─── services ─────────────────────────────────────────────────────────────────────

    /// Requests between `from` and `to` by `per_mille` of the members (and a few
    /// non-members, SPID and PEC at list price), each activated within `days` days or,
    /// now and then, withdrawn before.
    fn request_services(&mut self, from: NaiveDate, to: NaiveDate, percent: u64, days: u64) {
        if !self.c.services {
            return;
        }
        for i in 0..self.enti.len() {
            if self.withdrawn.contains(&i) {
                continue;
            }
            let requested = self.rng.day(from, to);
            let activated = plus(requested, self.rng.between(3, days));
            let member = self.enti[i].member_on(requested).is_some()
                && self.enti[i].member_on(activated).is_some();
            let wants = if member {
                self.rng.chance(percent * 10)
            } else {
                self.rng.chance(30)
            };
            if !wants {
                continue;
            }
            let roll = self.rng.below(100);
            let mut acc = 0;
            let mut service = "spid";
            for (code, weight) in SERVICES {
                acc += weight;
                if roll < acc {
                    service = code;
                    break;
                }
            }
            // A non-member may buy only SPID and PEC here; an Unione has no abitanti, which
            // the allowances and the per-abitante price need (the registry refuses the
            // request: missing_count).
            let limited = !member || self.enti[i].is_unione();
            if limited && !matches!(service, "spid" | "pec") {
                service = if roll % 2 == 0 { "spid" } else { "pec" };
            }
            let held = self.enti[i].subs.iter().any(|&s| {
                self.subs[s].service == service
                    && matches!(
                        self.subs[s].state,
                        SubscriptionState::Active { .. } | SubscriptionState::Requested
                    )
            });
            if held {
                continue;
            }
            let (quantity, people) = match service {
                "spid" => {
                    let q = self.rng.between(1, 6);
                    let people = if self.rng.chance(500) {
                        (1..=q)
                            .map(|k| format!("Persona {k} di {}", self.enti[i].ente.id))
                            .collect()
                    } else {
                        Vec::new()
                    };
                    (q, people)
                }
                "conservazione" => (self.rng.between(1, 5), Vec::new()),
                "telemaco" => (self.rng.between(50, 900), Vec::new()),
                "pec" => (self.rng.between(1, 8), Vec::new()),
                _ => (1, Vec::new()),
            };
            let id = self.id("RIC");
            let catalogue = self
                .tariff_on(requested)
                .service(service)
                .expect("a service of the catalogue")
                .clone();
            let ente = self.enti[i].ente.id.clone();
            self.subs.push(Subscription {
                id: id.clone(),
                ente: ente.clone(),
                service: service.to_owned(),
                billing: catalogue.billing,
                renewal: catalogue.renewal,
                quantity,
                contact: "Ufficio segreteria".to_owned(),
                people: people.clone(),
                requested,
                state: SubscriptionState::Requested,
            });
            let s = self.subs.len() - 1;
            self.enti[i].subs.push(s);
            self.at(
                requested,
                Event::SubscriptionRequested {
                    subscription: id.clone(),
                    ente,
                    service: service.to_owned(),
                    quantity,
                    contact: "Ufficio segreteria".to_owned(),
                    people,
                    date: requested,
                },
            );
            if self.c.corrections && self.rng.chance(50) {
                let reason = "richiesta ritirata dall'ente".to_owned();
                self.subs[s]
                    .cancel(activated, reason.clone())
                    .expect("a requested subscription can be cancelled");
                self.at(
                    activated,
                    Event::SubscriptionCancelled {
                        subscription: id,
                        date: activated,
                        reason,
                        conditions: Vec::new(),
                    },
                );
            } else {
                self.subs[s]
                    .activate(activated)
                    .expect("a requested subscription can be activated");
                self.at(
                    activated,
                    Event::SubscriptionActivated {
                        subscription: id,
                        date: activated,
                    },
                );
            }
        }
    }

    /// Cancels every subscription of ente `i` that can be (requested or active) on `on`.
    fn cancel_all(&mut self, i: usize, on: NaiveDate, reason: &str) {
        for k in 0..self.enti[i].subs.len() {
            let s = self.enti[i].subs[k];
            if matches!(
                self.subs[s].state,
                SubscriptionState::Active { .. } | SubscriptionState::Requested
            ) {
                self.subs[s]
                    .cancel(on, reason.to_owned())
                    .expect("an active subscription can be cancelled");
                let subscription = self.subs[s].id.clone();
                self.at(
                    on,
                    Event::SubscriptionCancelled {
                        subscription,
                        date: on,
                        reason: reason.to_owned(),
                        conditions: Vec::new(),
                    },
                );
            }
        }
    }

    /// A few canoni active since an earlier year are cancelled between May and September;
    /// with corrections, some with conditions (charged at once, due in 30 days).
    fn cancel_services(&mut self, year: i32) {
        if !self.c.services {
            return;
        }
        for s in 0..self.subs.len() {
            let SubscriptionState::Active { from, .. } = self.subs[s].state else {
                continue;
            };
            if from.year() >= year || !self.rng.chance(30) {
                continue;
            }
            let on = self.rng.day(ymd(year, 5, 1), ymd(year, 9, 30));
            let reason = "passaggio ad altro fornitore".to_owned();
            let conditions = if self.c.corrections && self.rng.chance(400) {
                let amount =
                    Money::from_cents(i64::try_from(self.rng.between(0, 250)).unwrap_or(0) * 100);
                vec![Condition {
                    label: "Costi di avvio non recuperati".to_owned(),
                    amount,
                }]
            } else {
                Vec::new()
            };
            self.subs[s]
                .cancel(on, reason.clone())
                .expect("an active subscription can be cancelled");
            let id = self.subs[s].id.clone();
            if !conditions.is_empty() {
                let amount: i64 = conditions.iter().map(|c| cents(c.amount)).sum();
                *self.due.entry(self.subs[s].ente.clone()).or_default() += amount;
            }
            self.at(
                on,
                Event::SubscriptionCancelled {
                    subscription: id,
                    date: on,
                    reason,
                    conditions,
                },
            );
        }
    }

    /// The renewal campaign in November: each canone renewed on confirmation and covering
    /// `year` is confirmed, declined or left to lapse; the enti leaving cancel everything.
    fn renewal_campaign(&mut self, year: i32, leaving: &BTreeSet<usize>) {
        if !self.c.services {
            return;
        }
        for &i in leaving {
            self.cancel_all(i, ymd(year, 11, 10), "mancato rinnovo dell'adesione");
        }
        for s in 0..self.subs.len() {
            let sub = &self.subs[s];
            let open =
                matches!(sub.state, SubscriptionState::Active { through, .. } if through == year);
            if !open || sub.billing != Billing::Canone || sub.renewal != Renewal::Confirm {
                continue;
            }
            let on = self.rng.day(ymd(year, 11, 2), ymd(year, 11, 30));
            let subscription = sub.id.clone();
            match self.rng.below(100) {
                0..88 => {
                    self.subs[s]
                        .confirm(year + 1)
                        .expect("a canone covering the year can be confirmed");
                    self.at(
                        on,
                        Event::RenewalConfirmed {
                            subscription,
                            year: year + 1,
                            date: on,
                        },
                    );
                }
                88..95 => {
                    self.subs[s]
                        .decline(year + 1)
                        .expect("a canone covering the year can be declined");
                    self.at(
                        on,
                        Event::RenewalDeclined {
                            subscription,
                            year: year + 1,
                            date: on,
                        },
                    );
                }
                _ => {} // no answer: it lapses at the year's close
            }
        }
    }

    // ─── billing ──────────────────────────────────────────────────────────────────────

    /// The shares of a quota (R-PAYER), as the registry splits it.
    fn quota_shares(&self, ente: &str, year: i32, total: Money) -> Vec<(String, i64)> {
        let agreement = self
            .agreements
            .iter()
            .rev()
            .find(|a| a.from_year <= year && a.members.iter().any(|m| m == ente));
        let Some(a) = agreement else {
            return vec![(ente.to_owned(), cents(total))];
        };
        let parts = split_largest_remainder(total, &[a.percent, Decimal::ONE_HUNDRED - a.percent])
            .expect("a split of the quota");
        let capofila = cents(parts[0]);
        let member = cents(total) - capofila;
        let mut shares = Vec::new();
        if capofila != 0 {
            shares.push((a.capofila.clone(), capofila));
        }
        if member != 0 || shares.is_empty() {
            shares.push((ente.to_owned(), member));
        }
        shares
    }

    /// Emits the billing run of `year` if it issues anything, as the registry would bill
    /// it (R-RUN): the quota of each membership covering the year, each service charge of
    /// a subscription covering it (none for a zero amount), a key billed once unless its
    /// last charge was reversed.
    fn bill(&mut self, year: i32, issued: NaiveDate, due: NaiveDate, main_run: bool) {
        let (jan1, dec31) = (ymd(year, 1, 1), ymd(year, 12, 31));
        let mut drafts: Vec<(String, Vec<(String, i64)>)> = Vec::new();
        for e in &self.enti {
            let membership = e
                .memberships
                .iter()
                .filter_map(|m| Some((m, m.state.period()?)))
                .filter(|(_, (from, to))| *from <= dec31 && jan1 <= *to)
                .min_by_key(|(m, (from, _))| (*from, m.id.clone()));
            if let Some((_, (from, _))) = membership {
                let tariff = self.tariff_on(from.max(jan1));
                let quote = if from > jan1 {
                    tariff.quote_from(&e.ente, year, from)
                } else {
                    tariff.quote(&e.ente, year)
                }
                .expect("a quota");
                drafts.push((
                    format!("Q{year}-{}", e.ente.id),
                    self.quota_shares(&e.ente.id, year, quote.total()),
                ));
            }
            for &s in &e.subs {
                let s = &self.subs[s];
                let Some((first, last)) = s.billed_years() else {
                    continue;
                };
                if year < first || year > last {
                    continue;
                }
                let Some(start) = s.start_in(year) else {
                    continue;
                };
                let sq = self
                    .tariff_on(start)
                    .price_service(&e.ente, &s.service, s.quantity, &e.standing(start), start)
                    .expect("a service the ente may have");
                if !sq.total().is_zero() {
                    drafts.push((
                        format!("S{year}-{}", s.id),
                        vec![(e.ente.id.clone(), cents(sq.total()))],
                    ));
                }
            }
        }
        let mut issued_now = Vec::new();
        for (key, shares) in drafts {
            let times = self.billed.get(&key).copied().unwrap_or(0);
            if times > 0 {
                let last = if times == 1 {
                    key.clone()
                } else {
                    format!("{key}/{times}")
                };
                if !self.reversed.contains(&last) {
                    continue;
                }
            }
            let next = times + 1;
            let id = if next == 1 {
                key.clone()
            } else {
                format!("{key}/{next}")
            };
            self.billed.insert(key, next);
            issued_now.push(Issued {
                id,
                shares,
                main_run,
            });
        }
        if issued_now.is_empty() {
            return;
        }
        for c in &issued_now {
            for (payer, amount) in &c.shares {
                *self.due.entry(payer.clone()).or_default() += amount;
            }
        }
        self.year_charges.extend(issued_now);
        self.at(issued, Event::BillingRun { year, issued, due });
    }

    // ─── payments and corrections ─────────────────────────────────────────────────────

    /// A payment of `amount` cents by `payer` on a day from `from` to `to`.
    fn payment(
        &mut self,
        payer: &str,
        (from, to): (NaiveDate, NaiveDate),
        amount: i64,
        charge: Option<String>,
    ) -> String {
        let date = self.rng.day(from, to);
        let id = self.id("REV");
        *self.due.entry(payer.to_owned()).or_default() -= amount;
        self.at(
            date,
            Event::PaymentReceived {
                payment: id.clone(),
                payer: payer.to_owned(),
                date,
                amount: Money::from_cents(amount),
                charge,
                channel: None,
            },
        );
        id
    }

    /// A charge of this year in force with a share owed by `payer`.
    fn charge_of(&self, payer: &str) -> Option<String> {
        self.year_charges
            .iter()
            .filter(|c| !self.reversed.contains(&c.id))
            .find(|c| c.shares.iter().any(|(p, _)| p == payer))
            .map(|c| c.id.clone())
    }

    /// Between March and September each payer pays what it owes: in full, in two
    /// instalments, and with corrections also partly, too much, or not at all; some
    /// payments name a charge, a few are reversed (bounced) and usually paid again.
    fn pay_after_run(&mut self, year: i32) {
        let payers: Vec<(String, i64)> = self
            .due
            .iter()
            .filter(|(_, d)| **d > 0)
            .map(|(p, d)| (p.clone(), *d))
            .collect();
        let (mar, may, jun, jul, aug, sep) = (
            ymd(year, 3, 5),
            ymd(year, 5, 31),
            ymd(year, 6, 1),
            ymd(year, 7, 31),
            ymd(year, 8, 1),
            ymd(year, 9, 30),
        );
        for (payer, owed) in payers {
            let named = if self.rng.chance(250) {
                self.charge_of(&payer)
            } else {
                None
            };
            let roll = self.rng.below(100);
            let mut made = Vec::new();
            if !self.c.corrections {
                if roll < 75 {
                    made.push(self.payment(&payer, (mar, jul), owed, named));
                } else {
                    let half = owed / 2;
                    if half > 0 {
                        made.push(self.payment(&payer, (mar, may), half, named));
                    }
                    made.push(self.payment(&payer, (jun, sep), owed - half, None));
                }
                continue;
            }
            match roll {
                0..6 => {} // pays nothing this year
                6..62 => made.push(self.payment(&payer, (mar, jul), owed, named)),
                62..70 => {
                    let part = owed * i64::try_from(self.rng.between(40, 80)).unwrap_or(50) / 100;
                    if part > 0 {
                        made.push(self.payment(&payer, (mar, jul), part, named));
                    }
                }
                70..90 => {
                    let part = owed * i64::try_from(self.rng.between(30, 70)).unwrap_or(50) / 100;
                    if part > 0 {
                        made.push(self.payment(&payer, (mar, may), part, named));
                    }
                    made.push(self.payment(&payer, (aug, sep), owed - part, None));
                }
                _ => {
                    let more =
                        owed * i64::try_from(self.rng.between(105, 140)).unwrap_or(110) / 100;
                    made.push(self.payment(&payer, (mar, jul), more, named));
                }
            }
            for id in made {
                if self.rng.chance(25) {
                    self.bounce(&id);
                }
            }
        }
    }

    /// Reverses payment `id` 3 to 20 days after it; most payers pay again.
    fn bounce(&mut self, id: &str) {
        let Some((date, payer, amount)) = self.phase.iter().find_map(|(d, e)| match e {
            Event::PaymentReceived {
                payment,
                payer,
                amount,
                ..
            } if payment == id => Some((*d, payer.clone(), cents(*amount))),
            _ => None,
        }) else {
            return;
        };
        // Within the phase (by 30 September), on or after the payment.
        let end = ymd(date.year(), 9, 30).max(date);
        let on = plus(date, self.rng.between(3, 20)).min(end);
        let reversal = self.id("STO");
        *self.due.entry(payer.clone()).or_default() += amount;
        self.at(
            on,
            Event::PaymentReversed {
                id: reversal,
                payment: id.to_owned(),
                date: on,
                reason: "bonifico respinto".to_owned(),
            },
        );
        if self.rng.chance(800) {
            let again = plus(on, self.rng.between(5, 15)).min(end);
            self.payment(&payer, (again, again), amount, None);
        }
    }

    /// With corrections, a few charges of the March run are reversed between June and
    /// September (the October run issues them again).
    fn reverse_charges(&mut self, year: i32) {
        if !self.c.corrections {
            return;
        }
        for k in 0..self.year_charges.len() {
            if !self.year_charges[k].main_run || !self.rng.chance(20) {
                continue;
            }
            let on = self.rng.day(ymd(year, 6, 1), ymd(year, 9, 30));
            let id = self.year_charges[k].id.clone();
            for (payer, amount) in self.year_charges[k].shares.clone() {
                *self.due.entry(payer).or_default() -= amount;
            }
            self.reversed.insert(id.clone());
            let reason = *self
                .rng
                .pick(&["conteggi errati", "abitanti da aggiornare"]);
            self.at(
                on,
                Event::ChargeReversed {
                    charge: id,
                    date: on,
                    reason: reason.to_owned(),
                },
            );
        }
    }

    /// After the October run, half of the payers that owe something settle it in November
    /// or December (not in the billing-only shape).
    fn settle(&mut self, year: i32) {
        if !self.c.corrections && !self.c.services && !self.c.turnover {
            return;
        }
        let payers: Vec<(String, i64)> = self
            .due
            .iter()
            .filter(|(_, d)| **d > 0)
            .map(|(p, d)| (p.clone(), *d))
            .collect();
        for (payer, owed) in payers {
            if self.rng.chance(500) {
                self.payment(&payer, (ymd(year, 11, 1), ymd(year, 12, 15)), owed, None);
            }
        }
    }
}
