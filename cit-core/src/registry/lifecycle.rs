//! Memberships (R-JOIN) and subscriptions (R-ACT, R-RENEW, R-CANCEL) as explicit state
//! machines. Every transition is a method that either moves to the next state or returns
//! [`Error::IllegalTransition`] and leaves the value exactly as it was.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::tariff::{Billing, Renewal};
use crate::{Error, Result, Rule};

/// A formal act approving something: number, date, organ (R-JOIN).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Delibera {
    /// The act's number (`"45/2021"`).
    pub number: String,
    /// The act's date.
    #[schemars(with = "crate::schema::Date")]
    #[serde(with = "crate::date_serde")]
    pub date: NaiveDate,
    /// The organ that adopted it (`"Consiglio comunale"`).
    pub organ: String,
}

/// The states of a membership (R-JOIN).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum MembershipState {
    /// Asked for; no delibera yet.
    Requested,
    /// The delibera approving the convention scheme is adopted.
    Approved,
    /// The convention is signed: member from `from` to `to`, both included.
    Active {
        /// First day of membership.
        #[schemars(with = "crate::schema::Date")]
        #[serde(with = "crate::date_serde")]
        from: NaiveDate,
        /// Last day (the end of the convention period).
        #[schemars(with = "crate::schema::Date")]
        #[serde(with = "crate::date_serde")]
        to: NaiveDate,
    },
    /// Withdrawn: was a member from `from` to `until`, both included.
    Withdrawn {
        /// First day of membership.
        #[schemars(with = "crate::schema::Date")]
        #[serde(with = "crate::date_serde")]
        from: NaiveDate,
        /// Last day of membership (the withdrawal date).
        #[schemars(with = "crate::schema::Date")]
        #[serde(with = "crate::date_serde")]
        until: NaiveDate,
        /// Why.
        reason: String,
    },
    /// The convention period ended.
    Expired {
        /// First day of membership.
        #[schemars(with = "crate::schema::Date")]
        #[serde(with = "crate::date_serde")]
        from: NaiveDate,
        /// Last day of membership.
        #[schemars(with = "crate::schema::Date")]
        #[serde(with = "crate::date_serde")]
        to: NaiveDate,
    },
}

impl MembershipState {
    /// The state's name, as errors print it (`"withdrawn"`).
    pub fn name(&self) -> &'static str {
        match self {
            MembershipState::Requested => "requested",
            MembershipState::Approved => "approved",
            MembershipState::Active { .. } => "active",
            MembershipState::Withdrawn { .. } => "withdrawn",
            MembershipState::Expired { .. } => "expired",
        }
    }

    /// The days of membership, both included, once the convention is signed.
    pub fn period(&self) -> Option<(NaiveDate, NaiveDate)> {
        match self {
            MembershipState::Requested | MembershipState::Approved => None,
            MembershipState::Active { from, to } | MembershipState::Expired { from, to } => {
                Some((*from, *to))
            }
            MembershipState::Withdrawn { from, until, .. } => Some((*from, *until)),
        }
    }
}

/// An ente's membership (*adesione*) in a convention (R-JOIN).
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// use cit_core::{Delibera, Membership};
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2021, m, day).unwrap();
/// let mut m = Membership::request("A-1", "017001", d(1, 10));
/// let delibera = Delibera { number: "12".into(), date: d(2, 1), organ: "Consiglio comunale".into() };
/// m.approve(delibera, None)?;
/// m.sign(d(3, 1), None, d(12, 31))?;
/// assert!(m.active_on(d(6, 30)));
/// // Approving again is illegal and changes nothing.
/// let again = Delibera { number: "13".into(), date: d(3, 2), organ: "Giunta".into() };
/// let err = m.approve(again, None).unwrap_err();
/// assert_eq!(err.to_string(), "membership `A-1` is active: cannot approve (R-JOIN)");
/// assert!(m.active_on(d(6, 30)));
/// # Ok::<(), cit_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Membership {
    /// The membership's id.
    pub id: String,
    /// The member ente's id.
    pub ente: String,
    /// The date of the request.
    #[schemars(with = "crate::schema::Date")]
    #[serde(with = "crate::date_serde")]
    pub requested: NaiveDate,
    /// The delibera that approved it, once approved.
    pub delibera: Option<Delibera>,
    /// The Unione that approved it for its member, if any (R-JOIN).
    pub approved_by: Option<String>,
    /// Where it is in its lifecycle.
    pub state: MembershipState,
}

impl Membership {
    /// A new membership request.
    pub fn request(id: impl Into<String>, ente: impl Into<String>, date: NaiveDate) -> Membership {
        Membership {
            id: id.into(),
            ente: ente.into(),
            requested: date,
            delibera: None,
            approved_by: None,
            state: MembershipState::Requested,
        }
    }

    fn illegal(&self, action: &'static str) -> Error {
        Error::IllegalTransition {
            entity: "membership",
            id: self.id.clone(),
            state: self.state.name().to_owned(),
            action,
            rule: Rule::Join,
        }
    }

    /// True if the membership is active on `date` (member prices apply, R-JOIN).
    pub fn active_on(&self, date: NaiveDate) -> bool {
        self.state
            .period()
            .is_some_and(|(from, to)| from <= date && date <= to)
    }

    /// Requested → approved, by the ente's delibera or by an Unione's for its members.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] unless requested.
    pub fn approve(&mut self, delibera: Delibera, by: Option<String>) -> Result<()> {
        if self.state != MembershipState::Requested {
            return Err(self.illegal("approve"));
        }
        self.delibera = Some(delibera);
        self.approved_by = by;
        self.state = MembershipState::Approved;
        Ok(())
    }

    /// Approved → active: the convention is signed on `signed`; membership runs from
    /// `start` (default: the signing) to `to`, the end of the convention period.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] unless approved; [`Error::InvalidValue`] if `to` is
    /// before the start.
    pub fn sign(
        &mut self,
        signed: NaiveDate,
        start: Option<NaiveDate>,
        to: NaiveDate,
    ) -> Result<()> {
        if self.state != MembershipState::Approved {
            return Err(self.illegal("sign the convention"));
        }
        let from = start.unwrap_or(signed);
        if to < from {
            return Err(Error::InvalidValue {
                path: "to".to_owned(),
                expected: format!("the end of the convention, on or after {from} (R-JOIN)"),
                found: to.to_string(),
            });
        }
        self.state = MembershipState::Active { from, to };
        Ok(())
    }

    /// Active → withdrawn on `on` (the last day of membership).
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] unless active; [`Error::InvalidValue`] if `on` is
    /// outside the membership.
    pub fn withdraw(&mut self, on: NaiveDate, reason: String) -> Result<()> {
        let MembershipState::Active { from, to } = self.state else {
            return Err(self.illegal("withdraw"));
        };
        if on < from || on > to {
            return Err(Error::InvalidValue {
                path: "date".to_owned(),
                expected: format!("a day of the membership, {from} to {to} (R-JOIN)"),
                found: on.to_string(),
            });
        }
        self.state = MembershipState::Withdrawn {
            from,
            until: on,
            reason,
        };
        Ok(())
    }

    /// Active → expired, on a day after the end of the convention period.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] unless active; [`Error::InvalidValue`] if `on` is not
    /// after the period.
    pub fn expire(&mut self, on: NaiveDate) -> Result<()> {
        let MembershipState::Active { from, to } = self.state else {
            return Err(self.illegal("expire"));
        };
        if on <= to {
            return Err(Error::InvalidValue {
                path: "date".to_owned(),
                expected: format!("a day after the end of the membership, {to} (R-JOIN)"),
                found: on.to_string(),
            });
        }
        self.state = MembershipState::Expired { from, to };
        Ok(())
    }
}

/// The states of a subscription to a service (R-ACT, R-RENEW, R-CANCEL).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SubscriptionState {
    /// Formally requested, not yet activated.
    Requested,
    /// A one-off service, delivered (and charged once, R-BILL).
    Delivered {
        /// The day of delivery.
        #[schemars(with = "crate::schema::Date")]
        #[serde(with = "crate::date_serde")]
        on: NaiveDate,
    },
    /// A canone, active from `from` and covering the years up to `through`.
    Active {
        /// The day of activation.
        #[schemars(with = "crate::schema::Date")]
        #[serde(with = "crate::date_serde")]
        from: NaiveDate,
        /// The last year covered (renewals extend it, R-RENEW).
        through: i32,
    },
    /// Not renewed: covered the years up to `through`.
    Lapsed {
        /// The day of activation.
        #[schemars(with = "crate::schema::Date")]
        #[serde(with = "crate::date_serde")]
        from: NaiveDate,
        /// The last year covered.
        through: i32,
        /// True if the ente declined; false if it did not confirm by the year's close.
        declined: bool,
    },
    /// Cancelled (*disdetta*) with a reason (R-CANCEL).
    Cancelled {
        /// The day of cancellation.
        #[schemars(with = "crate::schema::Date")]
        #[serde(with = "crate::date_serde")]
        on: NaiveDate,
        /// Why.
        reason: String,
        /// The day of activation, if it had been activated.
        #[schemars(with = "Option<crate::schema::Date>")]
        #[serde(with = "crate::date_serde::option")]
        from: Option<NaiveDate>,
        /// The last year covered before the cancellation, if activated.
        through: Option<i32>,
    },
}

impl SubscriptionState {
    /// The state's name, as errors print it.
    pub fn name(&self) -> String {
        match self {
            SubscriptionState::Requested => "requested".to_owned(),
            SubscriptionState::Delivered { .. } => "delivered".to_owned(),
            SubscriptionState::Active { through, .. } => format!("active through {through}"),
            SubscriptionState::Lapsed { through, .. } => format!("lapsed after {through}"),
            SubscriptionState::Cancelled { .. } => "cancelled".to_owned(),
        }
    }
}

/// A formal request of a service by an ente, and its life (R-ACT, R-RENEW, R-CANCEL).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Subscription {
    /// The subscription's id.
    pub id: String,
    /// The ente that asked for it.
    pub ente: String,
    /// The service's code.
    pub service: String,
    /// Copied from the catalogue at the request (R-BILL).
    pub billing: Billing,
    /// Copied from the catalogue at the request (R-RENEW).
    pub renewal: Renewal,
    /// Units requested (R-ACT).
    pub quantity: u64,
    /// The contact person (R-ACT).
    pub contact: String,
    /// The people served, one unit each (R-ACT), for per-person services.
    pub people: Vec<String>,
    /// The day of the request.
    #[schemars(with = "crate::schema::Date")]
    #[serde(with = "crate::date_serde")]
    pub requested: NaiveDate,
    /// Where it is in its lifecycle.
    pub state: SubscriptionState,
}

impl Subscription {
    fn illegal(&self, action: &'static str, rule: Rule) -> Error {
        Error::IllegalTransition {
            entity: "subscription",
            id: self.id.clone(),
            state: self.state.name(),
            action,
            rule,
        }
    }

    /// Requested → delivered (una tantum) or active (canone) on `on` (R-ACT).
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] unless requested; [`Error::InvalidValue`] if `on` is
    /// before the request.
    pub fn activate(&mut self, on: NaiveDate) -> Result<()> {
        if self.state != SubscriptionState::Requested {
            return Err(self.illegal("activate", Rule::Act));
        }
        if on < self.requested {
            return Err(Error::InvalidValue {
                path: "date".to_owned(),
                expected: format!("a day on or after the request, {} (R-ACT)", self.requested),
                found: on.to_string(),
            });
        }
        self.state = match self.billing {
            Billing::UnaTantum => SubscriptionState::Delivered { on },
            Billing::Canone => SubscriptionState::Active {
                from: on,
                through: on.year(),
            },
        };
        Ok(())
    }

    fn renewable_into(&self, year: i32, action: &'static str) -> Result<NaiveDate> {
        match self.state {
            SubscriptionState::Active { from, through }
                if self.billing == Billing::Canone
                    && self.renewal == Renewal::Confirm
                    && Some(through) == year.checked_sub(1) =>
            {
                Ok(from)
            }
            _ => Err(self.illegal(action, Rule::Renew)),
        }
    }

    /// Confirms the renewal of a canone into `year` (R-RENEW): it must cover `year − 1`
    /// and renew on confirmation (not tacitly).
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] otherwise (already renewed, lapsed, una tantum, tacit).
    pub fn confirm(&mut self, year: i32) -> Result<()> {
        let from = self.renewable_into(year, "confirm the renewal")?;
        self.state = SubscriptionState::Active {
            from,
            through: year,
        };
        Ok(())
    }

    /// Declines the renewal into `year`: the subscription lapses after `year − 1`.
    ///
    /// # Errors
    /// As [`Subscription::confirm`].
    pub fn decline(&mut self, year: i32) -> Result<()> {
        let from = self.renewable_into(year, "decline the renewal")?;
        self.state = SubscriptionState::Lapsed {
            from,
            through: year - 1,
            declined: true,
        };
        Ok(())
    }

    /// Whether the close of `year` changes it: a canone covering `year` and not yet
    /// renewed (R-RENEW).
    pub fn closes_in(&self, year: i32) -> bool {
        matches!(self.state, SubscriptionState::Active { through, .. } if through == year)
            && self.billing == Billing::Canone
    }

    /// The close of `year` (R-RENEW): a canone covering `year` and not yet renewed renews
    /// by itself if tacit, lapses otherwise. Any other subscription is left as it is.
    pub fn close_year(&mut self, year: i32) {
        if let SubscriptionState::Active { from, through } = self.state {
            if self.closes_in(year) {
                self.state = match (self.renewal, year.checked_add(1)) {
                    (Renewal::Tacit, Some(next)) => SubscriptionState::Active {
                        from,
                        through: next,
                    },
                    _ => SubscriptionState::Lapsed {
                        from,
                        through,
                        declined: false,
                    },
                };
            }
        }
    }

    /// Cancels a requested or active subscription on `on` with a reason (R-CANCEL).
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] if delivered, lapsed or already cancelled;
    /// [`Error::InvalidValue`] if `on` is before the request.
    pub fn cancel(&mut self, on: NaiveDate, reason: String) -> Result<()> {
        let (from, through) = match self.state {
            SubscriptionState::Requested => (None, None),
            SubscriptionState::Active { from, through } => (Some(from), Some(through)),
            _ => return Err(self.illegal("cancel", Rule::Cancel)),
        };
        if on < self.requested {
            return Err(Error::InvalidValue {
                path: "date".to_owned(),
                expected: format!(
                    "a day on or after the request, {} (R-CANCEL)",
                    self.requested
                ),
                found: on.to_string(),
            });
        }
        self.state = SubscriptionState::Cancelled {
            on,
            reason,
            from,
            through,
        };
        Ok(())
    }

    /// The years this subscription is charged for, first and last (R-BILL): the year of
    /// delivery of a one-off service, the years covered by a canone (up to the year of its
    /// cancellation).
    pub fn billed_years(&self) -> Option<(i32, i32)> {
        match &self.state {
            SubscriptionState::Requested => None,
            SubscriptionState::Delivered { on } => Some((on.year(), on.year())),
            SubscriptionState::Active { from, through }
            | SubscriptionState::Lapsed { from, through, .. } => Some((from.year(), *through)),
            SubscriptionState::Cancelled {
                on,
                from: Some(from),
                through: Some(through),
                ..
            } => Some((from.year(), (*through).min(on.year()))),
            SubscriptionState::Cancelled { .. } => None,
        }
    }

    /// The first day of service in `year`, for pricing: the activation (or delivery) day
    /// in its own year, 1 January afterwards.
    pub fn start_in(&self, year: i32) -> Option<NaiveDate> {
        let first = match &self.state {
            SubscriptionState::Delivered { on } => *on,
            SubscriptionState::Active { from, .. }
            | SubscriptionState::Lapsed { from, .. }
            | SubscriptionState::Cancelled {
                from: Some(from), ..
            } => *from,
            _ => return None,
        };
        let jan1 = NaiveDate::from_ymd_opt(year, 1, 1)?;
        Some(first.max(jan1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn delibera() -> Delibera {
        Delibera {
            number: "12/2021".into(),
            date: d(2021, 2, 1),
            organ: "Consiglio comunale".into(),
        }
    }

    #[test]
    fn r_join_membership_goes_requested_approved_active_withdrawn() {
        let mut m = Membership::request("A-1", "017001", d(2021, 1, 10));
        m.approve(delibera(), None).unwrap();
        assert_eq!(m.state, MembershipState::Approved);
        m.sign(d(2021, 3, 1), None, d(2025, 12, 31)).unwrap();
        assert!(!m.active_on(d(2021, 2, 28)));
        assert!(m.active_on(d(2021, 3, 1)));
        m.withdraw(d(2023, 6, 30), "scioglimento".into()).unwrap();
        assert!(m.active_on(d(2023, 6, 30)));
        assert!(!m.active_on(d(2023, 7, 1)));
    }

    #[test]
    fn r_join_illegal_transition_changes_nothing() {
        let mut m = Membership::request("A-1", "017001", d(2021, 1, 10));
        let before = m.clone();
        let e = m.sign(d(2021, 3, 1), None, d(2025, 12, 31)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "membership `A-1` is requested: cannot sign the convention (R-JOIN)"
        );
        assert_eq!(m, before);
        let e = m.withdraw(d(2021, 3, 1), "x".into()).unwrap_err();
        assert_eq!(e.code(), "illegal_transition");
        assert_eq!(m, before);
    }

    #[test]
    fn r_join_stated_start_and_expiry() {
        let mut m = Membership::request("A-1", "017001", d(2021, 1, 10));
        m.approve(delibera(), Some("U1".into())).unwrap();
        m.sign(d(2021, 3, 1), Some(d(2021, 4, 1)), d(2021, 12, 31))
            .unwrap();
        assert!(!m.active_on(d(2021, 3, 15)));
        assert!(m.expire(d(2021, 12, 31)).is_err());
        m.expire(d(2022, 1, 1)).unwrap();
        assert_eq!(m.state.name(), "expired");
        assert!(m.active_on(d(2021, 12, 31)));
    }

    fn sub(billing: Billing, renewal: Renewal) -> Subscription {
        Subscription {
            id: "S-1".into(),
            ente: "017001".into(),
            service: "pec".into(),
            billing,
            renewal,
            quantity: 2,
            contact: "Ufficio protocollo".into(),
            people: vec![],
            requested: d(2021, 3, 1),
            state: SubscriptionState::Requested,
        }
    }

    #[test]
    fn r_renew_confirm_extends_and_a_second_confirm_is_illegal() {
        let mut s = sub(Billing::Canone, Renewal::Confirm);
        s.activate(d(2021, 3, 10)).unwrap();
        s.confirm(2022).unwrap();
        assert_eq!(s.billed_years(), Some((2021, 2022)));
        let before = s.clone();
        let e = s.confirm(2022).unwrap_err();
        assert_eq!(
            e.to_string(),
            "subscription `S-1` is active through 2022: cannot confirm the renewal (R-RENEW)"
        );
        assert_eq!(s, before);
    }

    #[test]
    fn r_renew_unconfirmed_lapse_and_tacit_renew_at_year_close() {
        let mut confirm = sub(Billing::Canone, Renewal::Confirm);
        let mut tacit = sub(Billing::Canone, Renewal::Tacit);
        confirm.activate(d(2021, 3, 10)).unwrap();
        tacit.activate(d(2021, 3, 10)).unwrap();
        assert!(tacit.confirm(2022).is_err());
        confirm.close_year(2021);
        tacit.close_year(2021);
        assert_eq!(
            confirm.state,
            SubscriptionState::Lapsed {
                from: d(2021, 3, 10),
                through: 2021,
                declined: false
            }
        );
        assert_eq!(tacit.billed_years(), Some((2021, 2022)));
    }

    #[test]
    fn r_renew_una_tantum_never_renews() {
        let mut s = sub(Billing::UnaTantum, Renewal::Confirm);
        s.activate(d(2021, 3, 10)).unwrap();
        assert!(s.confirm(2022).is_err());
        s.close_year(2021);
        assert_eq!(s.state, SubscriptionState::Delivered { on: d(2021, 3, 10) });
        assert_eq!(s.billed_years(), Some((2021, 2021)));
    }

    #[test]
    fn r_cancel_active_keeps_the_years_covered() {
        let mut s = sub(Billing::Canone, Renewal::Tacit);
        s.activate(d(2021, 3, 10)).unwrap();
        s.close_year(2021);
        s.cancel(d(2022, 5, 1), "passaggio ad altro fornitore".into())
            .unwrap();
        assert_eq!(s.billed_years(), Some((2021, 2022)));
        assert_eq!(
            s.cancel(d(2022, 6, 1), "x".into()).unwrap_err().code(),
            "illegal_transition"
        );
    }
}
