//! Any bytes as a pagoPA flusso di rendicontazione: reading never panics; a flow that reads
//! writes back (`to_xml`) to a document that reads equal.
#![no_main]

use cit_core::pagopa::Flow;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(flow) = Flow::from_xml(text) else { return };
    let again = Flow::from_xml(&flow.to_xml()).expect("a flow's own XML reads");
    assert_eq!(again, flow);
});
