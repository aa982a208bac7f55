//! The rule ids (`R-…`), cited by every quote line and error; each is explained in the
//! project's RULES.md ([`crate::rules`]).

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! rules {
    ($($(#[$doc:meta])* $variant:ident => $id:literal,)*) => {
        /// A rule of the CIT, by its id; RULES.md ([`crate::rules`]) says what each one
        /// requires and where it comes from.
        ///
        /// Serialises as the id itself (`"R-CAP"`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
        #[non_exhaustive]
        pub enum Rule {
            $($(#[$doc])* #[serde(rename = $id)] $variant,)*
        }

        impl Rule {
            /// Every rule, in the order of RULES.md.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            /// The rule id, `"R-CAP"`.
            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id,)* }
            }
        }
    };
}

rules! {
    /// Fixed yearly quota for unioni, comunità montane and other non-comune bodies.
    Fix => "R-FIX",
    /// Quota per abitante and per impresa.
    Cap => "R-CAP",
    /// Population bands with growing discounts.
    Band => "R-BAND",
    /// Ceiling: never more than an earlier formula gives.
    Ceil => "R-CEIL",
    /// Minimum and maximum quota.
    MinMax => "R-MINMAX",
    /// Whole cents, half away from zero.
    Round => "R-ROUND",
    /// The order of the steps of a comune's quota.
    Order => "R-ORDER",
    /// A tariff prices only the years of its period.
    Period => "R-PERIOD",
    /// Membership starting within the year.
    Prorata => "R-PRORATA",
    /// Who pays for whom.
    Payer => "R-PAYER",
    /// Base and premium services.
    Tier => "R-TIER",
    /// One-off and yearly billing.
    Bill => "R-BILL",
    /// Pricing bases of a service.
    Price => "R-PRICE",
    /// Services sold only to members.
    MembersOnly => "R-MEMBERS-ONLY",
    /// Allowances included in membership.
    Entitle => "R-ENTITLE",
    /// Joining a convention.
    Join => "R-JOIN",
    /// Activating a service.
    Act => "R-ACT",
    /// Yearly renewal of canone services.
    Renew => "R-RENEW",
    /// Cancellation of a service.
    Cancel => "R-CANCEL",
    /// The yearly billing run.
    Run => "R-RUN",
    /// Payments and balances.
    Ledger => "R-LEDGER",
    /// Payment notices through pagoPA, girofondi on the Tesoreria Unica.
    Notice => "R-NOTICE",
    /// Payments booked from pagoPA's flussi di rendicontazione.
    Reconcile => "R-RECONCILE",
    /// The journal: versioned appends, nothing lost or duplicated.
    Journal => "R-JOURNAL",
    /// Presence needed for a valid sitting.
    Quorum => "R-QUORUM",
    /// Votes needed to pass a motion.
    Majority => "R-MAJORITY",
    /// Boards meet at least once a year.
    Yearly => "R-YEARLY",
    /// Tariffs adopted by the Tavolo Strategico.
    Adopt => "R-ADOPT",
    /// Cost-recovery fees.
    Cost => "R-COST",
    /// Savings of members.
    Saving => "R-SAVING",
    /// Adhesion simulation.
    Sim => "R-SIM",
    /// Comuni under 5.000 abitanti.
    Small => "R-SMALL",
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The project's rules reference, the file at the repository root.
    const RULES_MD: &str = include_str!("../../RULES.md");

    /// The ids of the rule headings of RULES.md (`### R-CAP — …`), in order.
    fn headings() -> Vec<&'static str> {
        RULES_MD
            .lines()
            .filter_map(|line| line.strip_prefix("### "))
            .map(|title| title.split_whitespace().next().unwrap_or(""))
            .collect()
    }

    /// Every rule id RULES.md names anywhere: `R-` followed by capitals and inner
    /// hyphens, not preceded by a letter or digit (the bare prefix `R-` is skipped).
    fn mentioned() -> Vec<&'static str> {
        let bytes = RULES_MD.as_bytes();
        let mut ids = Vec::new();
        let mut from = 0;
        while let Some(at) = RULES_MD[from..].find("R-").map(|i| from + i) {
            from = at + 2;
            if at > 0 && bytes[at - 1].is_ascii_alphanumeric() {
                continue;
            }
            let len = RULES_MD[from..]
                .bytes()
                .take_while(|b| b.is_ascii_uppercase() || *b == b'-')
                .count();
            let id = RULES_MD[at..from + len].trim_end_matches('-');
            if id.len() > 2 {
                ids.push(id);
            }
        }
        ids
    }

    #[test]
    fn rules_md_explains_every_rule() {
        let headings = headings();
        for &rule in Rule::ALL {
            assert!(
                headings.contains(&rule.id()),
                "{rule} is in `rules!` but has no `### {rule} — …` heading in RULES.md"
            );
        }
    }

    #[test]
    fn rules_md_names_only_rules_the_code_has() {
        let known: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
        for id in headings().into_iter().chain(mentioned()) {
            assert!(
                known.contains(&id),
                "RULES.md names {id:?}, which is not a rule of `rules!` (cit-core/src/rule.rs)"
            );
        }
    }

    #[test]
    fn rules_md_lists_each_rule_once_in_the_order_of_rule_all() {
        let known: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
        assert_eq!(headings(), known);
    }

    #[test]
    fn rule_serialises_as_its_id() {
        for &rule in Rule::ALL {
            let json = serde_json::to_string(&rule).unwrap();
            assert_eq!(json, format!("\"{}\"", rule.id()));
            assert_eq!(serde_json::from_str::<Rule>(&json).unwrap(), rule);
        }
    }
}
