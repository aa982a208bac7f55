//! The catalogue: the tariff versions (R-RUN) and the registered enti, each with its own
//! codice fiscale (R-NOTICE); the aggregate every other one looks enti and tariffs up in.

use chrono::NaiveDate;

use super::duplicate;
use super::memberships::Memberships;
use super::undo::{Keyed, Log, Lookup};
use crate::tariff::ServiceQuote;
use crate::{Ente, EnteKind, Error, Result, Rule, Tariff};

/// The tariff versions and the registered enti.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Catalogue {
    tariffs: Log<Tariff>,
    enti: Keyed<String, Ente>,
    /// Codice fiscale → the ente that has it: no two enti share one (R-NOTICE).
    codici_fiscali: Lookup<String, String>,
}

impl Catalogue {
    /// The tariff versions, in order of adoption.
    pub(crate) fn tariffs(&self) -> &[Tariff] {
        self.tariffs.as_slice()
    }

    /// The tariff version that applies on `date` (R-RUN).
    pub(crate) fn tariff_on(&self, date: NaiveDate) -> Result<&Tariff> {
        self.tariffs
            .as_slice()
            .iter()
            .find(|t| t.document().period.contains(date))
            .ok_or(Error::NoTariffOn { date })
    }

    /// A registered ente.
    pub(crate) fn ente(&self, id: &str) -> Result<&Ente> {
        self.enti.get(id).ok_or_else(|| Error::UnknownEnte {
            ente: id.to_owned(),
        })
    }

    /// A registered Unione di Comuni or Comunità Montana: the enti that approve the
    /// convention for their members (R-JOIN) and pay for them (R-PAYER). `path` and `rule`
    /// name the field and the rule in the error.
    pub(crate) fn grouping(&self, id: &str, path: &str, rule: Rule) -> Result<&Ente> {
        let ente = self.ente(id)?;
        if !matches!(ente.kind, EnteKind::Unione | EnteKind::ComunitaMontana) {
            return Err(Error::InvalidValue {
                path: path.to_owned(),
                expected: format!("an Unione di Comuni or Comunità Montana ({rule})"),
                found: format!("`{id}`, a {}", ente.kind),
            });
        }
        Ok(ente)
    }

    /// Every registered ente, by id.
    pub(crate) fn enti(&self) -> impl Iterator<Item = &Ente> {
        self.enti.values()
    }

    /// The ids of every registered ente, in order.
    pub(crate) fn ente_ids(&self) -> impl Iterator<Item = &String> {
        self.enti.keys()
    }

    /// Prices a service for a registered ente on a date, with the tariff of that date and
    /// the member price only if a membership is active on it (R-JOIN, R-TIER).
    pub(crate) fn price_service(
        &self,
        memberships: &Memberships,
        ente: &str,
        service: &str,
        quantity: u64,
        date: NaiveDate,
    ) -> Result<ServiceQuote> {
        let e = self.ente(ente)?;
        let tariff = self.tariff_on(date)?;
        tariff.price_service(
            e,
            service,
            quantity,
            &memberships.standing(ente, date),
            date,
        )
    }

    /// Keeps every change since the last commit.
    pub(crate) fn commit(&mut self) {
        self.tariffs.commit();
        self.enti.commit();
        self.codici_fiscali.commit();
    }

    /// Undoes every change since the last commit.
    pub(crate) fn rollback(&mut self) {
        self.tariffs.rollback();
        self.enti.rollback();
        self.codici_fiscali.rollback();
    }

    /// Adopts a tariff version: refused if another has its id or a period that overlaps
    /// its own.
    pub(crate) fn adopt(&mut self, tariff: &Tariff) -> Result<()> {
        let doc = tariff.document();
        for other in self.tariffs.as_slice() {
            if other.id() == tariff.id() {
                return Err(duplicate("tariff", tariff.id()));
            }
            let p = other.document().period;
            if doc.period.from <= p.to && p.from <= doc.period.to {
                return Err(Error::TariffOverlap {
                    tariff: tariff.id().to_owned(),
                    other: other.id().to_owned(),
                    from: doc.period.from,
                    to: doc.period.to,
                });
            }
        }
        self.tariffs.push(tariff.clone());
        Ok(())
    }

    /// Registers an ente: refused if it is not valid, or if another has its id or its
    /// codice fiscale.
    pub(crate) fn register(&mut self, ente: &Ente) -> Result<()> {
        ente.validate()?;
        if self.enti.contains_key(&ente.id) {
            return Err(duplicate("ente", &ente.id));
        }
        if let Some(cf) = &ente.codice_fiscale {
            self.claim_codice_fiscale(cf, &ente.id, "ente.codice_fiscale")?;
        }
        self.enti.insert(ente.id.clone(), ente.clone());
        Ok(())
    }

    /// Records the codice fiscale of an ente registered without one (R-NOTICE).
    pub(crate) fn record_codice_fiscale(&mut self, id: &str, cf: &str) -> Result<()> {
        crate::pagopa::check_codice_fiscale(cf, "codice_fiscale")?;
        let mut ente = self.ente(id)?.clone();
        if let Some(had) = &ente.codice_fiscale {
            return Err(Error::IllegalTransition {
                entity: "ente",
                id: id.to_owned(),
                state: format!("recorded with the codice fiscale {had}"),
                action: "record another",
                rule: Rule::Notice,
            });
        }
        self.claim_codice_fiscale(cf, id, "codice_fiscale")?;
        ente.codice_fiscale = Some(cf.to_owned());
        self.enti.insert(id.to_owned(), ente);
        Ok(())
    }

    /// Gives `cf` to ente `id`, if no other ente has it.
    pub(crate) fn claim_codice_fiscale(&mut self, cf: &str, id: &str, path: &str) -> Result<()> {
        if let Some(other) = self.codici_fiscali.get(cf) {
            return Err(Error::InvalidValue {
                path: path.to_owned(),
                expected: "a codice fiscale no other ente has (R-NOTICE)".to_owned(),
                found: format!("{cf}, the codice fiscale of `{other}`"),
            });
        }
        self.codici_fiscali.insert(cf.to_owned(), id.to_owned());
        Ok(())
    }
}
