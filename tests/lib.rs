//! Integration tests of `cit-core` through its public API: the invariants of the quota
//! rules as properties over random tariffs and enti, and of the registry over random
//! sequences of operations.

mod bad_input;
mod data;
mod journal;
mod pagopa;
mod quota_properties;
mod registry_properties;
mod registry_reference;
mod registry_replay;
mod schema;
mod vectors;
