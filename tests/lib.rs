//! Integration tests of `cit-core` through its public API: the invariants of the quota
//! rules as properties over random tariffs and enti.

mod data;
mod quota_properties;
mod vectors;
