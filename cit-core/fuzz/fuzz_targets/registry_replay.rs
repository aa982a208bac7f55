//! Any text as an event journal: replay never panics; a journal that replays serialises
//! back to JSON that replays to the identical registry.
#![no_main]

use cit_core::registry::Registry;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(registry) = Registry::from_json(text) else { return };
    let again = Registry::from_json(&registry.to_json()).expect("a registry's own journal replays");
    assert_eq!(again, registry);
});
